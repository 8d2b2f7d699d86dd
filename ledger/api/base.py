"""What every part of the library's front door shares: the open ledger, its actor and policy.

The methods live in topic modules beside this one (`reading`, `entering`,
`sourcing`, `standards`, `protecting`), each a small class over this base;
`ledger.api.Ledger` puts them together. Every method opens its own transaction,
so a caller never holds a session: a write commits whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from ledger.policy import Policy, default_threshold, find_policy

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from ledger.storage.database import Database
    from ledger.storage.reader import Reader


class LedgerBase:
    """One open ledger (a SQLite file or a SQLAlchemy URL), with who acts and under which policy."""

    def __init__(
        self,
        database: Database | str,
        *,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> None:
        self._database = database if not isinstance(database, str) else None
        self._url = database if isinstance(database, str) else database.url
        self.actor = actor
        self.policy = policy if isinstance(policy, Policy) else find_policy(policy)
        self.threshold = threshold if threshold is not None else default_threshold(self.policy)
        self.upgraded: tuple[str | None, str] | None = None
        """With `open(create=True)`: the schema revision before (None: a new ledger) and after."""

    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> Self:
        """Open the ledger `db` names (default `$LEDGER_DB`, else ledger.db here).

        With `create`, a missing database is created and an old one upgraded to the
        current schema, as `ledger init` does; otherwise it must already be current.
        `policy` is a newsroom policy file (default: `$LEDGER_POLICY`, else
        ledger.toml here if there is one): the threshold and each check's level.
        """
        from ledger.storage.locate import resolve_url, sqlite_path

        name = str(db) if db is not None else None
        upgraded: tuple[str | None, str] | None = None
        url = resolve_url(name)
        database: Database | str
        if create:
            from ledger.storage.database import Database
            from ledger.storage.migrations import upgrade

            database = Database.open(name, must_exist=False)
            upgraded = upgrade(database, derive=_derive_if_new)
        elif (path := sqlite_path(url)) is not None and _current_sqlite_ledger(path):
            database = url  # SQLAlchemy is loaded only when something needs it (a write)
        else:
            from ledger.storage.database import Database

            database = Database.open(name)
        book = cls(database, actor=actor, threshold=threshold, policy=policy)
        book.upgraded = upgraded
        return book

    @property
    def database(self) -> Database:
        """The ledger through SQLAlchemy, for writes and the ledger-wide questions."""
        if self._database is None:
            from ledger.storage.database import Database

            self._database = Database.open(self._url)
        return self._database

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read transaction: through `sqlite3` on a SQLite file, else through SQLAlchemy."""
        if self._database is None:
            from ledger.storage.locate import sqlite_path
            from ledger.storage.reader import open_sqlite

            path = sqlite_path(self._url)
            reader = open_sqlite(path) if path is not None else None
            if reader is not None:
                with closing(reader):
                    yield reader
                return
        from ledger.storage.session_reader import SessionReader

        with self.database.read() as session:
            yield SessionReader(session)

    @property
    def location(self) -> str:
        """Where the ledger is, fit to print (a file path, or a URL without its password)."""
        if self._database is None:
            return self._url  # a SQLite file's URL: no password to hide
        return self.database.display_url

    # --- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _current_sqlite_ledger(path: Path) -> bool:
    """Whether `path` is a SQLite ledger at the current schema, asked through `sqlite3`."""
    from ledger.storage.locate import check_sqlite_file
    from ledger.storage.reader import open_sqlite

    if not path.is_file():
        return False
    check_sqlite_file(path)
    reader = open_sqlite(path)
    if reader is None:
        return False
    reader.close()
    return True


def _derive_if_new(connection: Connection, before: str) -> None:
    """After an upgrade past a revision that brought derived data empty (the claim tallies
    and shapes, the label signatures), derive it from what the ledger already holds, with
    this code's rules, in the upgrade's own transaction (`ledger.storage.migrations.upgrade`)."""
    from sqlalchemy.orm import Session

    from ledger.read import label_signatures, tallies

    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        if before < TALLIES_REVISION:
            tallies.rebuild(session)
        if before < SIGNATURES_REVISION:
            label_signatures.rebuild(session)
        session.commit()  # the savepoint: the upgrade's transaction commits it all


TALLIES_REVISION = "0017"
"""The latest schema revision that brought claim counts empty (`claim_tallies` in 0011,
`claim_shapes` in 0012, made anew with the two chain flags in 0014 and with what orders
the desk's flagged claims in 0017)."""
SIGNATURES_REVISION = "0015"
"""The latest schema revision that brought `label_signatures` empty (in 0013, made anew
with digests in 0015)."""
