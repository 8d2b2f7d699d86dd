"""`ledger.read.fastread`: what it must share with the SQLAlchemy path besides the answers.

(Its answers are compared with `queries.claim_views` on random ledgers in
tests/test_rules_sql.py.) It finds the same file `--db` names, knows the current
schema, fails with the same messages, and stays free of SQLAlchemy and pydantic,
which is its reason to exist.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ledger.errors import NotFound
from ledger.read import fastread
from ledger.storage import migrations
from ledger.storage.database import Database, resolve_url, sqlite_path
from tests.conftest import ROOT, SAMPLE_BUNDLE


def test_knows_the_current_schema():
    assert migrations.SCHEMA_REVISION in fastread.SCHEMA_REVISIONS, (
        "a new migration: check ledger/fastread.py's SQL against it, then add its revision"
    )


@pytest.mark.parametrize(
    "db", [None, "ledger.db", "sub/../ledger.db", "sqlite:///{tmp}/ledger.db", "missing.db"]
)
def test_finds_the_file_the_ledger_would_open(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "ledger.db").write_bytes(b"")
    db = db and db.format(tmp=tmp_path)
    expected = sqlite_path(resolve_url(db))
    found = fastread.sqlite_file(db)
    assert found == (expected if expected is not None and expected.exists() else None)


@pytest.mark.parametrize("db", ["postgresql+psycopg://h/db", "sqlite:///:memory:", "sqlite://"])
def test_leaves_other_engines_to_the_query_layer(db):
    assert fastread.sqlite_file(db) is None


@pytest.fixture
def ledger_file(cli) -> Path:
    if "://" in cli.db:
        pytest.skip("fastread reads SQLite files only")
    cli.ok("import", str(SAMPLE_BUNDLE))
    return Path(cli.db)


def test_refuses_what_it_does_not_know(ledger_file):
    connection = fastread.open_ledger(ledger_file)
    with pytest.raises(NotFound, match=r"^no article 'nope' in the ledger$"):
        fastread.claim_views(connection, article="nope")
    with pytest.raises(NotFound, match=r"^no source 'nope' in the ledger$"):
        fastread.claim_views(connection, source="nope")
    with pytest.raises(fastread.Unsupported):
        fastread.claim_views(connection, uncorroborated=True)
    connection.close()
    database = Database.open(str(ledger_file))
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    database.dispose()
    with pytest.raises(fastread.Unsupported):
        fastread.open_ledger(ledger_file)


PROBE = """
import sys
from pathlib import Path
from ledger.read import fastread
views = fastread.claim_views(fastread.open_ledger(Path(sys.argv[1])), article="rt-is-nusra-deal")
print(len(views), sorted(m for m in ("sqlalchemy", "pydantic", "yaml") if m in sys.modules))
"""


def test_imports_neither_sqlalchemy_nor_pydantic(ledger_file):
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(ledger_file)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.stdout.split(maxsplit=1) == ["20", "[]\n"], run.stderr
