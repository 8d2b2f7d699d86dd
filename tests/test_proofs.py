"""Proofs that travel: a report's events checked offline by the README's script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.cli import app
from tests.conftest import ROOT, SAMPLE_BUNDLE, Cli
from tests.test_checkpoints import checkpoint
from tests.test_cli_entry import assert_refused

SLUG = "rt-is-nusra-deal"


def readme_proof_script(tmp_path: Path) -> Path:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- proof-script -->\n```python\n(.*?)```", readme, re.DOTALL)
    assert match, "README.md lost its proof-checking script"
    script = tmp_path / "check_proof.py"
    script.write_text(match.group(1), encoding="utf-8")
    return script


def check_offline(script: Path, report: Path, verifier_key: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(script), str(report), str(verifier_key)],
        capture_output=True,
        text=True,
    )


@pytest.fixture
def proven(seeded: Cli, signing_key: Path, tmp_path: Path) -> tuple[Cli, Path]:
    seeded.ok("claim", "edit", f"{SLUG}/deal", "--text", "A deal — “reportedly”.", "--as", "eve")
    return seeded, checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_the_readme_script_checks_a_reports_proof_offline(proven, signing_key, tmp_path, fmt):
    cli, saved = proven
    report = tmp_path / f"report.{fmt}"
    cli.ok("report", SLUG, "--format", fmt, "--proof", str(saved), "-o", str(report))
    events = [e for e in json.loads(cli.ok("log", "--json")) if e["article"] == SLUG]
    script = readme_proof_script(tmp_path)
    run = check_offline(script, report, Path(f"{signing_key}.pub"))
    assert run.returncode == 0, run.stderr
    assert f"{len(events)} events of {SLUG} are in claim-ledger/" in run.stdout

    # a report whose claim was changed after the fact no longer checks
    forged = tmp_path / f"forged.{fmt}"
    forged.write_text(report.read_text().replace("Atareb, west", "Idlib, west"))
    run = check_offline(script, forged, Path(f"{signing_key}.pub"))
    assert run.returncode != 0 and "its content does not match its hash" in run.stderr

    # nor does one checked with another newsroom's key
    other = tmp_path / "other.key"
    CliRunner().invoke(app, ["key", "init", "--signing", "--key-file", str(other)])
    run = check_offline(script, report, Path(f"{other}.pub"))
    assert run.returncode != 0 and "not signed by this key" in run.stderr


def test_the_json_proof_says_what_it_covers(proven):
    cli, saved = proven
    cli.ok("claim", "edit", f"{SLUG}/atareb", "--cue", "said")  # after the checkpoint
    report = json.loads(cli.ok("report", SLUG, "--format", "json", "--proof", str(saved)))
    proof = report["proof"]
    assert proof["checkpoint"] == saved.read_text()
    assert proof["tree_size"] == int(saved.read_text().splitlines()[1])
    assert proof["newer_events"] == 1
    assert all(item["event"]["seq"] <= proof["tree_size"] for item in proof["events"])
    assert {item["event"]["article"] for item in proof["events"]} == {SLUG}
    html = cli.ok("report", SLUG, "--format", "html", "--proof", str(saved))
    assert '<section id="proof">' in html and "1 later event(s) are not" in html


def test_proofs_are_refused_where_they_cannot_go(proven, tmp_path):
    cli, saved = proven
    assert_refused(cli("report", SLUG, "--format", "md", "--proof", str(saved)), "json or html")
    assert_refused(cli("report", "--all", "--format", "json", "--proof", str(saved)), "SLUG")
    assert_refused(
        cli("report", SLUG, "--format", "json", "--public", "--proof", str(saved)), "--public"
    )
    other = Cli(str(tmp_path / "other.db"), CliRunner())
    other.ok("init")
    other.ok("import", str(SAMPLE_BUNDLE))
    assert_refused(
        other("report", SLUG, "--format", "json", "--proof", str(saved)), "another ledger"
    )
    cli.ok("article", "add", "later", "--title", "Written after the checkpoint")
    assert_refused(
        cli("report", "later", "--format", "json", "--proof", str(saved)), "none of article"
    )


def test_the_library_checkpoints_verifies_and_proves(tmp_path, signing_key):
    from ledger import Ledger

    with Ledger.open(str(tmp_path / "library.db"), create=True, actor="desk-script") as book:
        book.import_file(SAMPLE_BUNDLE)
        saved = tmp_path / "library.checkpoint"
        saved.write_text(book.checkpoint(signing_key), encoding="utf-8")
        result = book.verify([saved], [f"{signing_key}.pub"])
        assert result.problems == [] and result.checkpoints[0].problem is None
        report = json.loads(book.report(SLUG, format="json", proof=saved))
        assert report["proof"]["tree_size"] == result.events
