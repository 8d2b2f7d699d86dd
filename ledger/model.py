"""The ledger's vocabulary as values: enumerations and the immutable domain models.

Everything here is plain data (frozen pydantic models and string enums). Nothing
holds a database session, so renderers and the rules can use these values long
after the transaction that produced them has closed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, ValidationInfo

from ledger.vocab import (  # noqa: F401  (re-exported: the model speaks this vocabulary)
    Anonymity,
    ClaimKind,
    GroundRules,
    Knowledge,
    Relation,
    SourceKind,
    Status,
)
from ledger.wording import control_problem, excerpt

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
"""KEY_PATTERN for Python's `re` (whose `$` would let a trailing newline through)."""

Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=200)]
"""A slug or key: lowercase letters, digits and hyphens, not starting with a hyphen."""

STORED = {"stored": True}
"""Validation context for values read back from the database: they were checked on entry,
and a row written by an older version must still be shown, not refused."""


def _checker(*, one_line: bool):  # type: ignore[no-untyped-def]
    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is None or (info.context or {}).get("stored"):
            return value
        problem = control_problem(value, one_line=one_line)
        if problem:
            raise ValueError(problem)
        return value

    return check


_NO_NUL = AfterValidator(_checker(one_line=False))
_ONE_LINE = AfterValidator(_checker(one_line=True))

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), _NO_NUL]
"""Required free text: surrounding whitespace is dropped, it may not be empty nor hold a NUL
(PostgreSQL cannot store one; SQLite would, and every other tool would choke on it)."""

OptionalText = Annotated[str | None, StringConstraints(strip_whitespace=True), _NO_NUL]

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), _ONE_LINE]
"""A name shown in every list (a source's label, a title): one line, no control character,
so that it can neither break a table nor drive the terminal that prints it."""

OptionalLabel = Annotated[str | None, StringConstraints(strip_whitespace=True), _ONE_LINE]

ArticleText = Annotated[str | None, _NO_NUL]
"""An article's text, kept exactly as given (line breaks and all), without a NUL."""


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Source(_Value):
    """Anyone or anything a claim is attributed to; ledger-wide, named by `key`.

    `anonymity` has no default on purpose: a forgotten field must never make a
    source look named.
    """

    key: Key
    label: Label
    kind: SourceKind = SourceKind.PERSON
    anonymity: Anonymity
    anonymity_reason: OptionalText = None
    description: OptionalText = None
    affiliation: OptionalText = None
    knowledge: Knowledge | None = None
    motive: OptionalText = None
    ground_rules: GroundRules | None = None
    speaks_for: Key | None = None
    """The source on whose behalf this one speaks (a spokeswoman for her ministry): her
    words are that party's words, so the rules count the two as one origin."""
    aliases: tuple[Key, ...] | None = None
    """Keys merged into this source (`ledger source merge`); each resolves to it."""
    notes: OptionalText = None
    """Internal notes: shown in the ledger's own views, never in a `--public` output."""


class Article(_Value):
    """One published piece. `text_sha256` is set whenever the text is stored."""

    slug: Key
    title: Label
    outlet: OptionalLabel = None
    url: OptionalLabel = None
    published: dt.date | None = None
    byline: OptionalLabel = None
    text: ArticleText = None
    text_sha256: str | None = None


class Hop(_Value):
    """One step of an attribution chain: the source, and the verb it used (if recorded)."""

    source: Key
    cue: OptionalText = None


def split_claim_ref(ref: str, *, default_article: str | None = None) -> tuple[str, str]:
    """Split `SLUG/KEY` into its parts; a bare `KEY` belongs to `default_article`.

    Raises ValueError with a readable message when the reference is malformed.
    """
    if "/" in ref:
        slug, _, key = ref.partition("/")
    elif default_article is not None:
        slug, key = default_article, ref
    else:
        raise ValueError(f"claim reference {excerpt(ref)} must be SLUG/KEY")
    if not KEY_RE.match(slug) or not KEY_RE.match(key):
        raise ValueError(f"claim reference {excerpt(ref)} is not SLUG/KEY of lowercase keys")
    return slug, key
