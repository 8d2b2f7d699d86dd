"""Names a person typed that the ledger does not hold, answered with the names it does.

Every lookup that fails (an article slug, a source key, a claim) raises the
`NotFound` built here, so every command says it the same way and offers the
same close matches (`ledger.wording.close_matches`): `no source 'guardain' in
the ledger (did you mean 'guardian'?)`.

A ledger may hold a million names; only those sharing the typed name's first
character are compared, at most `CANDIDATES` of them, which keeps a mistyped
key as cheap to report as a correct one is to find.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ledger.claimview import split_claim_ref
from ledger.errors import NotFound
from ledger.storage.reader import Reader, like_prefix, reader_of, scalar
from ledger.wording import close_matches, did_you_mean

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

CANDIDATES = 5000


def _candidates(reader: Reader, table: str, column: str, typed: str, where: str = "") -> list[str]:
    conditions = [where] if where else []
    params: dict[str, object] = {}
    if typed:
        conditions.append(f"{column} LIKE :prefix ESCAPE '\\'")
        params["prefix"] = like_prefix(typed[0].lower())
    clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    statement = f"SELECT {column} FROM {table}{clause} ORDER BY {column} LIMIT {CANDIDATES}"
    return [row[0] for row in reader.rows(statement, params)]


def _source_candidates(reader: Reader, key: str) -> list[str]:
    return _candidates(reader, "sources", "key", key) + _candidates(
        reader, "source_aliases", "key", key
    )


def source_keys_near(db: Readable, key: str) -> list[str]:
    """Source keys (merged keys included) that look like `key` mistyped, closest first."""
    reader = reader_of(db)
    return close_matches(key.lower(), _source_candidates(reader, key))


def no_source(db: Readable, key: str) -> NotFound:
    """`no source 'guardain' in the ledger (did you mean 'guardian'?)`; merged keys count."""
    reader = reader_of(db)
    near = _source_candidates(reader, key)
    return NotFound(f"no source {key!r} in the ledger{did_you_mean(key, near)}")


def no_article(db: Readable, slug: str) -> NotFound:
    reader = reader_of(db)
    near = _candidates(reader, "articles", "slug", slug)
    return NotFound(f"no article {slug!r} in the ledger{did_you_mean(slug, near)}")


def no_claim(db: Readable, ref: str) -> NotFound:
    """A missing claim: its article is named first if that is what is missing."""
    reader = reader_of(db)
    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        return NotFound(str(exc))
    article = scalar(reader, "SELECT id FROM articles WHERE slug = :slug", {"slug": slug})
    if article is None:
        near = _candidates(reader, "articles", "slug", slug)
        hint = did_you_mean(slug, near)
        return NotFound(f"no claim {ref!r} in the ledger: no article {slug!r}{hint}")
    keys = _candidates(reader, "claims", "key", key, f"article_id = {int(article)}")
    found = [f"{slug}/{near}" for near in close_matches(key, keys)]
    hint = did_you_mean(ref, found) if found else ""
    return NotFound(f"no claim {ref!r} in the ledger{hint}")


def source_keys(db: Readable) -> list[str]:
    """Every key that names a source (merged keys too), sorted: what a person at a terminal
    may choose among (Tab, typos)."""
    reader = reader_of(db)
    keys = {row[0] for row in reader.rows("SELECT key FROM sources")}
    keys |= {row[0] for row in reader.rows("SELECT key FROM source_aliases")}
    return sorted(keys)
