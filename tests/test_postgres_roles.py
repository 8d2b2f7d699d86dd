"""Who really wrote it: `db_role` beside the asserted actor, an append-only trail, the documented grants.

The PostgreSQL cases create login roles of their own (named uniquely, dropped
afterwards) and connect as them, as a newsroom's journalists would.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from tests.conftest import (
    POSTGRES_SKIP,
    POSTGRES_URL,
    ROOT,
    SAMPLE_BUNDLE,
    Cli,
    initialise,
    postgres_schema_url,
)
from tests.test_audit import assert_verifies

needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason=POSTGRES_SKIP)


@pytest.fixture
def pg_seeded(request: pytest.FixtureRequest) -> Iterator[Cli]:
    """The sample ledger on PostgreSQL only, in a schema of its own."""
    assert POSTGRES_URL
    for url in postgres_schema_url(POSTGRES_URL):
        initialise(url, request)
        cli = Cli(url, CliRunner())
        cli.ok("import", str(SAMPLE_BUNDLE))
        yield cli


def test_log_shows_the_database_role_beside_the_actor_when_they_differ(seeded):
    seeded.ok("article", "add", "other", "--title", "Other", "--as", "alice")
    last = json.loads(seeded.ok("log", "--json"))[-1]
    table = seeded.ok("log", "--article", "other")
    if "://" in seeded.db:
        assert last["db_role"] == make_url(POSTGRES_URL or "").username
        assert f"alice (db: {last['db_role']})" in table
    else:
        assert last["db_role"] is None
        assert "alice" in table and "(db:" not in table


@pytest.mark.postgresql
@needs_postgres
@pytest.mark.parametrize("table", ["events", "merkle_nodes", "ledger_info"])
@pytest.mark.parametrize("statement", ["UPDATE {table} SET {column} = {column}", "DELETE FROM {table}", "TRUNCATE {table}"])  # fmt: skip
def test_the_trail_is_append_only_even_for_its_owner(pg_seeded, table, statement):
    seeded = pg_seeded
    column = {"events": "actor", "merkle_nodes": "hash", "ledger_info": "value"}[table]
    engine = create_engine(seeded.db)
    try:
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"), engine.begin() as c:
            c.execute(text(statement.format(table=table, column=column)))
    finally:
        engine.dispose()
    assert_verifies(seeded)


@pytest.mark.postgresql
@needs_postgres
def test_an_event_must_record_the_role_that_writes_it(pg_seeded):
    seeded = pg_seeded
    engine = create_engine(seeded.db)
    try:
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="record the role"), engine.begin() as c:
            c.execute(
                text(
                    "INSERT INTO events (seq, at, actor, action, entity, entity_key, prev_hash, "
                    "hash, format, db_role) SELECT max(seq) + 1, 'now', 'x', 'x', 'x', 'x', "
                    "'0', 'forged', 2, 'somebody_else' FROM events"
                )
            )
    finally:
        engine.dispose()


# --- the grants the README documents -----------------------------------------------------------


def readme_grants() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### Roles on PostgreSQL.*?```sql\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md lost its PostgreSQL roles"
    lines = [line.split("--")[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


@pytest.fixture
def newsroom_roles() -> Iterator[tuple[str, dict[str, str]]]:
    """The README's roles under unique names, a schema owned by the owner; dropped afterwards."""
    assert POSTGRES_URL
    suffix = uuid.uuid4().hex[:8]
    names = {name: f"{name}_{suffix}" for name in ("ledger_owner", "ledger_writer", "alice")}
    schema = f"ledger_roles_{suffix}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    creating = [line for line in readme_grants() if line.startswith("CREATE ROLE")]
    with admin.connect() as connection:
        for statement in creating:
            connection.execute(text(rename(statement, names)))
        connection.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {names['ledger_owner']}"))
    try:
        yield schema, names
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            for name in reversed(names.values()):
                connection.execute(text(f"DROP OWNED BY {name}"))
                connection.execute(text(f"DROP ROLE {name}"))
        admin.dispose()


def rename(statement: str, names: dict[str, str]) -> str:
    for name, unique in names.items():
        statement = re.sub(rf"\b{name}\b", unique, statement)
    return statement


def url_as(role: str, schema: str) -> str:
    url = make_url(POSTGRES_URL or "").set(username=role, password=None)
    base = url.render_as_string(hide_password=False).split("?")[0]
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.mark.postgresql
@needs_postgres
def test_the_documented_roles_work_and_keep_the_trail_append_only(newsroom_roles):
    schema, names = newsroom_roles
    owner = Cli(url_as(names["ledger_owner"], schema), CliRunner())
    owner.ok("init")
    grants = [line for line in readme_grants() if not line.startswith("CREATE ROLE")]
    engine = create_engine(owner.db)
    with engine.begin() as connection:
        for statement in grants:
            connection.execute(text(rename(statement, names).replace(" public ", f" {schema} ")))
    engine.dispose()

    alice = Cli(url_as(names["alice"], schema), CliRunner())
    alice.ok("import", str(SAMPLE_BUNDLE), "--as", "alice")
    alice.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--cue", "said", "--as", "bob")
    last = json.loads(alice.ok("log", "--json"))[-1]
    assert (last["actor"], last["db_role"]) == ("bob", names["alice"])
    assert_verifies(alice)

    engine = create_engine(alice.db)
    try:
        for statement in ("UPDATE events SET actor = 'mallory'", "DELETE FROM merkle_nodes"):
            denied = pytest.raises(sqlalchemy.exc.ProgrammingError, match="permission denied")
            with denied, engine.begin() as connection:
                connection.execute(text(statement))
    finally:
        engine.dispose()
    assert_verifies(alice)
