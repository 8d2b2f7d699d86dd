"""The editor's scoped query on a SQLite ledger, with the standard library only.

`ledger claims --article X` is typed many times a day. Through `ledger.read.queries`
it imports SQLAlchemy and pydantic, which cost a fresh process several times
what the query itself costs: the ledger felt slow where a `sqlite-utils` query
on the same file did not. For a SQLite ledger this module selects the claims
with `sqlite3` and hands them to the one read path, `ledger.read.gather`, which
`queries` uses too: the same statements, the same judgement by `ledger.rules`.

It answers scoped questions only: the claims of an article and/or a source,
with the verdict filters. Ledger-wide questions go to `queries.count_flagged`
and `queries.flagged_page`, other engines and `--include-retracted` to
`queries.claim_views`. Only the selection of claims differs from `queries`;
tests/test_rules_sql.py holds the two to identical output on random ledgers.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from ledger import rules
from ledger.claimview import ClaimView
from ledger.errors import NotFound
from ledger.read import gather

SCHEMA_REVISIONS = frozenset({"0009", "0010"})
"""Schema revisions whose tables the SQL below was written for; any other falls back to
`ledger.read.queries`. A test fails when `migrate.SCHEMA_REVISION` is not among them, so that a
migration makes someone look at this SQL again."""


class Unsupported(Exception):
    """This ledger cannot be read here (another engine, an unknown schema): use `query`."""


def sqlite_file(db: str | None) -> Path | None:
    """The existing SQLite file `--db` names (as `ledger.storage.database.resolve_url` reads it), else None."""
    value = db or os.environ.get("LEDGER_DB") or "ledger.db"
    if "://" in value:
        prefix = "sqlite:///"
        if not value.startswith(prefix) or value[len(prefix) :] in ("", ":memory:"):
            return None
        value = value[len(prefix) :]
    path = Path(value).expanduser().resolve()
    return path if path.is_file() else None


def open_ledger(path: Path) -> sqlite3.Connection:
    """A connection reading one consistent snapshot; `Unsupported` for an unknown schema."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA query_only = ON")
    connection.execute("BEGIN")
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] not in SCHEMA_REVISIONS:
        connection.close()
        raise Unsupported(f"schema revision {row and row[0]!r} is not one this reader knows")
    return connection


def claim_views(
    connection: sqlite3.Connection,
    *,
    article: str | None = None,
    source: str | None = None,
    uncorroborated: bool = False,
    anonymous_only: bool = False,
    contradicted: bool = False,
    threshold: int = rules.DEFAULT_THRESHOLD,
) -> list[ClaimView]:
    """What `queries.claim_views` returns for the same filter (retracted claims left out)."""
    if article is None and source is None:
        raise Unsupported("a ledger-wide question: use query.count_flagged / flagged_page")
    where, params = ["c.retracted_reason IS NULL"], []
    if article is not None:
        where.append("c.article_id = ?")
        params.append(_id(connection, "articles", "slug", article, "article"))
    if source is not None:
        where.append("c.id IN (SELECT claim_id FROM hops WHERE source_id = ?)")
        params.append(_source_id(connection, source))
    statement = f"SELECT c.id FROM claims c WHERE {' AND '.join(where)}"
    ids = [row[0] for row in connection.execute(statement, params)]
    return gather.claim_views(
        connection.execute,
        ids,
        threshold=threshold,
        accept=lambda verdict: (
            (not uncorroborated or verdict.uncorroborated)
            and (not anonymous_only or verdict.anonymous_only)
            and (not contradicted or verdict.contradicted)
        ),
    )


def _id(connection: sqlite3.Connection, table: str, column: str, value: str, noun: str) -> int:
    row = connection.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()
    if row is None:
        raise NotFound(f"no {noun} {value!r} in the ledger")
    return int(row[0])


def _source_id(connection: sqlite3.Connection, key: str) -> int:
    """The source a key names, directly or as an alias merged into it."""
    row = connection.execute(
        "SELECT id FROM sources WHERE key = ? UNION ALL "
        "SELECT s.id FROM source_aliases a JOIN sources s ON s.key = a.source WHERE a.key = ?",
        (key, key),
    ).fetchone()
    if row is None:
        raise NotFound(f"no source {key!r} in the ledger")
    return int(row[0])
