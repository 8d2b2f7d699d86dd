"""Shell completion of article slugs, claim keys and source keys, read from the ledger.

Typer calls these with the partial word while the user presses Tab; they open
the ledger named by `--db` on the command line so far (else $LEDGER_DB, else
ledger.db) and stay silent on any failure: completion must never print errors.
"""

from __future__ import annotations

from typing import Any

import typer


def _keys(ctx: typer.Context, kind: str, incomplete: str) -> list[str]:
    try:
        from sqlalchemy import select

        from ledger.storage.database import Database
        from ledger.storage.schema import ArticleRow, ClaimRow, SourceRow

        database = Database.open(ctx.params.get("db"))
        with database.read() as session:
            if kind == "slug":
                statement: Any = select(ArticleRow.slug).where(
                    ArticleRow.slug.startswith(incomplete)
                )
            elif kind == "source":
                statement = select(SourceRow.key).where(SourceRow.key.startswith(incomplete))
            else:
                slug, _, key = incomplete.partition("/")
                if not _:
                    statement = select(ArticleRow.slug + "/").where(
                        ArticleRow.slug.startswith(slug)
                    )
                else:
                    statement = (
                        select(ArticleRow.slug + "/" + ClaimRow.key)
                        .join(ClaimRow, ClaimRow.article_id == ArticleRow.id)
                        .where(ArticleRow.slug == slug, ClaimRow.key.startswith(key))
                    )
            found = list(session.scalars(statement.limit(200)))
        database.dispose()
        return sorted(found)
    except Exception:
        return []


def complete_slug(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "slug", incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "source", incomplete)


def complete_claim(ctx: typer.Context, incomplete: str) -> list[str]:
    return _keys(ctx, "claim", incomplete)
