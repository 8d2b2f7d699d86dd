"""The ledger's vocabulary as values: enumerations and the immutable domain models.

Everything here is plain data (frozen pydantic models and string enums). Nothing
holds a database session, so renderers and the rules can use these values long
after the transaction that produced them has closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from ledger.claimview import KEY_RE as KEY_RE
from ledger.claimview import PUBLISHABLE_FIELDS as PUBLISHABLE_FIELDS
from ledger.claimview import SOURCE_PARTICULARS as SOURCE_PARTICULARS
from ledger.claimview import split_claim_ref as split_claim_ref

# Re-exported: the model speaks this vocabulary.
from ledger.vocab import Anonymity, ClaimKind, GroundRules, Knowledge, Relation, SourceKind, Status  # noqa: F401
from ledger.wording import control_problem, excerpt

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=200)]
"""A slug or key: lowercase letters, digits and hyphens, not starting with a hyphen."""

STORED = {"stored": True}
"""Validation context for values read back from the database: they were checked on entry,
and a row written by an older version (a chain entered before the chain limits, a label
before control characters were refused) must still be shown and exported, not refused."""


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

PublishableField = Literal[
    "label", "anonymity_reason", "description", "affiliation", "knowledge", "motive", "ground_rules"
]


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
    publishable: tuple[PublishableField, ...] | None = None
    """Fields of an unnamed source that a `--public` output may carry even where the
    exported article does not print them (`ledger.protect.public`); none by default."""

    @field_validator("publishable")
    @classmethod
    def _publishable_once_in_order(cls, fields: tuple[str, ...] | None) -> tuple[str, ...] | None:
        """One spelling per set of fields: each once, in `PUBLISHABLE_FIELDS` order, none as None."""
        if not fields:
            return None
        return tuple(name for name in PUBLISHABLE_FIELDS if name in fields)


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


MAX_CHAIN_HOPS = 20
"""The longest attribution chain (a newswire chain is two or three hops; twenty is generous)."""


def chain_problem(keys: Sequence[str]) -> str | None:
    """Why a chain of these source keys (nearest first) cannot be, or None.

    A chain is the path a claim took to the publication: no source can stand on it
    twice (`[ap, ap, ap]` is AP once), and a chain of thousands of hops is an attack
    or an accident, never sourcing; both would also mislead the rules that count
    intermediaries. Every way a chain is entered (bundles, `ledger claim add`,
    `attribute`) asks this, with aliases resolved where the ledger knows them.
    """
    if len(keys) > MAX_CHAIN_HOPS:
        return f"a chain of {len(keys):,} hops; a chain has at most {MAX_CHAIN_HOPS}"
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return f"source {excerpt(key)} appears twice in one chain"
        seen.add(key)
    return None


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _chain_length(value: Any, info: ValidationInfo) -> Any:
    """Before the hops are validated one by one: a chain of a million hops is refused whole."""
    if isinstance(value, list | tuple) and len(value) > MAX_CHAIN_HOPS and not _stored(info):
        raise ValueError(f"a chain of {len(value):,} hops; a chain has at most {MAX_CHAIN_HOPS}")
    return value


def _chain_checked(chain: list[str | Hop], info: ValidationInfo) -> list[str | Hop]:
    problem = chain_problem([hop if isinstance(hop, str) else hop.source for hop in chain])
    if problem and not _stored(info):
        raise ValueError(problem)
    return chain


Chain = Annotated[list[Key | Hop], BeforeValidator(_chain_length), AfterValidator(_chain_checked)]
"""A chain as a bundle writes it: source keys (or `{source, cue}` hops), within `chain_problem`."""
