"""The read path's SQL run through a SQLAlchemy session (`ledger.storage.reader.Reader`).

PostgreSQL ledgers are read this way, and so is every question the write side
asks inside its own transaction (does this source exist, which key does this
alias name): the same SQL text as `SqliteReader` runs, in the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session


class SessionReader:
    """Runs SQL text in a session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Sequence[Any]]:
        return self.session.execute(text(sql), dict(params or {}))
