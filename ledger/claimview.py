"""What a judged claim looks like to every reader: the query layer, the fast SQLite
reader, renderers and the web view. Plain dataclasses over `ledger.rules` and
`ledger.vocab`, free of SQLAlchemy and pydantic, so the fast path can use them too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from ledger import rules
from ledger.vocab import Anonymity, ClaimKind, GroundRules, Knowledge, Relation, SourceKind
from ledger.wording import excerpt

KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
"""A key or slug (`KEY_PATTERN` of `ledger.model` for Python's `re`, whose `$` would let a
trailing newline through)."""


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


@dataclass(frozen=True, slots=True)
class HopView:
    """One hop of a chain, with what a reader needs to know about its source."""

    key: str
    label: str
    kind: SourceKind
    anonymity: Anonymity
    anonymity_reason: str | None
    cue: str | None
    party: str | None = None
    """The key of the party this source speaks for (end of its `speaks_for` path), if any."""
    party_label: str | None = None

    def facts(self) -> rules.SourceFacts:
        return rules.SourceFacts(self.key, self.kind, self.anonymity, self.party)


@dataclass(frozen=True, slots=True)
class LinkView:
    relation: Relation
    other: str  # the claim at the other end, SLUG/KEY


@dataclass(frozen=True)
class ClaimView:
    """A claim as the editor sees it: its fields, chains, links and verdict."""

    article: str
    key: str
    text: str
    quote: str | None
    kind: ClaimKind
    cue: str | None
    chains: tuple[tuple[HopView, ...], ...]
    verdict: rules.Verdict
    links_out: tuple[LinkView, ...] = field(default=())
    links_in: tuple[LinkView, ...] = field(default=())
    retracted: str | None = None
    notes: str | None = None
    anchor: dict[str, Any] | None = None

    @property
    def ref(self) -> str:
        return f"{self.article}/{self.key}"

    def to_json(self) -> dict[str, Any]:
        """The `claims --json` element of DESIGN.md, plus quote, cue, origins and links."""
        verdict = self.verdict
        return {
            "article": self.article,
            "key": self.key,
            "text": self.text,
            "quote": self.quote,
            "kind": self.kind.value,
            "cue": self.cue,
            "status": verdict.status.value,
            "uncorroborated": verdict.uncorroborated,
            "anonymous_only": verdict.anonymous_only,
            "contradicted": verdict.contradicted,
            "single_intermediary": verdict.single_intermediary,
            "borrowed_anonymity": verdict.borrowed_anonymity,
            "independent_origins": list(verdict.independent_origins),
            "origins": list(verdict.origins),
            "support": list(verdict.supporting),
            "chains": [[hop.key for hop in chain] for chain in self.chains],
            "links": [
                {"relation": link.relation.value, "to": link.other} for link in self.links_out
            ],
            "linked_from": [
                {"relation": link.relation.value, "from": link.other} for link in self.links_in
            ],
            "retracted": self.retracted,
            "notes": self.notes,
            "anchor": self.anchor,
        }


@dataclass(frozen=True, slots=True)
class ArticleView:
    """An article as the ledger holds it: what every reader shows of it.

    The fields and their order are those of `ledger.model.Article` (which
    validates articles coming in); this plain value serves reading, without pydantic.
    """

    slug: str
    title: str
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    byline: str | None = None
    text: str | None = None
    text_sha256: str | None = None

    def to_json(self, *, text: bool = True) -> dict[str, Any]:
        """The article as `Article.model_dump(mode="json")` gives it; `text=False` leaves the text out."""
        data: dict[str, Any] = {
            "slug": self.slug,
            "title": self.title,
            "outlet": self.outlet,
            "url": self.url,
            "published": None if self.published is None else self.published.isoformat(),
            "byline": self.byline,
            "text": self.text,
            "text_sha256": self.text_sha256,
        }
        if not text:
            del data["text"]
        return data


SOURCE_PARTICULARS = (
    "anonymity_reason",
    "description",
    "affiliation",
    "knowledge",
    "motive",
    "ground_rules",
)
"""What was published or decided about a source besides its key, label, kind and anonymity:
what a report shows of it, and what a journalist may mark publishable."""
PUBLISHABLE_FIELDS = ("label", *SOURCE_PARTICULARS)
"""The fields of a source a journalist may mark `publishable` (never its notes)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceView:
    """A source as the ledger holds it: what every reader shows of it.

    The fields and their order are those of `ledger.model.Source`, which
    validates sources coming in. This plain value serves reading without
    pydantic, and answers `model_dump` and `model_copy` as the model does, so
    that renderers and the public filter (`ledger.protect.public`) take either.
    """

    key: str
    label: str
    kind: SourceKind = SourceKind.PERSON
    anonymity: Anonymity  # no default, as in the model: a forgotten field never looks named
    anonymity_reason: str | None = None
    description: str | None = None
    affiliation: str | None = None
    knowledge: Knowledge | None = None
    motive: str | None = None
    ground_rules: GroundRules | None = None
    speaks_for: str | None = None
    aliases: tuple[str, ...] | None = None
    notes: str | None = None
    publishable: tuple[str, ...] | None = None

    def model_dump(
        self,
        *,
        mode: str = "python",
        include: set[str] | None = None,
        exclude: set[str] | None = None,
    ) -> dict[str, Any]:
        """The fields as `Source.model_dump` gives them (enum values and lists in "json" mode)."""
        data: dict[str, Any] = {}
        for name in SOURCE_FIELDS:
            if (include is not None and name not in include) or (exclude and name in exclude):
                continue
            value = getattr(self, name)
            if mode == "json":
                if isinstance(value, StrEnum):
                    value = value.value
                elif isinstance(value, tuple):
                    value = list(value)
            data[name] = value
        return data

    def model_copy(self, *, update: dict[str, Any] | None = None) -> SourceView:
        """A copy with `update`'s fields changed, as `Source.model_copy` makes one."""
        return replace(self, **(update or {}))


SOURCE_FIELDS = tuple(field.name for field in fields(SourceView))
