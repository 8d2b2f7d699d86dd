"""Schema migrations: Alembic, driven from code with no alembic.ini needed.

`SCHEMA_REVISION` is the revision this code expects; every command but
`ledger init` compares the database's revision with it (one cheap query, no
Alembic import). A test checks that it is Alembic's head.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text
from sqlalchemy.exc import DatabaseError, OperationalError

from ledger.errors import InvalidInput, LedgerError, SchemaOutOfDate
from ledger.storage.locate import SCHEMA_REVISION as SCHEMA_REVISION


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None when it has no ledger schema."""
    try:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DatabaseError:
        connection.rollback()
        return None
    return row[0] if row else None


class NotALedger(InvalidInput):
    """A database that holds tables of something else and no ledger schema."""

    def __init__(self, name: str, tables: list[str]) -> None:
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        super().__init__(
            f"{name}: not a ledger: it holds other tables ({shown}) and no ledger schema; "
            "the ledger leaves it alone"
        )


def other_tables(connection: Connection) -> list[str]:
    """The tables of a database without a ledger schema (none for a new, empty database)."""
    from sqlalchemy import inspect

    return sorted(inspect(connection).get_table_names())


def alembic_config(connection: Connection | None = None):  # type: ignore[no-untyped-def]
    """An Alembic Config pointing at the ledger's migrations, sharing `connection` if given."""
    from alembic.config import Config

    from ledger.storage.resources import resource_dir

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade(  # type: ignore[no-untyped-def]
    database, revision: str = "head", *, derive: Callable[[Connection, str], None] | None = None
) -> tuple[str | None, str]:
    """Bring the database to `revision`; returns (revision before, revision after).

    Refuses a database stamped with a revision this code does not know: it was
    written by a newer version of the ledger, and downgrading it would lose data.

    `derive(connection, before)` runs after the migrations of a ledger that was
    already there, in their transaction and under the writer's lock: what it derives
    from the records (tables the migrations brought empty) commits with them, so a
    process killed in between leaves the ledger at its old revision, to be upgraded
    again, never at the new one with those tables empty.
    """
    from alembic import command

    try:
        with database.engine.connect() as connection:
            before = current_revision(connection)
            others = other_tables(connection) if before is None else []
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise LedgerError(f"cannot open the ledger {database.name}: {reason}") from None
    if others:
        raise NotALedger(database.name, others)
    if before is not None and before not in known_revisions():
        raise SchemaOutOfDate(
            f"the database is at schema revision {before}, newer than this ledger knows: "
            "upgrade the ledger software instead"
        )
    with database.locked() as connection:
        command.upgrade(alembic_config(connection), revision)
        if derive is not None and before is not None:
            derive(connection, before)
    with database.engine.connect() as connection:
        after = current_revision(connection)
    assert after is not None
    return before, after
