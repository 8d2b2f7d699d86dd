"""How every read question reaches the database: SQL text, run by a `Reader`.

A read command is typed many times a day, and a fresh process that imports
SQLAlchemy and pydantic costs several times what the question costs. So the
read path is written as plain SQL that SQLite and PostgreSQL both read, with
`:name` parameters, and run by whichever reader fits the ledger:

- `SqliteReader`: a SQLite ledger file at the current schema, through the
  standard library's `sqlite3` (this module imports nothing heavier);
- `ledger.storage.session_reader.SessionReader`: any other ledger (PostgreSQL),
  and the write side, which asks the same questions inside its own session.

One function per question, whatever runs it: `ledger.read` takes a `Reader`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ledger.storage.locate import SCHEMA_REVISION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Params = Mapping[str, Any]


class Reader(Protocol):
    """Runs read-only SQL text with `:name` parameters; rows come back as tuples."""

    dialect: str
    """"sqlite" or "postgresql": for the few questions the two engines word differently."""

    def rows(self, sql: str, params: Params | None = None) -> Iterable[Sequence[Any]]: ...


if TYPE_CHECKING:
    Readable = Reader | Session
    """What the read path's functions take: a `Reader`, or the session of a write."""


LAST_ID = 2**31 - 1
"""The largest id or sequence number a row can have: they are 32-bit INTEGER on both
engines. The end of an open range of ids."""


def reader_of(source: Readable) -> Reader:
    """`source` itself, or a reader over a SQLAlchemy session (the write side asks the
    read path's questions inside its own transaction)."""
    if hasattr(source, "rows"):
        return source  # type: ignore[return-value]
    from ledger.storage.session_reader import SessionReader

    return SessionReader(source)  # type: ignore[arg-type]


def session_of(source: Readable) -> Session:
    """The SQLAlchemy session behind `source`, for the few questions asked through the ORM
    (a Merkle proof); a `SqliteReader` has none."""
    if hasattr(source, "rows"):
        session = getattr(source, "session", None)
        if session is None:
            raise TypeError("this question needs the ledger opened through SQLAlchemy")
        return session  # type: ignore[no-any-return]
    return source  # type: ignore[return-value]


def first(reader: Reader, sql: str, params: Params | None = None) -> Sequence[Any] | None:
    """The first row of `sql`, or None."""
    for row in reader.rows(sql, params):
        return row
    return None


def scalar(reader: Reader, sql: str, params: Params | None = None) -> Any:
    """The first column of the first row of `sql`, or None."""
    row = first(reader, sql, params)
    return None if row is None else row[0]


def in_ids(column: str, ids: Iterable[int]) -> str:
    """`column IN (1, 2, 3)` for row ids, written out: the ids come from the database and
    are integers, and a few thousand of them would pass SQLite's limit on parameters."""
    listed = ", ".join(str(int(value)) for value in ids)
    return f"{column} IN ({listed})" if listed else "1 = 0"


def in_params(column: str, name: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """`column IN (:name_0, :name_1, ...)` with its parameters (both engines, any driver)."""
    params = {f"{name}_{number}": value for number, value in enumerate(values)}
    if not params:
        return "1 = 0", params
    return f"{column} IN ({', '.join(':' + key for key in params)})", params


def like_prefix(text: str) -> str:
    """A LIKE pattern for values starting with `text` (escaped with a backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


class SqliteReader:
    """One consistent snapshot of a SQLite ledger, read through `sqlite3`."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Params | None = None) -> Iterable[Sequence[Any]]:
        return self.connection.execute(sql, params or {})

    def close(self) -> None:
        self.connection.close()


def open_sqlite(path: Path) -> SqliteReader | None:
    """A reader over the SQLite ledger at `path`, or None when it is not one this code
    reads as it stands (no schema, another revision, not a database): the full
    opening (`ledger.storage.database.Database.open`) then says what is wrong."""
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != SCHEMA_REVISION:
        connection.close()
        return None
    return SqliteReader(connection)
