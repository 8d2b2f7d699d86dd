"""A journalist enters an article by CLI; an editor queries it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLE_BUNDLE, Cli


def enter_two_claims(cli: Cli, tmp_path) -> None:
    text = tmp_path / "story.txt"
    text.write_text(
        "The minister resigned on Monday, a senior aide said on condition of anonymity.\n"
        "The ministry denied that the minister had resigned.\n",
        encoding="utf-8",
    )
    cli.ok(
        "article",
        "add",
        "resign",
        "--title",
        "Minister resigns",
        "--outlet",
        "Daily",
        "--published",
        "2026-11-02",
        "--text-file",
        str(text),
    )
    cli.ok(
        "source",
        "add",
        "aide",
        "--label",
        "a senior aide",
        "--anonymity",
        "anonymous",
        "--reason",
        "not authorised to speak publicly",
    )
    cli.ok(
        "source",
        "add",
        "ministry",
        "--label",
        "the ministry",
        "--kind",
        "organization",
        "--anonymity",
        "named",
    )
    cli.ok(
        "claim",
        "add",
        "resign/resigned",
        "The minister resigned on Monday.",
        "--quote",
        "The minister resigned on Monday",
        "--cue",
        "said",
        "--via",
        "aide",
    )
    cli.ok(
        "claim",
        "add",
        "resign/denial",
        "The ministry denied the resignation.",
        "--quote",
        "The ministry denied that the minister had resigned",
        "--cue",
        "denied",
        "--chain",
        "ministry",
    )


def claims_json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("claims", "--json", *args))


def test_enter_article_sources_and_claims_by_cli(cli, tmp_path):
    enter_two_claims(cli, tmp_path)
    rows = claims_json(cli, "--article", "resign")
    assert [(r["key"], r["status"], r["chains"]) for r in rows] == [
        ("resigned", "single-source", [["aide"]]),
        ("denial", "single-source", [["ministry"]]),
    ]
    cli.ok("claim", "link", "resign/denial", "contradicts", "resign/resigned")
    rows = claims_json(cli, "--contradicted")
    assert {r["key"] for r in rows} == {"resigned", "denial"}


def test_claims_json_has_every_contract_field(seeded):
    rows = claims_json(seeded)
    required = {
        "article",
        "key",
        "text",
        "kind",
        "status",
        "uncorroborated",
        "anonymous_only",
        "contradicted",
        "single_intermediary",
        "borrowed_anonymity",
        "independent_origins",
        "chains",
    }
    for row in rows:
        assert required <= row.keys()
        assert row["independent_origins"] == sorted(row["independent_origins"])


def test_claims_filters_combine(seeded):
    every = claims_json(seeded)
    uncorroborated = claims_json(seeded, "--uncorroborated")
    anonymous = claims_json(seeded, "--anonymous-only")
    both = claims_json(seeded, "--uncorroborated", "--anonymous-only")
    assert {r["key"] for r in uncorroborated} == {r["key"] for r in every if r["uncorroborated"]}
    assert {r["key"] for r in anonymous} == {r["key"] for r in every if r["anonymous_only"]}
    assert {r["key"] for r in both} == {r["key"] for r in uncorroborated} & {
        r["key"] for r in anonymous
    }
    assert "deal" in {r["key"] for r in anonymous} - {r["key"] for r in both}
    assert claims_json(seeded, "--contradicted") == []


def test_claims_by_source_matches_anywhere_in_a_chain(seeded):
    through_ap = {r["key"] for r in claims_json(seeded, "--source", "ap")}
    assert {"deal", "atareb", "meeting-nov2"} <= through_ap
    assert "war-planning" not in through_ap
    official = {
        r["key"]
        for r in claims_json(
            seeded, "--source", "opposition-official", "--article", "rt-is-nusra-deal"
        )
    }
    assert official == {
        "deal",
        "stop-fighting",
        "atareb",
        "meeting-hours",
        "seven-leaders",
        "agreement-reached",
        "attendees",
        "srf-pact",
    }


def test_threshold_option_changes_status(seeded):
    strict = {r["key"]: r for r in claims_json(seeded, "--threshold", "3")}
    assert strict["deal"]["status"] == "single-source"
    assert strict["deal"]["uncorroborated"] is True


def test_human_output_lists_claims_and_summary(seeded):
    out = seeded.ok("claims", "--article", "rt-is-nusra-deal", "--uncorroborated")
    assert "atareb" in out and "uncorroborated" in out
    assert "coalition-challenge" not in out
    assert "\x1b[" not in out  # NO_COLOR: no escape codes


def test_claim_show_writes_chains_out(seeded):
    out = seeded.ok("claim", "show", "rt-is-nusra-deal/atareb")
    assert "AP ← a prominent Syrian opposition official (anonymous: insisted on anonymity)" in out
    data = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/meeting-nov2", "--json"))
    assert data["linked_from"] == [
        {"relation": "corroborates", "from": "rt-is-nusra-deal/musafer-aware"},
        {"relation": "refines", "from": "rt-is-nusra-deal/atareb"},
    ]


def test_claim_attribute_adds_a_chain(seeded):
    seeded.ok(
        "claim",
        "attribute",
        "rt-is-nusra-deal/atareb",
        "--via",
        "guardian",
        "--via",
        "nusra-senior-source",
    )
    row = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--json"))
    assert row["chains"] == [["ap", "opposition-official"], ["guardian", "nusra-senior-source"]]
    assert row["status"] == "corroborated"


def test_claim_add_creates_missing_source_inline(seeded):
    seeded.ok(
        "claim",
        "add",
        "rt-is-nusra-deal/extra",
        "Something else happened.",
        "--chain",
        "reuters,diplomat",
        "--new-source",
        "reuters:named:outlet:Reuters",
        "--new-source",
        "diplomat:anonymous:a Western diplomat",
    )
    sources = {s["key"]: s for s in json.loads(seeded.ok("source", "list", "--json"))}
    assert sources["reuters"]["kind"] == "outlet"
    assert sources["diplomat"]["anonymity"] == "anonymous"
    row = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/extra", "--json"))
    assert row["borrowed_anonymity"] is True


def test_source_show_lists_claims_through_it(seeded):
    data = json.loads(seeded.ok("source", "show", "abu-musafer", "--json"))
    assert data["source"]["anonymity"] == "pseudonym"
    assert data["originates"] == 6
    assert {c["key"] for c in data["claims"]} >= {"deal", "musafer-aware", "against-kurds"}


def test_article_show_marks_quotes(seeded):
    out = seeded.ok("article", "show", "rt-is-nusra-deal")
    flowing = " ".join(out.split())
    assert "[4]which took place in the town of Atareb" in flowing
    assert "[20]The agreement between the jihadists" in flowing
    assert "atareb" in out
    listing = json.loads(seeded.ok("article", "list", "--json"))
    assert listing[0]["slug"] == "rt-is-nusra-deal" and listing[0]["claims"] == 20


def test_demo_runs_on_a_fresh_ledger(tmp_path):
    from typer.testing import CliRunner

    from ledger.cli import app

    result = CliRunner().invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.stderr
    assert "Uncorroborated facts" in result.stdout
    assert "atareb" in result.stdout
    assert "20 claims" in result.stdout


# --- refused requests: one line, exit 2, nothing written ----------------------------------------


def assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("claim", "add", "rt-is-nusra-deal/x", "Text.", "--via", "nobody", "--no-input"),
            ("unknown source 'nobody'",),
        ),
        (("claim", "add", "nope/x", "Text.", "--unattributed"), ("no article 'nope'",)),
        (
            ("claim", "add", "rt-is-nusra-deal/deal", "Again.", "--unattributed"),
            ("already in the ledger",),
        ),
        (
            (
                "claim",
                "add",
                "rt-is-nusra-deal/x",
                "Text.",
                "--unattributed",
                "--quote",
                "words nowhere in the text",
            ),
            ("--quote", "closest passage"),
        ),
        (("claim", "add", "no-slash", "Text."), ("REF",)),
        (
            ("claim", "link", "rt-is-nusra-deal/deal", "corroborates", "rt-is-nusra-deal/deal"),
            ("itself",),
        ),
        (("claim", "show", "rt-is-nusra-deal/missing"), ("no claim",)),
        (
            ("source", "add", "ap", "--label", "AP", "--anonymity", "named"),
            ("already in the ledger",),
        ),
        (
            ("source", "add", "Bad Key", "--label", "x", "--anonymity", "named"),
            ("KEY", "not a valid key"),
        ),
        (("source", "add", "newbie", "--label", "x", "--no-input"), ("--anonymity",)),
        (("source", "show", "nobody"), ("no source 'nobody'",)),
        (("claims", "--article", "nope"), ("no article 'nope'",)),
        (("claims", "--source", "nobody"), ("no source 'nobody'",)),
        (("article", "add", "x", "--title", "T", "--published", "yesterday"), ("--published",)),
    ],
)
def test_bad_input_is_one_line_and_exit_2(seeded, args, fragments):
    before = seeded.ok("export")
    assert_refused(seeded(*args), *fragments)
    assert seeded.ok("export") == before


def test_commands_refuse_a_missing_ledger(tmp_path):
    from typer.testing import CliRunner

    from ledger.cli import app

    path = tmp_path / "absent.db"
    result = CliRunner().invoke(app, ["claims", "--db", str(path)])
    assert_refused(result, "ledger init")
    assert not path.exists()


def test_ledger_db_environment_variable(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ledger.cli import app

    monkeypatch.setenv("LEDGER_DB", str(tmp_path / "env.db"))
    runner = CliRunner()
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["import", str(SAMPLE_BUNDLE)]).exit_code == 0
    assert (tmp_path / "env.db").exists()
