"""Where a ledger is: `--db` (a path or a SQLAlchemy URL) read the one way every part reads it.

Kept apart from `ledger.storage.database`, and on the standard library alone, so
that a read command can find and check a SQLite ledger without importing
SQLAlchemy (`ledger.read.reader`).
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from ledger.errors import InvalidInput

SCHEMA_REVISION = "0017"
"""The schema revision this code reads and writes (`ledger.storage.migrations` gets there)."""
DB_ENV = "LEDGER_DB"
DEFAULT_DB = "ledger.db"


def resolve_url(db: str | None) -> str:
    """Turn `--db` (a path or a SQLAlchemy URL) into a URL; default `$LEDGER_DB`, else ledger.db."""
    value = db or os.environ.get(DB_ENV) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other engines and in-memory databases."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and url[len(prefix) :] not in ("", ":memory:"):
        return Path(url[len(prefix) :])
    return None


def check_sqlite_file(path: Path) -> None:
    """Refuse, naming the path, what SQLite would only call "unable to open database file".

    A folder, a file that is not an SQLite database, or a new file in a folder
    that does not exist: each is said in words before SQLite is asked to open it.

    Whether the file is a database is asked of SQLite, not read from its header
    through a descriptor of our own: this process may hold connections to the file
    (a pool's, a library user's), and closing any descriptor of a file drops every
    POSIX lock the process holds on it, SQLite's shared lock among them (SQLite's
    own opens keep them). Another process closing its connection then took the file
    for unused, copied its write-ahead log back and deleted it under ours, which
    went on reading a stale snapshot, or another table's pages.
    """
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a ledger file")
    if not path.exists():
        if not path.parent.is_dir():
            raise InvalidInput(f"{path}: cannot create a ledger there: no folder {path.parent}")
        return
    if not os.access(path, os.R_OK):
        raise InvalidInput(f"{path}: cannot read: {os.strerror(errno.EACCES)}")
    try:
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA schema_version")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise InvalidInput(
                f"{path}: not a ledger (the file is not an SQLite database)"
            ) from None
        raise InvalidInput(f"{path}: cannot read: {exc}") from None
