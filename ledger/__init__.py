"""Claim ledger: a claim-level provenance ledger for newsrooms.

A library first; the `ledger` command is one of its clients. A newsroom script
opens a ledger and asks it what the CLI asks:

    import ledger

    with ledger.Ledger.open("ledger.db") as book:
        uncorroborated = book.claims(article="rt-is-nusra-deal", uncorroborated=True)

The names below are loaded on first use, so that `ledger --help` starts without
SQLAlchemy or pydantic. The layers under them (`ledger.read`, `ledger.write`,
`ledger.audit`, `ledger.protect`, `ledger.storage`) are importable too.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BundleError",
    "ClaimView",
    "Finding",
    "ImportSummary",
    "InvalidInput",
    "Ledger",
    "LedgerError",
    "NotFound",
    "Verdict",
    "__version__",
    "evaluate",
]

_LAZY = {
    "Ledger": "ledger.api",
    "ClaimView": "ledger.claimview",
    "Finding": "ledger.checks",
    "ImportSummary": "ledger.write.importer",
    "BundleError": "ledger.errors",
    "InvalidInput": "ledger.errors",
    "LedgerError": "ledger.errors",
    "NotFound": "ledger.errors",
    "Verdict": "ledger.rules",
    "evaluate": "ledger.rules",
}

if TYPE_CHECKING:
    from ledger.api import Ledger
    from ledger.checks import Finding
    from ledger.claimview import ClaimView
    from ledger.errors import BundleError, InvalidInput, LedgerError, NotFound
    from ledger.rules import Verdict, evaluate
    from ledger.write.importer import ImportSummary


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ledger' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
