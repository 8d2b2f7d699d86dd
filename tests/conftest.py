"""Shared fixtures: a fresh ledger per test, on SQLite and (when configured) PostgreSQL.

PostgreSQL cases run when LEDGER_TEST_POSTGRES_URL names a server, for example
postgresql+psycopg://postgres@127.0.0.1:5432/test; each test gets a schema of
its own, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from typer.testing import CliRunner

from ledger.cli import app
from ledger.storage import migrations
from ledger.storage.database import Database

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_BUNDLE = SAMPLES / "rt-is-nusra-deal.yaml"
POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL")
POSTGRES_SKIP = (
    "PostgreSQL tests need LEDGER_TEST_POSTGRES_URL, "
    "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's ledger, threshold or user name."""
    for name in ("LEDGER_DB", "LEDGER_THRESHOLD", "LEDGER_USER", "LEDGER_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.chdir(tmp_path)


def postgres_schema_url(base_url: str) -> Iterator[str]:
    """Create a schema of its own on the server, yield a URL that uses it, drop it afterwards."""
    schema = f"ledger_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base_url else "?"
    try:
        yield f"{base_url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a file path on SQLite, a fresh schema's URL on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    if not POSTGRES_URL:
        pytest.skip(POSTGRES_SKIP)
    yield from postgres_schema_url(POSTGRES_URL)


@dataclass
class Cli:
    """Runs `ledger` in-process through Typer's CliRunner against one database."""

    db: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None, db: bool = True):
        argv = [*args, "--db", self.db] if db else list(args)
        return self.runner.invoke(app, argv, input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | None = None) -> str:
        """Run a command that must succeed; return its stdout."""
        result = self(*args, input=input)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.stdout}{result.stderr}"
        return result.stdout


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty ledger migrated once per test session; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "ledger.db"
    database = Database.open(str(path), must_exist=False)
    migrations.upgrade(database)
    database.dispose()  # the last connection closing folds the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_template() -> list[tuple[str, Any]]:
    """The statements `ledger init` runs on an empty PostgreSQL schema, recorded once.

    Running Alembic for every test costs more than the test; replaying the
    statements it sent (unqualified, so they land in whatever schema the URL's
    search_path names) builds the same schema in a fraction of the time.
    `test_migrations.py` still runs the real migrations on both engines.
    """
    if not POSTGRES_URL:
        pytest.skip(POSTGRES_SKIP)
    recorded: list[tuple[str, Any]] = []
    for url in postgres_schema_url(POSTGRES_URL):
        database = Database.open(url, must_exist=False)

        @event.listens_for(database.engine, "before_cursor_execute")
        def record(connection, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            if not statement.lstrip().upper().startswith(("SELECT", "SHOW")):
                recorded.append((statement, parameters))

        migrations.upgrade(database)
        database.dispose()
    return recorded


def initialise(db_url: str, request: pytest.FixtureRequest) -> None:
    """Make the empty database `db_url` an initialised ledger, as `ledger init` would."""
    if "://" not in db_url:
        shutil.copyfile(request.getfixturevalue("sqlite_template"), db_url)
        return
    statements = request.getfixturevalue("postgres_template")
    engine = create_engine(db_url)
    with engine.begin() as connection:
        for statement, parameters in statements:
            connection.exec_driver_sql(statement, parameters)
    engine.dispose()


@pytest.fixture
def cli(db_url: str, request: pytest.FixtureRequest) -> Cli:
    """A CLI bound to an initialised, empty ledger."""
    initialise(db_url, request)
    return Cli(db_url, CliRunner())


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    """The ledger with the sample article imported."""
    cli.ok("import", str(SAMPLE_BUNDLE))
    return cli


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A private copy of samples/, safe to edit."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A fresh newsroom key file, made by `ledger key init`."""
    path = tmp_path / "newsroom.key"
    result = CliRunner().invoke(app, ["key", "init", "--key-file", str(path)])
    assert result.exit_code == 0, result.stderr
    return path


@pytest.fixture
def signing_key(tmp_path: Path) -> Path:
    """A fresh checkpoint signing key named example.org/desk, its verifier key beside it (.pub)."""
    path = tmp_path / "keys" / "desk.key"
    path.parent.mkdir()
    result = CliRunner().invoke(
        app, ["key", "init", "--signing", "--key-file", str(path), "--name", "example.org/desk"]
    )
    assert result.exit_code == 0, result.stderr
    return path


def upgraded_from(db_url: str, revision: str) -> tuple[str | None, str] | None:
    """Take the ledger at `db_url` down to schema `revision`, open it as `ledger init` does
    (which upgrades it), and say what the upgrade went from and to."""
    from alembic import command

    from ledger.api import Ledger

    database = Database.open(db_url)
    with database.engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), revision)
    database.dispose()
    with Ledger.open(db_url, create=True) as upgraded:
        return upgraded.upgraded
