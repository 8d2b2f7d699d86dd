"""The read path's SQL run through a SQLAlchemy session (`ledger.storage.reader.Reader`).

PostgreSQL ledgers are read this way, and so is every question the write side
asks inside its own transaction (does this source exist, which key does this
alias name): the same SQL text as `SqliteReader` runs, in the caller's session.

The text goes to the database driver as it is (`exec_driver_sql`): SQLAlchemy's
own handling of a statement with a hundred parameters costs more than the
statement, and an import asks such questions for every file. `:name`
parameters are what sqlite3 reads; for psycopg they become `%(name)s`. As
`session.execute` does, pending ORM changes are flushed first (unless the
caller turned autoflush off), so a write's questions see what it wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


class SessionReader:
    """Runs SQL text in a session's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        dialect = session.get_bind().dialect
        self.dialect = dialect.name
        self._pyformat = dialect.paramstyle in ("format", "pyformat")

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Iterable[Sequence[Any]]:
        if self.session.autoflush:  # as session.execute would: the question sees pending rows
            self.session.flush()
        if self._pyformat:
            sql = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        return self.session.connection().exec_driver_sql(sql, dict(params or {}))
