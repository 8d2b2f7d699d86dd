"""What the ledger records about protecting sources, as read by every screen.

Who was told a source's identity or approved its use (clearances), and whether
its identity is sealed: `source show`, `check` and `report` read these on every
run, through a `ledger.storage.reader.Reader` (so on a SQLite file without
SQLAlchemy). Recording them is `ledger.protect.clearances` and
`ledger.protect.sealing`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.storage.reader import first, in_params, reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable


@dataclass(frozen=True)
class Clearance:
    source: str
    kind: str  # "knows" the identity, or "approved" the use of the source
    name: str
    role: str
    on: dt.date

    @property
    def key(self) -> str:
        return f"{self.source} {self.kind} {self.name}"

    def state(self) -> dict[str, str]:
        return {
            "source": self.source,
            "kind": self.kind,
            "name": self.name,
            "role": self.role,
            "on": self.on.isoformat(),
        }


def clearances(db: Readable, source_keys: list[str] | None = None) -> list[Clearance]:
    """Who knows each source's identity or approved its use, by source, kind and entry."""
    params: dict[str, str] = {}
    where = ""
    if source_keys is not None:
        if not source_keys:
            return []
        condition, params = in_params("s.key", "k", source_keys)
        where = f" WHERE {condition}"
    statement = (
        'SELECT s.key, c.kind, c.name, c.role, c."on" FROM clearances c'
        f" JOIN sources s ON s.id = c.source_id{where} ORDER BY s.key, c.kind, c.id"
    )
    return [
        Clearance(
            key, kind, name, role, on if isinstance(on, dt.date) else dt.date.fromisoformat(on)
        )
        for key, kind, name, role, on in reader_of(db).rows(statement, params)
    ]


@dataclass(frozen=True)
class SealStatus:
    key_id: str
    sealed_at: str


def seal_status(db: Readable, source_key: str) -> SealStatus | None:
    row = first(
        reader_of(db),
        "SELECT i.key_id, i.sealed_at FROM sealed_identities i"
        " JOIN sources s ON s.id = i.source_id WHERE s.key = :key",
        {"key": source_key},
    )
    if row is None:
        return None
    key_id, sealed_at = row
    return SealStatus(key_id, str(sealed_at)[:10] if sealed_at else "")
