"""Screens as values: what `source show` (and the desk's source page) show, read once.

The terminal and the web view render the same `SourceDetail`; its `to_json()` is
the `--json` output and the page's JSON, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.audit.events import history as entity_history
from ledger.claimview import ClaimView
from ledger.model import Source
from ledger.protect.clearances import Clearance, clearances
from ledger.protect.sealing import SealStatus, seal_status
from ledger.read.queries import ClaimFilter, SourceSummary, claim_views, get_source
from ledger.read.sourcekeys import (
    ProbableDuplicate,
    party_of,
    probable_duplicates,
    speaks_for_graph,
)
from ledger.storage.rows import source_from_row
from ledger.storage.schema import SourceRow


@dataclass(frozen=True)
class SourceDetail:
    """A source, the party it speaks for, who speaks for it, and every claim through it."""

    summary: SourceSummary
    party: Source | None  # the end of its `speaks_for` path, when that is another source
    speakers: list[Source]  # the sources whose words are this source's
    sealed: SealStatus | None
    clearances: list[Clearance]
    claims: list[ClaimView]
    duplicates: list[ProbableDuplicate] = field(default_factory=list)
    history: list[dict[str, Any]] | None = None

    @property
    def source(self) -> Source:
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


def source_detail(
    session: Session, key: str, *, threshold: int, history: bool = False
) -> SourceDetail:
    """The detail of the source `key` names (itself, or through an alias merged into it)."""
    summary = get_source(session, key)
    key = summary.source.key
    graph = speaks_for_graph(session)
    party_key = party_of(graph, key)
    rows = {
        row.key: row
        for row in session.scalars(
            select(SourceRow).where(
                (SourceRow.key == party_key) | (SourceRow.party == key)
            )
        )
    }
    party = source_from_row(rows[party_key]) if party_key != key and party_key in rows else None
    speakers = [source_from_row(row) for k, row in sorted(rows.items()) if k != party_key]
    return SourceDetail(
        summary=summary,
        party=party,
        speakers=speakers,
        sealed=seal_status(session, key),
        clearances=clearances(session, [key]),
        claims=claim_views(session, ClaimFilter(source=key), threshold=threshold),
        duplicates=probable_duplicates(session, among=[key]),
        history=entity_history(session, "source", key) if history else None,
    )
