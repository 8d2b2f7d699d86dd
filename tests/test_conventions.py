"""What a user expects of any command-line program: version, -h, CSV, whole lines in a pipe,
exit 130 on Ctrl-C, counted nouns, no litter, and errors that name the file."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from ledger import __version__
from ledger.cli import app
from tests.conftest import SAMPLE_BUNDLE


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_version_and_short_help():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout == f"ledger {__version__}\n"
    for argv in (["-h"], ["claim", "add", "-h"], ["source", "-h"], ["check", "-h"]):
        result = run(*argv)
        assert result.exit_code == 0, argv
        assert "Usage:" in result.stdout


LIST_COMMANDS = [
    ("claims",),
    ("claims", "--article", "rt-is-nusra-deal"),
    ("article", "list"),
    ("source", "list"),
    ("log",),
    ("check", "--all"),
]


@pytest.mark.parametrize("command", LIST_COMMANDS, ids=" ".join)
def test_every_list_command_writes_csv_and_tsv(seeded, command):
    as_json = seeded(*command, "--json")
    rows = json.loads(as_json.stdout)
    for fmt, delimiter in (("--csv", ","), ("--tsv", "\t")):
        result = seeded(*command, fmt)
        assert result.exit_code in (0, 1), result.stderr  # check exits 1 on findings
        table = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        assert len(table) == len(rows) + 1, fmt
        assert all(len(row) == len(table[0]) for row in table)


def test_csv_defuses_spreadsheet_formulas(seeded):
    seeded.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--text", '=HYPERLINK("http://x","y")')
    out = seeded.ok("claims", "--article", "rt-is-nusra-deal", "--csv")
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["key"] == "atareb")
    assert row["text"].startswith("'=HYPERLINK")


def test_one_format_at_a_time(seeded):
    assert_refused(seeded("claims", "--json", "--csv"), "--json", "--csv")


def test_piped_tables_keep_every_line_whole(seeded, monkeypatch):
    long_text = "The meeting " + "went on and on " * 20 + "until dawn."
    seeded.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--text", long_text)
    monkeypatch.setenv("COLUMNS", "60")
    out = seeded.ok("claims", "--article", "rt-is-nusra-deal")
    assert any(long_text in line for line in out.splitlines())
    assert not any(char in out for char in "│┃─━┏┌╭")  # no box drawing in a pipe
    assert all(line == line.rstrip() for line in out.splitlines())
    sources = seeded.ok("source", "list")
    row = next(line for line in sources.splitlines() if line.startswith("opposition-official"))
    assert "a prominent Syrian opposition official" in row and "insisted on anonymity" in row


def test_counts_read_as_words(cli, tmp_path):
    bundle = tmp_path / "one.yaml"
    bundle.write_text(
        "version: 1\narticle: {slug: one, title: One}\n"
        "sources: [{key: mayor, label: the mayor, anonymity: named}]\n"
        "claims: [{key: a, text: A thing happened., attributions: [[mayor]]}]\n",
        encoding="utf-8",
    )
    out = cli.ok("import", str(bundle))
    assert "1 claim, 1 new source, 0 links" in out
    out = cli.ok("claims")
    assert "1 claim (1 fact, 0 opinion)" in out and "1 uncorroborated fact," in out
    out = cli.ok("claim", "attribute", "one/a", "--via", "mayor")
    assert out.strip() == "added chain 2 to one/a"
    everything = "".join(
        cli.ok(*args)
        for args in (("claims",), ("verify",), ("export", "-o", str(tmp_path / "x.yaml")))
    )
    assert "(s)" not in everything and "1 claims" not in everything
    assert "wrote 1 bundle to" in everything


def test_demo_leaves_no_temporary_ledger_behind(tmp_path, monkeypatch):
    import tempfile

    made = []

    def mkdtemp(prefix: str = "") -> str:
        path = tmp_path / f"{prefix}1"
        path.mkdir()
        made.append(path)
        return str(path)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    result = run("demo")
    assert result.exit_code == 0, result.stderr
    assert "20 claims" in result.stdout
    assert made and not made[0].exists()
    kept = tmp_path / "kept.db"
    assert run("demo", "--db", str(kept)).exit_code == 0
    assert kept.exists()


def test_errors_about_files_name_the_path(tmp_path, seeded):
    missing = tmp_path / "nowhere" / "ledger.db"
    assert_refused(run("init", "--db", str(missing)), str(missing), "no folder")
    assert not missing.parent.exists()
    assert_refused(run("init", "--db", str(tmp_path)), str(tmp_path), "folder")
    out = tmp_path / "nowhere" / "export.yaml"
    assert_refused(seeded("export", "-o", str(out)), str(out))
    assert_refused(seeded("report", "rt-is-nusra-deal", "-o", str(tmp_path)), str(tmp_path))


def test_a_database_that_is_not_a_ledger_is_refused_as_such(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("shopping list\n", encoding="utf-8")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    for command in (["claims"], ["init"]):
        assert_refused(run(*command, "--db", str(text)), str(text), "not a ledger")
        assert_refused(run(*command, "--db", str(other)), str(other), "not a ledger", "invoices")
    with sqlite3.connect(other) as connection:  # untouched: no ledger table was added
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert tables == {"invoices"}
    assert text.read_text(encoding="utf-8") == "shopping list\n"


def test_ctrl_c_exits_130(seeded, monkeypatch):
    import ledger.write.importer

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger.write.importer, "prepare_bundles", interrupted)
    result = seeded("import", str(SAMPLE_BUNDLE))
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (
            ("source", "show", "guardain"),
            "no source 'guardain' in the ledger (did you mean 'guardian'?)",
        ),
        (("claims", "--article", "rt-is-nusra"), "(did you mean 'rt-is-nusra-deal'?)"),
        (("claim", "show", "rt-is-nusra-deal/atarbe"), "(did you mean 'rt-is-nusra-deal/atareb'?)"),
        (("claim", "show", "rt-nusra-deal/atareb"), "no article 'rt-nusra-deal' (did you mean"),
        (("source", "edit", "abu-musafir", "--label", "x"), "(did you mean 'abu-musafer'?)"),
        (("claims", "--source", "Guardian"), "(did you mean 'guardian'?)"),
    ],
)
def test_an_unknown_name_is_answered_with_close_matches(seeded, args, fragment):
    assert_refused(seeded(*args), fragment)
