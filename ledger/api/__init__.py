"""The ledger as a library: open, import, query, check, report and export from Python.

The CLI is one client of the layers below; a newsroom script is another. This
package is the short path through them that such a script needs, in the
vocabulary of DESIGN.md, with no Typer, no Rich and no printing:

    from ledger import Ledger

    with Ledger.open("ledger.db", create=True) as book:
        book.import_file("samples/rt-is-nusra-deal.yaml")
        for claim in book.claims(uncorroborated=True):
            print(claim.ref, claim.verdict.status)
        markdown = book.report("rt-is-nusra-deal", format="md")

Every method runs in a transaction of its own: a write either commits whole or
leaves the ledger as it was, and raises a `ledger.errors.LedgerError` (with the
same one-line message the CLI prints) on bad input.
"""

from __future__ import annotations

from ledger.api.entering import Entering
from ledger.api.protecting import Protecting
from ledger.api.reading import Reading
from ledger.api.sourcing import Sourcing
from ledger.api.standards import Standards

__all__ = ["Ledger"]


class Ledger(Reading, Entering, Sourcing, Standards, Protecting):
    """One open ledger and everything a newsroom asks of it (see the topic classes)."""
