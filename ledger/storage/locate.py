"""Where a ledger is: `--db` (a path or a SQLAlchemy URL) read the one way every part reads it.

Kept apart from `ledger.storage.database`, and on the standard library alone, so
that a read command can find and check a SQLite ledger without importing
SQLAlchemy (`ledger.read.reader`).
"""

from __future__ import annotations

import os
from pathlib import Path

from ledger.errors import InvalidInput

SCHEMA_REVISION = "0016"
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


SQLITE_HEADER = b"SQLite format 3\x00"


def check_sqlite_file(path: Path) -> None:
    """Refuse, naming the path, what SQLite would only call "unable to open database file".

    A folder, a file that is not an SQLite database, or a new file in a folder
    that does not exist: each is said in words before SQLite is asked to open it.
    """
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a ledger file")
    if not path.exists():
        if not path.parent.is_dir():
            raise InvalidInput(f"{path}: cannot create a ledger there: no folder {path.parent}")
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read: {exc.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise InvalidInput(f"{path}: not a ledger (the file is not an SQLite database)")
