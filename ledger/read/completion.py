"""What shell completion offers: slugs, claim references and source keys (aliases too)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from ledger.storage.schema import ArticleRow, ClaimRow, SourceAliasRow, SourceRow

LIMIT = 200


def keys_starting(session: Session, kind: str, incomplete: str) -> list[str]:
    """The keys of `kind` ("slug", "source" or "claim") that begin with `incomplete`, sorted.

    Claims complete in two steps: `SLUG/` first, then the keys of that article.
    """
    statement: Any
    if kind == "slug":
        statement = select(ArticleRow.slug).where(ArticleRow.slug.startswith(incomplete))
    elif kind == "source":
        statement = union(
            select(SourceRow.key).where(SourceRow.key.startswith(incomplete)),
            select(SourceAliasRow.key).where(SourceAliasRow.key.startswith(incomplete)),
        )
    else:
        slug, slash, key = incomplete.partition("/")
        if not slash:
            statement = select(ArticleRow.slug + "/").where(ArticleRow.slug.startswith(slug))
        else:
            statement = (
                select(ArticleRow.slug + "/" + ClaimRow.key)
                .join(ClaimRow, ClaimRow.article_id == ArticleRow.id)
                .where(ArticleRow.slug == slug, ClaimRow.key.startswith(key))
            )
    return sorted(session.scalars(statement.limit(LIMIT)))
