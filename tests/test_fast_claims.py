"""`ledger claims --article/--source` answered before Typer gives exactly the Typer command's output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, Cli

CASES = [
    ["--article", "rt-is-nusra-deal", "--json"],
    ["--article", "rt-is-nusra-deal", "--uncorroborated", "--anonymous-only", "--json"],
    ["--source", "ap", "--contradicted", "--json"],
    ["--source", "opposition-official", "--threshold", "3", "--json"],
    ["--article", "rt-is-nusra-deal"],
    ["--source", "abu-musafer", "--uncorroborated"],
]


def run_program(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "ledger", *args], capture_output=True, text=True, cwd=ROOT, env=env
    )


@pytest.fixture
def sqlite_seeded(tmp_path) -> Cli:
    from typer.testing import CliRunner

    from tests.conftest import SAMPLE_BUNDLE

    cli = Cli(str(tmp_path / "fast.db"), CliRunner())
    cli.ok("init")
    cli.ok("import", str(SAMPLE_BUNDLE))
    cli.ok("claim", "link", "rt-is-nusra-deal/war-planning", "contradicts", "rt-is-nusra-deal/deal")
    return cli


@pytest.mark.parametrize("options", CASES, ids=[" ".join(case) for case in CASES])
def test_fast_answer_equals_the_typer_command(sqlite_seeded, options):
    fast = run_program("claims", *options, "--db", sqlite_seeded.db)
    assert fast.returncode == 0, fast.stderr
    assert fast.stdout == sqlite_seeded.ok("claims", *options)


@pytest.mark.parametrize(
    ("options", "message"),
    [(["--article", "nope"], "no article 'nope'"), (["--source", "nobody"], "no source 'nobody'")],
)
def test_errors_are_the_typer_commands(sqlite_seeded, options, message):
    result = run_program("claims", *options, "--db", sqlite_seeded.db)
    assert result.returncode == 2 and message in result.stderr


def test_outdated_schema_goes_to_the_typer_command(sqlite_seeded):
    import sqlite3

    connection = sqlite3.connect(sqlite_seeded.db)
    connection.execute("UPDATE alembic_version SET version_num = '0004'")
    connection.commit()
    connection.close()
    result = run_program("claims", "--article", "rt-is-nusra-deal", "--db", sqlite_seeded.db)
    assert result.returncode == 2 and "run `ledger init`" in result.stderr
