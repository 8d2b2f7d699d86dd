"""What `ledger verify` reports: one finding per line, naming what it concerns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: what it concerns (an event, an entity, a checkpoint) and what is wrong."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"
