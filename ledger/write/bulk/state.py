"""What a streaming import remembers between batches, shared by its modules."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ledger.write.bundle import LoadedBundle
from ledger.write.pipeline import PendingLink

RECENT_BATCHES = 8  # batches whose claim ids stay at hand for links (about 40,000 claims)


@dataclass
class BulkSummary:
    """What a streaming import wrote: counts only (a million slugs are not worth listing)."""

    lines: int = 0
    articles: int = 0
    new_sources: int = 0
    claims: int = 0
    links: int = 0
    waivers: int = 0


@dataclass
class State:
    """What the import remembers between batches: small, whatever the file's size."""

    slugs: set[str] = field(default_factory=set)
    pending: list[PendingLink] = field(default_factory=list)
    """Links whose ends were not all in the ledger when their line was written."""
    waived: list[LoadedBundle] = field(default_factory=list)
    """Lines that carry waivers, written at the end (editors' decisions: few)."""
    summary: BulkSummary = field(default_factory=BulkSummary)
    recent: deque[dict[tuple[str, str], int]] = field(
        default_factory=lambda: deque(maxlen=RECENT_BATCHES)
    )
    """Claim ids of the last few batches: most links name a recent article's claim."""

    def known_ids(self) -> dict[tuple[str, str], int]:
        merged: dict[tuple[str, str], int] = {}
        for batch in self.recent:
            merged.update(batch)
        return merged
