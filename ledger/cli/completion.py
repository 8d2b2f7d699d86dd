"""Shell completion of article slugs, claim keys and source keys, read from the ledger.

Typer calls these with the partial word while the user presses Tab; they open
the ledger named by `--db` on the command line so far (else $LEDGER_DB, else
ledger.db) and stay silent on any failure: completion must never print errors.
"""

import typer


def _keys(ctx: typer.Context, kind: str, incomplete: str) -> list[str]:
    try:
        from ledger.api import Ledger

        with Ledger.open(ctx.params.get("db")) as book:
            return book.keys_starting(kind, incomplete)
    except Exception:
        return []


def complete_slug(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "slug", incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "source", incomplete)


def complete_claim(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "claim", incomplete)
