"""Screens as values: what `source show` (and the desk's source page) show, read once.

The terminal and the web view render the same `SourceDetail`; its `to_json()` is
the `--json` output and the page's JSON, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.audit.events import history as entity_history
from ledger.claimview import ClaimView, SourceView
from ledger.protect.records import Clearance, SealStatus, clearances, seal_status
from ledger.read.scoped import ClaimFilter, claim_views
from ledger.read.sourcekeys import (
    ProbableDuplicate,
    party_of,
    probable_duplicates,
    speaks_for_graph,
)
from ledger.read.sources import SourceSummary, get_source, sources_where
from ledger.storage.reader import reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable


@dataclass(frozen=True)
class SourceDetail:
    """A source, the party it speaks for, who speaks for it, and every claim through it."""

    summary: SourceSummary
    party: SourceView | None  # the end of its `speaks_for` path, when that is another source
    speakers: list[SourceView]  # the sources whose words are this source's
    sealed: SealStatus | None
    clearances: list[Clearance]
    claims: list[ClaimView]
    duplicates: list[ProbableDuplicate] = field(default_factory=list)
    history: list[dict[str, Any]] | None = None

    @property
    def source(self) -> SourceView:
        return self.summary.source

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source.model_dump(mode="json"),
            "party": self.party.key if self.party else self.source.key,
            "spoken_for_by": [speaker.key for speaker in self.speakers],
            "sealed_identity": "[sealed]" if self.sealed else None,
            "clearances": [item.state() for item in self.clearances],
            "originates": self.summary.originates,
            "relays": self.summary.relays,
            "probable_duplicates": [
                {"duplicate": item.duplicate, "keep": item.keep, "why": item.why}
                for item in self.duplicates
            ],
            "claims": [view.to_json() for view in self.claims],
        }
        if self.history is not None:
            data["history"] = self.history
        return data


def source_detail(db: Readable, key: str, *, threshold: int, history: bool = False) -> SourceDetail:
    """The detail of the source `key` names (itself, or through an alias merged into it)."""
    reader = reader_of(db)
    summary = get_source(reader, key)
    key = summary.source.key
    graph = speaks_for_graph(reader)
    party_key = party_of(graph, key)
    related = {
        source.key: source
        for source in sources_where(
            reader, "s.key = :party OR s.party = :key", {"party": party_key, "key": key}
        )
    }
    party = related[party_key] if party_key != key and party_key in related else None
    speakers = [source for k, source in sorted(related.items()) if k != party_key]
    return SourceDetail(
        summary=summary,
        party=party,
        speakers=speakers,
        sealed=seal_status(reader, key),
        clearances=clearances(reader, [key]),
        claims=claim_views(reader, ClaimFilter(source=key), threshold=threshold),
        duplicates=probable_duplicates(reader, among=[key]),
        history=entity_history(reader, "source", key) if history else None,
    )
