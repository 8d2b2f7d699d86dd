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

from ledger.audit import trail
from ledger.storage.database import Database
from ledger.storage.migrations import head_revision, known_revisions, upgrade
from ledger.storage.schema import Base
from tests.conftest import POSTGRES_URL, ROOT, SAMPLE_BUNDLE, Cli, postgres_schema_url
from tests.test_audit import assert_verifies


def big_bundle(directory: Path, claims: int = 2000) -> Path:
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


# The importing process stops at a named point of its write transaction, proves it
# got there by writing a marker file, and waits to be killed. The points are
# functions it calls mid-write; the wrapper patches them, the ledger has no hooks.
KILL_POINTS = {
    # every claim of the bundle written, no link yet
    "claims written": ("ledger.write.pipeline", "write_links"),
    # rows written, their audit events being appended
    "events appending": ("ledger.audit.trail", "record"),
    # everything written, the commit about to be sent
    "before commit": ("sqlalchemy.orm", "Session.commit"),
}

PAUSING_IMPORT = """
import importlib, sys, time
from pathlib import Path

module_name, attribute, marker = sys.argv[1:4]
owner = importlib.import_module(module_name)
*path, name = attribute.split(".")
for part in path:
    owner = getattr(owner, part)
original = getattr(owner, name)
seen = []

def pause(*args, **kwargs):
    seen.append(1)
    if module_name.startswith("sqlalchemy") or len(seen) > 1 or name != "record":
        Path(marker).write_text("reached")
        while True:
            time.sleep(1)
    return original(*args, **kwargs)

setattr(owner, name, pause)
sys.argv = ["ledger", *sys.argv[4:]]
from ledger.cli import main
main()
"""


@pytest.mark.parametrize("point", KILL_POINTS)
def test_import_killed_part_way_leaves_none_or_all(seeded, tmp_path, point):
    path = big_bundle(tmp_path, claims=2000)
    marker = tmp_path / "reached"
    module_name, attribute = KILL_POINTS[point]
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PAUSING_IMPORT,
            module_name,
            attribute,
            str(marker),
            "import",
            str(path),
            "--db",
            seeded.db,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), f"the import never reached {point!r}: {process.stderr.read()!r}"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert claim_count(seeded, "big") == 0  # killed mid-write: none of it
    assert len(json.loads(seeded.ok("claims", "--json", "--article", "rt-is-nusra-deal"))) == 20
    seeded.ok("claims", "--uncorroborated", "--anonymous-only")
    assert_verifies(seeded)
    seeded.ok("import", "--replace", str(path))  # the ledger still takes writes
    assert claim_count(seeded, "big") == 2000
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
            found = inspect(writer).get_columns(table.name)
            columns = {column["name"] for column in found}
            if any(not column["nullable"] and column["name"] not in table.c for column in found):
                continue  # derived rows laid out otherwise then (0015's digests): derived again
            selected = [column for column in table.columns if column.name in columns]
            rows = [dict(row._mapping) for row in reader.execute(select(*selected))]
            if table.name == "events" and "format" not in columns:
                rows = as_format_1(rows)
            if table.name == "ledger_info":  # the upgrade to 0009 gave the old ledger its origin
                present = set(writer.execute(select(table.c.name)).scalars())
                rows = [row for row in rows if row["name"] not in present]
            if rows:
                writer.execute(table.insert(), rows)


def as_format_1(rows: list[dict]) -> list[dict]:
    """Events as a ledger older than schema 0009 wrote them: hashed without article and db_role."""
    previous = trail.GENESIS_HASH
    for row in sorted(rows, key=lambda row: row["seq"]):
        event = {**row, "key": row["entity_key"], "state": json.loads(row["state"] or "null")}
        row["prev_hash"] = previous
        row["hash"] = previous = trail.chain_hash(previous, event)
    return rows


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
