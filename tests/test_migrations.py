"""Migrations and models agree; outdated and newer databases are refused clearly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from ledger.storage.database import Database
from ledger.storage.migrations import SCHEMA_REVISION, head_revision, upgrade
from ledger.storage.schema import Base
from tests.test_cli_entry import assert_refused


def test_schema_revision_constant_is_alembic_head():
    assert head_revision() == SCHEMA_REVISION


def test_models_and_migrations_agree(cli):
    database = Database.open(cli.db)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    database.dispose()
    assert differences == []


def test_init_is_idempotent(cli):
    assert "up to date" in cli.ok("init")


def test_commands_refuse_a_database_without_the_schema(db_url, cli):
    database = Database.open(cli.db)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000'"))
    database.dispose()
    assert_refused(cli("claims"), "schema revision 0000", "run `ledger init`")


def test_init_refuses_a_database_newer_than_the_code(cli):
    database = Database.open(cli.db)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    database.dispose()
    assert_refused(cli("init"), "newer than this ledger knows")


def test_foreign_keys_are_enforced_on_sqlite(tmp_path):
    import pytest
    import sqlalchemy.exc

    database = Database.open(str(tmp_path / "fk.db"), must_exist=False)
    upgrade(database)
    with pytest.raises(sqlalchemy.exc.IntegrityError), database.write() as session:
        session.execute(
            text(
                "INSERT INTO hops (claim_id, chain, position, source_id, is_origin) VALUES (1, 0, 0, 99, 1)"
            )
        )
