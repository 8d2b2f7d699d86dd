"""Protecting sources: sealed identities, the newsroom key, and who cleared an unnamed source."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from ledger.protect.clearances import Clearance
    from ledger.protect.sealing import NewsroomKey, SealedDetails


class Protecting(LedgerBase):
    """Identities kept encrypted under the newsroom key; every reveal is in the audit trail."""

    def require_source(self, key: str) -> None:
        """Refuse an unknown source before a person is asked for anything secret."""
        from ledger.read.sources import get_source

        with self.reading() as reader:
            get_source(reader, key)

    def seal(self, newsroom_key: NewsroomKey, key: str, details: SealedDetails) -> bool:
        """Record a source's real identity, encrypted; True when it replaced an earlier one."""
        from ledger.protect.sealing import seal

        with self.database.write(self.actor) as session:
            return seal(session, newsroom_key, key, details)

    def reveal(self, newsroom_key: NewsroomKey, key: str) -> SealedDetails:
        """A sealed identity in clear; the reveal is recorded (who, when) in the same transaction."""
        from ledger.protect.sealing import reveal

        with self.database.write(self.actor) as session:
            return reveal(session, newsroom_key, key)

    def rotate_key(self, old: NewsroomKey, target: str | Path) -> tuple[NewsroomKey, int]:
        """Re-encrypt every sealed identity under a new key written to `target`; safe to retry."""
        from ledger.protect.sealing import rotate_to_file

        return rotate_to_file(self.database, old, Path(target), self.actor)

    def add_clearance(self, clearance: Clearance) -> None:
        """Record who knows an unnamed source's identity, or approved using it."""
        from ledger.protect.clearances import add_clearance

        with self.database.write(self.actor) as session:
            add_clearance(session, clearance)
