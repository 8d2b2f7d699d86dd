"""Crash safety and schema upgrades: nothing half-written, nothing lost, on both engines."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from ledger.db import Database
from ledger.migrate import head_revision, known_revisions, upgrade
from ledger.schema import Base
from tests.conftest import POSTGRES_URL, ROOT, SAMPLE_BUNDLE, Cli, postgres_schema_url
from tests.test_audit import assert_verifies


def big_bundle(directory: Path, claims: int = 12000) -> Path:
    bundle = {
        "version": 1,
        "article": {"slug": "big", "title": "A long investigation"},
        "sources": [
            {"key": f"s{n}", "label": f"source {n}", "anonymity": "anonymous" if n % 3 else "named"}
            for n in range(50)
        ],
        "claims": [
            {
                "key": f"c{i}",
                "text": f"Claim number {i}.",
                "attributions": [[f"s{i % 50}"], [f"s{(i * 7) % 50}"]],
            }
            for i in range(claims)
        ],
        "links": [
            {"from": f"c{i}", "relation": "corroborates", "to": f"c{i - 1}"}
            for i in range(1, claims, 3)
        ],
    }
    path = directory / "big.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def claim_count(cli: Cli, article: str) -> int:
    result = cli("claims", "--json", "--article", article)
    if result.exit_code == 2:  # the article is not there at all
        return 0
    return len(json.loads(result.stdout))


@pytest.mark.parametrize("delay", [0.8, 1.6, 2.4])
def test_import_killed_part_way_leaves_none_or_all(seeded, tmp_path, delay):
    path = big_bundle(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "ledger", "import", str(path), "--db", seeded.db],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert claim_count(seeded, "big") in (0, 12000)
    assert len(json.loads(seeded.ok("claims", "--json", "--article", "rt-is-nusra-deal"))) == 20
    seeded.ok("claims", "--uncorroborated", "--anonymous-only")
    assert_verifies(seeded)
    seeded.ok("import", "--replace", str(path))  # the ledger still takes writes
    assert claim_count(seeded, "big") == 12000
    assert_verifies(seeded)


@pytest.mark.parametrize("delay", [0.05, 0.2, 0.5])
def test_sqlite_init_killed_part_way_can_be_run_again(tmp_path, delay):
    from typer.testing import CliRunner

    path = tmp_path / "fresh.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "ledger", "init", "--db", str(path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    cli = Cli(str(path), CliRunner())
    cli.ok("init")
    cli.ok("import", str(SAMPLE_BUNDLE))
    assert_verifies(cli)


# --- upgrades keep data ------------------------------------------------------------------------


OLD_REVISIONS = sorted(known_revisions() - {head_revision()})


def copy_rows(source: Database, target: Database) -> None:
    """Copy every row the target's (older) schema has room for, table by table."""
    target_tables = set(inspect(target.engine).get_table_names())
    with source.engine.connect() as reader, target.engine.begin() as writer:
        for table in Base.metadata.sorted_tables:
            if table.name not in target_tables:
                continue
            columns = {column["name"] for column in inspect(writer).get_columns(table.name)}
            selected = [column for column in table.columns if column.name in columns]
            rows = [dict(row._mapping) for row in reader.execute(select(*selected))]
            if rows:
                writer.execute(table.insert(), rows)


@pytest.mark.parametrize("revision", OLD_REVISIONS)
def test_upgrade_from_every_shipped_revision_keeps_data_and_answers(
    seeded, db_url, tmp_path, revision
):
    from typer.testing import CliRunner

    seeded.ok(
        "claim",
        "link",
        "rt-is-nusra-deal/war-planning",
        "contradicts",
        "rt-is-nusra-deal/earlier-fighting",
    )
    expected_claims = json.loads(seeded.ok("claims", "--json"))
    expected_export = seeded.ok("export")

    with ExitStack() as stack:
        if "://" in db_url:  # the old ledger lives on the same engine as the test's
            old_url = stack.enter_context(contextmanager(postgres_schema_url)(POSTGRES_URL))
        else:
            old_url = str(tmp_path / f"at-{revision}.db")
        old = Database.open(old_url, must_exist=False)
        upgrade(old, revision)
        copy_rows(Database.open(seeded.db), old)
        old.dispose()
        check_upgrade(Cli(old_url, CliRunner()), revision, expected_claims, expected_export)


def check_upgrade(
    upgraded: Cli, revision: str, expected_claims: list, expected_export: str
) -> None:
    assert f"from schema {revision} to {head_revision()}" in " ".join(upgraded.ok("init").split())
    assert json.loads(upgraded.ok("claims", "--json")) == expected_claims
    assert upgraded.ok("export") == expected_export
    assert_verifies(upgraded)
    upgraded.ok("claim", "edit", "rt-is-nusra-deal/deal", "--cue", "reported")
    assert_verifies(upgraded)


def test_there_are_old_revisions_to_upgrade_from():
    assert OLD_REVISIONS, "every shipped revision but the head is upgrade-tested above"
