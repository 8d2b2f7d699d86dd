"""`ledger check` as a publication gate: waivers, explanations, and the newsroom's policy file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from ledger.storage.database import Database
from tests.conftest import SAMPLES
from tests.test_conventions import assert_refused

SLUG = "rt-is-nusra-deal"
POLICIES = SAMPLES / "policies"


def check_json(cli, *args: str) -> tuple[int, list[dict]]:
    result = cli("check", *args, "--json")
    return result.exit_code, json.loads(result.stdout)


def blocking(rows: list[dict]) -> list[tuple[str, str]]:
    return [(r["code"], r["subject"]) for r in rows if r["level"] == "error" and not r["waived"]]


def waive_all(cli, rows: list[dict], reason: str = "accepted for publication") -> None:
    for code, subject in blocking(rows):
        cli.ok("waive", code, subject, "--reason", reason, "--as", "editor-ann")


# --- waivers -----------------------------------------------------------------------------------


def test_waiving_every_finding_opens_the_gate_and_keeps_them_listed(seeded):
    code, rows = check_json(seeded, SLUG)
    assert code == 1 and blocking(rows)
    waive_all(seeded, rows)
    code, after = check_json(seeded, SLUG)
    assert code == 0
    assert [(r["code"], r["subject"]) for r in after] == [(r["code"], r["subject"]) for r in rows]
    assert all(r["waived"]["by"] == "editor-ann" for r in after)
    assert {r["waived"]["reason"] for r in after} == {"accepted for publication"}
    assert all(r["waived"]["at"].startswith("20") for r in after)
    out = seeded("check", SLUG)
    assert out.exit_code == 0
    assert "LS202 waived by editor-ann on " in out.stdout
    assert "nothing left to fix or waive" in out.stdout


def test_a_waiver_covers_one_finding_and_can_be_withdrawn(seeded):
    atareb = f"{SLUG}/atareb"
    out = seeded.ok("waive", "LS202", atareb, "--reason", "AP's official, on logistics only")
    assert out.strip() == f"waived LS202 on {atareb}: AP's official, on logistics only"
    _code, rows = check_json(seeded, SLUG, "--select", "LS202")
    waived = {r["subject"]: r["waived"] for r in rows}
    assert waived[atareb]["reason"] == "AP's official, on logistics only"
    assert sum(value is not None for value in waived.values()) == 1
    seeded.ok("waive", "LS202", atareb, "--remove")
    _code, rows = check_json(seeded, SLUG, "--select", "LS202")
    assert all(r["waived"] is None for r in rows)


def test_waivers_are_audited_and_verified(seeded):
    seeded.ok("waive", "ls101", "nusra-senior-source", "--reason", "the Guardian's", "--as", "ann")
    seeded.ok("waive", "LS101", "nusra-senior-source", "--remove", "--as", "bob")
    seeded.ok("waive", "LS101", "nusra-senior-source", "--reason", "again", "--as", "cy")
    events = json.loads(seeded.ok("log", "--json"))[-3:]
    assert [(e["action"], e["actor"], e["entity"], e["key"]) for e in events] == [
        ("waiver.add", "ann", "waiver", "LS101 nusra-senior-source"),
        ("waiver.remove", "bob", "waiver", "LS101 nusra-senior-source"),
        ("waiver.add", "cy", "waiver", "LS101 nusra-senior-source"),
    ]
    assert events[0]["state"]["reason"] == "the Guardian's" and events[1]["state"] is None
    assert "intact" in seeded.ok("verify")
    database = Database.open(seeded.db)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE waivers SET reason = 'forged'"))
    database.dispose()
    result = seeded("verify", "--json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    assert problems[0]["subject"] == "waiver LS101 nusra-senior-source"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("LS2O2", f"{SLUG}/atareb", "--reason", "x"),
            ("no check 'LS2O2'", "did you mean 'LS202'"),
        ),
        (("LS104", f"{SLUG}/atareb", "--reason", "x"), ("LS104", "retired")),
        (("LS101", f"{SLUG}/atareb", "--reason", "x"), ("LS101 is about sources",)),
        (("LS202", "opposition-official", "--reason", "x"), ("LS202 is about claims",)),
        (("LS202", f"{SLUG}/atarb", "--reason", "x"), ("no claim", "did you mean")),
        (("LS203", f"{SLUG}/atareb", "--reason", "x"), ("no finding LS203",)),
        (("LS202", f"{SLUG}/atareb"), ("--reason",)),
        (("LS202", f"{SLUG}/atareb", "--reason", "  "), ("--reason",)),
        (("LS202", f"{SLUG}/atareb", "--remove"), ("no waiver of LS202",)),
    ],
)
def test_a_waiver_must_name_a_finding_of_today(seeded, args, fragments):
    before = seeded.ok("log", "--json")
    assert_refused(seeded("waive", *args), *fragments)
    assert seeded.ok("log", "--json") == before


def test_a_finding_is_waived_once(seeded):
    seeded.ok("waive", "LS202", f"{SLUG}/atareb", "--reason", "first", "--as", "ann")
    assert_refused(
        seeded("waive", "LS202", f"{SLUG}/atareb", "--reason", "second"),
        "already waived by ann",
        "first",
    )


def test_every_format_marks_a_waiver_and_public_copies_leave_it_out(seeded):
    seeded.ok("waive", "LS202", f"{SLUG}/atareb", "--reason", "desk <b>accepted</b>")
    markdown = seeded.ok("report", SLUG)
    assert "— **waived** by " in markdown and "LS202 (waived)" in markdown
    html = seeded.ok("report", SLUG, "-f", "html")
    assert '<li class="waived">' in html and "desk &lt;b&gt;accepted&lt;/b&gt;" in html
    data = json.loads(seeded.ok("report", SLUG, "-f", "json"))
    waived = [f for f in data["findings"] if f["waived"]]
    assert [(f["code"], f["waived"]["reason"]) for f in waived] == [
        ("LS202", "desk <b>accepted</b>")
    ]
    public = seeded.ok("report", SLUG, "-f", "json", "--public")
    assert "accepted" not in public
    rows = list(csv.DictReader(io.StringIO(seeded("check", SLUG, "--csv").stdout)))
    assert {r["waived_reason"] for r in rows if r["subject"].endswith("/atareb")} == {
        "desk <b>accepted</b>"
    }


def test_the_library_waives_and_gates_too(seeded):
    from ledger import Ledger

    with Ledger.open(seeded.db, actor="script") as book:
        assert any(found.blocking for found in book.check(SLUG))
        for found in book.check(SLUG):
            if found.blocking:
                book.waive(found.code, found.subject, "accepted")
        assert not any(found.blocking for found in book.check(SLUG))
        withdrawn = book.unwaive("LS202", f"{SLUG}/atareb")
        assert withdrawn.by == "script"
        assert [f.subject for f in book.check(SLUG) if f.blocking] == [f"{SLUG}/atareb"]


# --- explanations ------------------------------------------------------------------------------


def test_explain_gives_the_rule_the_standard_and_the_fix():
    from tests.test_conventions import run

    result = run("check", "--explain", "ls202")
    assert result.exit_code == 0
    for label in ("rule", "standard", "fix", "waive", "policy"):
        assert any(line.startswith(label) for line in result.stdout.splitlines()), label
    assert "Two-source rule" in result.stdout
    data = json.loads(run("check", "--explain", "LS101", "--json").stdout)
    assert data["about"] == "source" and data["standard"].startswith("AP and NYT")
    retired = run("check", "--explain", "LS104")
    assert retired.exit_code == 0 and "Retired" in retired.stdout and "LS202" in retired.stdout
    assert_refused(run("check", "--explain", "LS999"), "no check 'LS999'")


def test_the_desk_explains_each_code_and_marks_waivers(seeded):
    from starlette.testclient import TestClient

    from ledger.checks import CHECKS_BY_CODE
    from ledger.web.app import create_app

    seeded.ok("waive", "LS202", f"{SLUG}/atareb", "--reason", "accepted by the desk")
    client = TestClient(create_app(seeded.db), base_url="http://127.0.0.1")
    page = client.get(f"/articles/{SLUG}").text
    for code in ("LS202", "LS106"):
        assert CHECKS_BY_CODE[code].fix.split("`")[0][:40] in page
    assert "waived by" in page and "accepted by the desk" in page
    claim = client.get(f"/claims/{SLUG}/atareb").text
    assert "Uncorroborated fact" in claim and "accepted by the desk" in claim
    assert "What this check finds, and how to fix it" in claim
    data = client.get(f"/claims/{SLUG}/atareb?format=json").json()
    assert data["waived"] == ["LS202"]
    assert next(f for f in data["findings"] if f["code"] == "LS202")["waived"]


# --- the policy file ---------------------------------------------------------------------------


def write_policy(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_a_policy_in_the_working_directory_sets_threshold_and_levels(seeded, tmp_path, capsys):
    write_policy(
        tmp_path / "ledger.toml",
        'name = "desk"\nthreshold = 3\n\n[checks]\n'
        'LS202 = { level = "warning", cites = "Our handbook, 4.2: two sources." }\n'
        'LS203 = "off"\n',
    )
    _code, rows = check_json(seeded, SLUG)
    codes = {r["code"] for r in rows}
    assert "LS203" not in codes
    ls202 = [r for r in rows if r["code"] == "LS202"]
    assert {r["level"] for r in ls202} == {"warning"}
    assert f"{SLUG}/deal" in {r["subject"] for r in ls202}  # 2 origins, 3 needed now
    assert ls202[0]["policy"] == {
        "file": "ledger.toml",
        "line": 5,
        "cites": "Our handbook, 4.2: two sources.",
    }
    explained = seeded("check", "--explain", "LS202").stdout
    assert "warning, set at ledger.toml:5: Our handbook, 4.2: two sources." in explained
    claims = json.loads(seeded.ok("claims", "--article", SLUG, "--json"))
    assert next(c for c in claims if c["key"] == "deal")["status"] == "single-source"


def test_warnings_never_fail_the_gate(seeded, tmp_path):
    _code, rows = check_json(seeded, SLUG)
    levels = "\n".join(f'{code} = "warning"' for code in sorted({r["code"] for r in rows}))
    write_policy(tmp_path / "ledger.toml", f"[checks]\n{levels}\n")
    result = seeded("check", SLUG)
    assert result.exit_code == 0, result.stdout
    assert " warning " in result.stdout


def test_policy_option_and_environment_variable(seeded, tmp_path, monkeypatch):
    strict = write_policy(tmp_path / "strict.toml", "threshold = 3\n")
    write_policy(tmp_path / "ledger.toml", "threshold = 1\n")
    deal = f"{SLUG}/deal"
    subjects = lambda *args: {  # noqa: E731
        r["subject"] for r in check_json(seeded, SLUG, "--select", "LS202", *args)[1]
    }
    assert deal not in subjects()
    assert deal in subjects("--policy", str(strict))
    monkeypatch.setenv("LEDGER_POLICY", str(strict))
    assert deal in subjects()
    assert deal not in subjects("--threshold", "2")  # an explicit threshold wins


@pytest.mark.parametrize(
    ("body", "fragments"),
    [
        ("threshold = 0\n", ("threshold must be a whole number",)),
        ("treshold = 2\n", ("unknown setting 'treshold'", "did you mean 'threshold'")),
        ('[checks]\nLS202 = "warn"\n', ("bad.toml:2", "level 'warn'", "did you mean 'warning'")),
        ('[checks]\nLS104 = "off"\n', ("bad.toml:2", "LS104 was retired")),
        ('[checks]\nLS999 = "off"\n', ("bad.toml:2", "no check 'LS999'")),
        ("[checks\n", ("bad.toml", "not a valid policy file")),
    ],
)
def test_a_bad_policy_file_is_named_with_its_line(seeded, tmp_path, body, fragments):
    bad = write_policy(tmp_path / "bad.toml", body)
    assert_refused(seeded("check", SLUG, "--policy", str(bad)), *fragments)


def test_a_missing_policy_file_is_named(seeded, tmp_path):
    assert_refused(seeded("check", SLUG, "--policy", str(tmp_path / "none.toml")), "none.toml")


@pytest.mark.parametrize("name", ["ap-style", "nyt-style", "bbc-style"])
def test_example_policies_cite_a_standard_for_every_check(seeded, name):
    from ledger.checks import CHECKS_BY_CODE
    from ledger.policy import load_policy

    policy = load_policy(POLICIES / f"{name}.toml")
    assert set(policy.checks) == set(CHECKS_BY_CODE)
    assert all(rule.cites and rule.line for rule in policy.checks.values())
    result = seeded("check", SLUG, "--policy", str(POLICIES / f"{name}.toml"))
    assert result.exit_code == 1  # the seed article is not fit to publish under any of them
    assert f"policy: {policy.name}" in result.stdout


def test_waivers_survive_a_json_lines_round_trip(seeded, tmp_path):
    from tests.conftest import Cli

    seeded.ok("waive", "LS202", f"{SLUG}/atareb", "--reason", "accepted", "--as", "ann")
    seeded.ok("waive", "LS101", "nusra-senior-source", "--reason", "the Guardian's")
    exported = seeded.ok("export", "--format", "jsonl")
    path = tmp_path / "all.jsonl"
    path.write_text(exported, encoding="utf-8")
    other = Cli(str(tmp_path / "other.db"), seeded.runner)
    other.ok("init")
    other.ok("import", str(path))
    assert other.ok("export", "--format", "jsonl") == exported
    assert "intact" in other.ok("verify")


def test_a_probable_duplicate_is_waived_by_both_keys_and_then_not_merged(cli, tmp_path):
    from tests.test_bundles import write_bundle

    bundle = {
        "version": 1,
        "article": {"slug": "twice", "title": "Twice"},
        "sources": [
            {"key": "who", "label": "the WHO", "kind": "organization", "anonymity": "named"},
            {
                "key": "who-geneva",
                "label": "The WHO",
                "kind": "organization",
                "anonymity": "named",
            },
        ],
        "claims": [
            {"key": "a", "text": "A.", "attributions": [["who"]]},
            {"key": "b", "text": "B.", "attributions": [["who-geneva"]]},
        ],
    }
    cli.ok("import", str(write_bundle(tmp_path, bundle)))
    _code, rows = check_json(cli, "twice", "--select", "LS401")
    [found] = rows
    pair = found["subject"]
    assert set(pair.split(",")) == {"who", "who-geneva"}
    cli.ok("waive", "LS401", pair, "--reason", "the regional office is another body")
    _code, rows = check_json(cli, "twice", "--select", "LS401")
    assert rows[0]["waived"]["reason"] == "the regional office is another body"
    duplicate, keep = pair.split(",")
    assert_refused(cli("source", "merge", duplicate, keep), "waived", "LS401")
    assert_refused(cli("source", "delete", duplicate), "cite it")
    cli.ok("waive", "LS401", pair, "--remove")
    cli.ok("source", "merge", duplicate, keep)
    assert "intact" in cli.ok("verify")
