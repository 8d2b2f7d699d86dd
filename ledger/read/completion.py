"""What shell completion offers: slugs, claim references and source keys (aliases too).

Asked at every press of the tab key, so read as SQL text through a `Reader`: on a
SQLite file, a completion loads neither SQLAlchemy nor pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.storage.reader import like_prefix, reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

LIMIT = 200
_STARTS = "LIKE :prefix ESCAPE '\\'"


def keys_starting(db: Readable, kind: str, incomplete: str) -> list[str]:
    """The keys of `kind` ("slug", "source" or "claim") that begin with `incomplete`, sorted.

    Claims complete in two steps: `SLUG/` first, then the keys of that article.
    """
    params = {"prefix": like_prefix(incomplete), "limit": LIMIT}
    if kind == "slug":
        statement = f"SELECT slug FROM articles WHERE slug {_STARTS}"
    elif kind == "source":
        statement = (
            f"SELECT key FROM sources WHERE key {_STARTS}"
            f" UNION SELECT key FROM source_aliases WHERE key {_STARTS}"
        )
    else:
        slug, slash, key = incomplete.partition("/")
        params["prefix"] = like_prefix(key if slash else slug)
        if not slash:
            statement = f"SELECT slug || '/' FROM articles WHERE slug {_STARTS}"
        else:
            params["slug"] = slug
            statement = (
                "SELECT a.slug || '/' || c.key FROM articles a JOIN claims c"
                f" ON c.article_id = a.id WHERE a.slug = :slug AND c.key {_STARTS}"
            )
    rows = reader_of(db).rows(f"{statement} LIMIT :limit", params)
    return sorted(row[0] for row in rows)
