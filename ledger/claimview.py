"""What a judged claim looks like to every reader: the query layer, the fast SQLite
reader, renderers and the web view. Plain dataclasses over `ledger.rules` and
`ledger.vocab`, free of SQLAlchemy and pydantic, so the fast path can use them too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ledger import rules
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind
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
