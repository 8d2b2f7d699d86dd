"""Commands of this module are registered by `register`."""

from __future__ import annotations

from ledger.cli._common import LedgerTyper


def register(app: LedgerTyper) -> None:
    """Add this module's commands to the top-level app."""
