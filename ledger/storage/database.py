"""Connecting to a ledger database, SQLite or PostgreSQL, and owning its transactions.

Services receive a `Session` and never commit; `Database.write()` is the one
place a transaction is committed, so a command is all-or-nothing.
"""

from __future__ import annotations

import getpass
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Executable, create_engine, event, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from ledger.errors import InvalidInput, LedgerError, SchemaOutOfDate
from ledger.storage.locate import check_sqlite_file, resolve_url, sqlite_path
from ledger.storage.process import program
from ledger.wording import control_problem, excerpt

WRITER_LOCK_SPACE = 0x1ED6E5
"""The first key of the PostgreSQL advisory lock every write transaction takes; the second is
the ledger's schema (`WRITER_LOCK`), so that ledgers kept as schemas of one database (a
newsroom's desks, a test run's) do not wait for one another."""
WRITER_LOCK = f"pg_advisory_xact_lock({WRITER_LOCK_SPACE}, hashtext(current_schema()))"
LOCK_TIMEOUT_ENV = "LEDGER_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 30.0  # seconds a writer waits for another to finish before giving up
WAL_CHECKPOINT_PAGES = 10_000
"""SQLite copies its write-ahead log back into the database (and syncs both) once the log
holds this many pages (40 MB). At SQLite's default, 1,000, an import of a thousand files (a
commit each) checkpointed every few files, copying again and again the index pages each
file touches (benchmarks/RESULTS.md). Closing the last connection checkpoints what is
left, as before."""


class WriterBusy(LedgerError):
    """Another writer held the ledger's write lock for longer than the lock timeout."""


def lock_timeout() -> float:
    """Seconds a writer waits for the write lock: $LEDGER_LOCK_TIMEOUT, else 30."""
    value = os.environ.get(LOCK_TIMEOUT_ENV)
    if value is None or not value.strip():
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 86_400:
        raise InvalidInput(
            f"${LOCK_TIMEOUT_ENV}: {value[:40]!r} is not a number of seconds between 0 and 86400"
        )
    return seconds


def _configure_sqlite(engine: Engine) -> None:
    """Enforce foreign keys, use WAL (checkpointed every `WAL_CHECKPOINT_PAGES`), and take
    the write lock at BEGIN for writers.

    pysqlite's own transaction handling is switched off (the SQLAlchemy recipe)
    so that a write transaction can start with BEGIN IMMEDIATE: a writer holds
    the lock before it reads anything it will build on, and waits for other
    writers up to the busy timeout instead of failing half-way.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {round(lock_timeout() * 1000)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        write = connection.get_execution_options().get("ledger_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: str) -> Engine:
    """An engine for `url`, with the SQLite settings the ledger relies on."""
    try:
        engine = create_engine(url, connect_args=_connect_args(url))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise InvalidInput(f"cannot use {excerpt(url)}: {exc}", field="db") from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    """No just-in-time compilation in the ledger's sessions. The rules' SQL form puts a dozen
    correlated subqueries on each claim; PostgreSQL's cost estimate for a batch of a few
    hundred claims passes `jit_above_cost`, and compiling the plan took 125 ms of a query
    that runs in 14 ms without it (a tally batch of 500 claims at 100,000 claims)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


def _connect_args(url: str) -> dict[str, object]:
    """On PostgreSQL, an application_name naming the program, unless the URL gives one."""
    if not url.startswith("postgresql") or "application_name" in url:
        return {}
    return {"application_name": _printable(program())}


def _printable(name: str) -> str:
    """What PostgreSQL keeps of an application_name: printable ASCII, 63 bytes."""
    return "".join(char if " " <= char <= "~" else "?" for char in name)[:63]


def actor_name(explicit: str | None = None) -> str:
    """Who is acting: `--as`, else $LEDGER_USER, else the operating-system user.

    A name the user gave is one line of plain text: it is shown in every `ledger log`.
    """
    for value, place in ((explicit, "--as"), (os.environ.get("LEDGER_USER"), "$LEDGER_USER")):
        if value:
            if problem := control_problem(value, one_line=True):
                raise InvalidInput(f"{place}: {problem}")
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


class Database:
    """One ledger database: its engine and its transactions."""

    def __init__(self, url: str, *, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine or make_engine(url)

    @classmethod
    def open(cls, db: str | None, *, must_exist: bool = True) -> Database:
        """Open the ledger named by `--db`; unless `must_exist` is False, it must be initialised."""
        url = resolve_url(db)
        path = sqlite_path(url)
        if must_exist and path is not None and not path.exists():
            raise SchemaOutOfDate(f"no ledger at {path}: run `ledger init` to create it")
        if path is not None:
            check_sqlite_file(path)
        database = cls(url)
        if must_exist:
            database.require_current_schema()
        return database

    @property
    def name(self) -> str:
        """The file of a SQLite ledger, else its URL with any password masked: for messages."""
        path = sqlite_path(self.url)
        return str(path) if path is not None else self.display_url

    @property
    def display_url(self) -> str:
        """The URL with any password masked, fit to print."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def require_current_schema(self) -> None:
        """Refuse a database whose schema is not the one this code was written for."""
        from ledger.storage.migrations import (
            SCHEMA_REVISION,
            NotALedger,
            current_revision,
            other_tables,
        )

        try:
            with self.engine.connect() as connection:
                revision = current_revision(connection)
                others = other_tables(connection) if revision is None else []
        except OperationalError as exc:
            raise LedgerError(f"cannot open the ledger {self.name}: {first_line(exc)}") from None
        if others:
            raise NotALedger(self.name, others)
        if revision != SCHEMA_REVISION:
            found = "no ledger schema" if revision is None else f"schema revision {revision}"
            raise SchemaOutOfDate(
                f"the database has {found}, this ledger needs {SCHEMA_REVISION}: run `ledger init`"
            )

    @contextmanager
    def locked(self) -> Iterator[Connection]:
        """A connection whose transaction holds the write lock from its start (SQLite's BEGIN
        IMMEDIATE, PostgreSQL's advisory lock), committed if the block ends without an
        exception: an upgrade's, with what it derives (`ledger.storage.migrations.upgrade`)."""
        with self.engine.execution_options(ledger_write=True).begin() as connection:
            if self.dialect == "postgresql":
                connection.execute(text(f"SELECT {WRITER_LOCK}"))
            yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; whatever it holds is discarded at the end."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session
            session.rollback()

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[Session]:
        """A session whose work is committed only if the block ends without an exception.

        `actor` is who the audit trail records for this transaction's events
        (default: $LEDGER_USER, else the operating-system user). The write lock
        is taken before the block runs; a writer that cannot get it within the
        lock timeout gets `WriterBusy`, with nothing written.
        """
        with self._writer(actor) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def rehearse(self, actor: str | None = None) -> Iterator[Session]:
        """A write transaction that is always rolled back: to learn what a change would do.

        It checks and writes exactly as `write()` does, so what it reports is
        what a real write would do at this moment; nothing of it is kept.
        """
        with self._writer(actor) as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def _writer(self, actor: str | None) -> Iterator[Session]:
        """A session holding the write lock: one writer at a time, on both engines.

        SQLite's BEGIN IMMEDIATE takes the lock (waiting up to the busy timeout);
        on PostgreSQL a transaction-scoped advisory lock does, so checks such as
        "is this source new?" stay true until the commit. Either way the wait is
        bounded by `lock_timeout()`, and the session is named after the program
        and actor so that a writer left waiting can say who holds the lock.
        """
        bind = self.engine.execution_options(ledger_write=True)
        with Session(bind=bind, expire_on_commit=False) as session:
            session.info["actor"] = actor_name(actor)
            try:
                if self.dialect == "postgresql":
                    _take_advisory_lock(session, f"{program()} ({session.info['actor']})")
                else:
                    session.connection()  # BEGIN IMMEDIATE: the lock, or the busy timeout
            except OperationalError as exc:
                session.rollback()
                if not _lock_refused(exc):
                    raise
                raise WriterBusy(self._busy_message()) from None
            yield session

    def _busy_message(self) -> str:
        seconds = f"{lock_timeout():g}"
        if self.dialect == "postgresql":
            holder = self._lock_holder()
            who = (
                f"another writer holds its write lock ({holder})"
                if holder
                else ("another writer held its write lock")
            )
        else:
            who = "another process is writing to it"
        return (
            f"the ledger {self.name} is busy: {who}; gave up after {seconds} s, nothing written "
            f"(try again, or set ${LOCK_TIMEOUT_ENV} to wait longer)"
        )

    def _lock_holder(self) -> str | None:
        """Who holds the PostgreSQL writer lock: program, pid, client and since when."""
        query = text(
            "SELECT a.application_name, a.pid, host(a.client_addr) AS client, a.usename,"
            " COALESCE(a.xact_start, a.state_change) AS since"
            " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2"
            f" AND l.classid = {WRITER_LOCK_SPACE} AND l.objid = hashtext(current_schema())::oid"
            " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        try:
            with self.engine.connect() as connection:
                row = connection.execute(query).first()
        except SQLAlchemyError:
            return None
        if row is None:
            return None
        parts = [_printable(row.application_name or "") or "a session", f"pid {row.pid}"]
        if row.usename:
            parts.append(f"user {_printable(row.usename)}")
        if row.client:
            parts.append(f"from {row.client}")
        if row.since is not None:
            parts.append(f"since {row.since.strftime('%Y-%m-%d %H:%M:%S %Z').strip()}")
        return ", ".join(parts)

    def dispose(self) -> None:
        self.engine.dispose()


_cursor_names = itertools.count(1)


def driver_rows(
    connection: Connection, statement: Executable, batch: int = 10_000
) -> Iterator[tuple[object, ...]]:
    """Rows of `statement` as the database driver returns them, fetched `batch` at a time.

    For million-row reads of plain text and integer columns (`ledger verify`),
    where SQLAlchemy's per-row processing would nearly double the cost. The
    statement runs in `connection`'s transaction; on PostgreSQL through a
    server-side cursor, so memory stays flat.
    """
    compiled = statement.compile(dialect=connection.dialect)
    values = compiled.construct_params()
    parameters = (
        tuple(values[name] for name in compiled.positiontup or ())
        if compiled.positional
        else values
    )
    driver_connection = connection.connection.dbapi_connection
    assert driver_connection is not None
    if connection.dialect.name == "postgresql":
        cursor = driver_connection.cursor(name=f"ledger_rows_{next(_cursor_names)}")
    else:
        cursor = driver_connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        while rows := cursor.fetchmany(batch):
            yield from rows
    finally:
        cursor.close()


def _take_advisory_lock(session: Session, name: str) -> None:
    """Name the session, then wait for the writer lock at most `lock_timeout()` seconds."""
    session.execute(
        text("SELECT set_config('application_name', :name, true)"), {"name": _printable(name)}
    )
    session.execute(
        text("SELECT set_config('lock_timeout', :ms, true)"),
        {"ms": f"{max(1, round(lock_timeout() * 1000))}ms"},
    )
    session.execute(text(f"SELECT {WRITER_LOCK}"))
    session.execute(text("SET LOCAL lock_timeout TO DEFAULT"))  # the lock is ours: no limit after


def _lock_refused(exc: OperationalError) -> bool:
    """The error of a lock wait that timed out: PostgreSQL's 55P03, SQLite's busy/locked."""
    if getattr(exc.orig, "sqlstate", None) == "55P03":
        return True
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message


def first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    return message.strip().splitlines()[0] if message.strip() else type(exc).__name__
