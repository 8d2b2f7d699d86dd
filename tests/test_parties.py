"""Independent means independent: parties, aliases and probable duplicates, end to end.

A spokeswoman and her ministry are one party; a source entered twice and merged
is one source; the two-source rule counts parties. Every test here runs the
CLI against a real ledger on SQLite and, when configured, PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ledger import rules
from ledger.text.labels import fold_label, nearly_same
from ledger.vocab import Anonymity, ClaimKind, SourceKind, Status
from tests.test_audit import assert_verifies
from tests.test_cli_entry import assert_refused
from tests.test_protection import seal_canary

STORY = (
    "The outbreak has been contained, officials at the Ministry of Health said on Monday. "
    "Dana Levi, the ministry's spokeswoman, said no new case had been found. "
    "The World Health Organization said the outbreak was under control."
)


def health_bundle() -> dict:
    """The five-sentence health story of the issue, with a ministry and its voices."""
    return {
        "version": 1,
        "article": {"slug": "outbreak", "title": "Outbreak contained", "text": STORY},
        "sources": [
            {
                "key": "ministry",
                "label": "the Ministry of Health",
                "kind": "organization",
                "anonymity": "named",
            },
            {
                "key": "moh-officials",
                "label": "officials at the Ministry of Health",
                "kind": "organization",
                "anonymity": "anonymous",
                "anonymity_reason": "not authorised to speak publicly",
                "speaks_for": "ministry",
            },
            {
                "key": "dana-levi",
                "label": "Dana Levi, the ministry's spokeswoman",
                "anonymity": "named",
                "speaks_for": "ministry",
            },
            {
                "key": "who",
                "label": "the World Health Organization",
                "kind": "organization",
                "anonymity": "named",
            },
        ],
        "claims": [
            {
                "key": "contained",
                "text": "The outbreak has been contained.",
                "quote": "The outbreak has been contained",
                "cue": "said",
                "attributions": [["moh-officials"], ["dana-levi"]],
            },
            {
                "key": "under-control",
                "text": "The outbreak is under control.",
                "quote": "the outbreak was under control",
                "cue": "said",
                "attributions": [["who"]],
            },
        ],
    }


def write(directory: Path, data: dict, name: str = "bundle.yaml") -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def claims(cli, *args: str) -> dict[str, dict]:
    return {item["key"]: item for item in json.loads(cli.ok("claims", "--json", *args))}


@pytest.fixture
def health(cli, tmp_path):
    cli.ok("import", str(write(tmp_path, health_bundle())))
    return cli


# --- the rules over parties ---------------------------------------------------------------------

MINISTRY = rules.SourceFacts("ministry", SourceKind.ORGANIZATION, Anonymity.NAMED)
SPOKESWOMAN = rules.SourceFacts("levi", SourceKind.PERSON, Anonymity.NAMED, party="ministry")
OFFICIAL = rules.SourceFacts("official", SourceKind.PERSON, Anonymity.ANONYMOUS, party="ministry")
PRESS_OFFICE = rules.SourceFacts("office", SourceKind.ORGANIZATION, Anonymity.NAMED, "ministry")
WHO = rules.SourceFacts("who", SourceKind.ORGANIZATION, Anonymity.NAMED)
AP = rules.SourceFacts("ap", SourceKind.OUTLET, Anonymity.NAMED)


def judge(*chains, corroborating=(), kind=ClaimKind.FACT):
    return rules.evaluate(rules.ClaimFacts(kind, tuple(chains), tuple(corroborating)))


def test_an_organisation_and_its_spokesperson_are_one_party():
    verdict = judge((MINISTRY,), (SPOKESWOMAN,))
    assert verdict.independent_origins == ("ministry",)
    assert verdict.supporting == ("levi", "ministry")
    assert verdict.status is Status.SINGLE_SOURCE
    assert verdict.uncorroborated


def test_two_voices_of_one_party_through_different_outlets_are_one_origin():
    verdict = judge((AP, OFFICIAL), (PRESS_OFFICE,))
    assert verdict.independent_origins == ("ministry",)
    assert verdict.uncorroborated


def test_a_second_party_corroborates():
    verdict = judge((SPOKESWOMAN,), (WHO,))
    assert verdict.independent_origins == ("ministry", "who")
    assert verdict.status is Status.CORROBORATED


def test_a_named_partys_anonymous_official_is_still_anonymous_only():
    verdict = judge((OFFICIAL,))
    assert verdict.anonymous_only  # the speaker is unnamed, whoever it speaks for


def test_support_lent_through_the_same_party_stays_one():
    verdict = judge((OFFICIAL,), corroborating=[(SPOKESWOMAN,), (AP, PRESS_OFFICE)])
    assert verdict.independent_origins == ("ministry",)
    assert not verdict.anonymous_only  # the spokeswoman is named


def test_two_levels_of_speaks_for_end_at_the_same_party(health):
    health.ok(
        "source",
        "add",
        "press-office",
        "--label",
        "the ministry's press office",
        "--kind",
        "organization",
        "--anonymity",
        "named",
        "--speaks-for",
        "ministry",
    )
    health.ok("source", "edit", "dana-levi", "--speaks-for", "press-office")
    health.ok("claim", "attribute", "outbreak/under-control", "--chain", "dana-levi")
    found = claims(health, "--article", "outbreak")
    assert found["contained"]["independent_origins"] == ["ministry"]
    assert found["under-control"]["independent_origins"] == ["ministry", "who"]
    assert found["under-control"]["status"] == "corroborated"


# --- speaks_for on the command line and in bundles ----------------------------------------------


def test_a_claim_that_looks_corroborated_by_key_rests_on_one_party(health):
    found = claims(health, "--article", "outbreak")["contained"]
    assert found["chains"] == [["moh-officials"], ["dana-levi"]]
    assert found["independent_origins"] == ["ministry"]
    assert found["support"] == ["dana-levi", "moh-officials"]
    assert found["status"] == "single-source" and found["uncorroborated"]
    assert not found["anonymous_only"]  # Dana Levi is named
    shown = " ".join(health.ok("claim", "show", "outbreak/contained").split())
    assert "2 chains, 1 party: the Ministry of Health" in shown
    assert "speak for it" in shown
    assert "LS202" in health("check", "outbreak").stdout


def test_speaks_for_is_shown_by_source_show_and_reports(health):
    shown = " ".join(health.ok("source", "show", "ministry").split())
    assert "spoken for by dana-levi" in shown and "moh-officials" in shown
    detail = json.loads(health.ok("source", "show", "dana-levi", "--json"))
    assert detail["source"]["speaks_for"] == "ministry"
    assert detail["party"] == "ministry"
    report = json.loads(health.ok("report", "outbreak", "--format", "json"))
    by_key = {source["key"]: source for source in report["sources"]}
    assert by_key["dana-levi"]["speaks_for"] == "ministry"
    assert "speaks for `ministry`" in health.ok("report", "outbreak", "--format", "md")
    prov = health.ok("report", "outbreak", "--format", "prov-n")
    assert "actedOnBehalfOf(source:dana-levi, source:ministry" in prov


def test_speaks_for_can_be_set_changed_and_cleared(health):
    health.ok("source", "edit", "dana-levi", "--speaks-for", "")
    assert claims(health, "--article", "outbreak")["contained"]["independent_origins"] == [
        "dana-levi",
        "ministry",
    ]
    history = json.loads(health.ok("source", "show", "dana-levi", "--history", "--json"))
    assert [event["action"] for event in history["history"]] == ["import", "source.edit"]
    assert_verifies(health)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("source", "edit", "ministry", "--speaks-for", "nobody"), "unknown source 'nobody'"),
        (("source", "edit", "ministry", "--speaks-for", "ministry"), "cannot speak for itself"),
        (("source", "edit", "ministry", "--speaks-for", "dana-levi"), "in a circle"),
        (
            ("source", "add", "x", "--label", "X", "--anonymity", "named", "--speaks-for", "no"),
            "unknown source 'no'",
        ),
    ],
)
def test_bad_speaks_for_is_one_line_and_writes_nothing(health, args, fragment):
    before = health.ok("log", "--json")
    assert_refused(health(*args), "speaks_for", fragment)
    assert health.ok("log", "--json") == before


@pytest.mark.parametrize(
    ("index", "value", "fragment"),
    [
        (3, "nobody", "unknown source 'nobody'"),
        (3, "who", "cannot speak for itself"),
        (0, "dana-levi", "in a circle"),
    ],
)
def test_bad_speaks_for_in_a_bundle_names_the_place(cli, tmp_path, index, value, fragment):
    data = health_bundle()
    data["sources"][index]["speaks_for"] = value
    assert_refused(
        cli("import", str(write(tmp_path, data))), f"sources[{index}].speaks_for", fragment
    )
    assert json.loads(cli.ok("claims", "--json")) == []
    assert "no sources yet" in cli.ok("source", "list")


def test_a_bundle_may_speak_for_a_source_defined_later_in_it(cli, tmp_path):
    data = health_bundle()
    data["sources"].append(data["sources"].pop(0))  # the ministry last
    cli.ok("import", str(write(tmp_path, data)))
    assert claims(cli)["contained"]["independent_origins"] == ["ministry"]


# --- merging duplicates -------------------------------------------------------------------------


@pytest.fixture
def duplicated(health, tmp_path):
    """The WHO entered a second time under another key, and a claim citing each once."""
    health.ok(
        "source",
        "add",
        "who-org",
        "--label",
        "World Health Organisation",
        "--kind",
        "organization",
        "--anonymity",
        "named",
    )
    health.ok("claim", "attribute", "outbreak/under-control", "--chain", "who-org")
    return health


def test_a_duplicate_looks_like_corroboration_until_merged(duplicated, tmp_path):
    before = claims(duplicated)["under-control"]
    assert before["status"] == "corroborated"
    found = json.loads(duplicated("check", "outbreak", "--json").stdout)
    duplicate = [item for item in found if item["code"] == "LS401"]
    assert [item["subject"] for item in duplicate] == ["who-org,who"]
    assert "ledger source merge who-org who" in duplicate[0]["message"]

    out = duplicated.ok("source", "merge", "who-org", "who")
    assert "who-org is now an alias of who" in " ".join(out.split())
    after = claims(duplicated)["under-control"]
    assert after["status"] == "single-source" and after["uncorroborated"]
    assert after["chains"] == [["who"], ["who"]]
    assert "LS401" not in duplicated("check", "outbreak").stdout
    assert_verifies(duplicated)
    history = json.loads(duplicated.ok("source", "show", "who", "--history", "--json"))
    assert "source.merge" in [event["action"] for event in history["history"]]
    assert "source.merge" in duplicated.ok("log")


def test_an_alias_is_accepted_wherever_a_key_is(duplicated, tmp_path):
    duplicated.ok("source", "merge", "who-org", "who")
    shown = json.loads(duplicated.ok("source", "show", "who-org", "--json"))
    assert shown["source"]["key"] == "who" and shown["source"]["aliases"] == ["who-org"]
    assert [
        item["key"] for item in json.loads(duplicated.ok("claims", "--source", "who-org", "--json"))
    ] == ["under-control"]
    duplicated.ok("claim", "add", "outbreak/more", "More.", "--chain", "who-org")
    assert claims(duplicated)["more"]["chains"] == [["who"]]
    duplicated.ok(
        "claim",
        "attribute",
        "outbreak/more",
        "--chain",
        "ap-reporter,who-org",
        "--new-source",
        "ap-reporter:named:person:an AP reporter",
    )
    assert claims(duplicated)["more"]["chains"] == [["who"], ["ap-reporter", "who"]]
    duplicated.ok("source", "edit", "who-org", "--description", "UN health agency")
    assert (
        json.loads(duplicated.ok("source", "show", "who", "--json"))["source"]["description"]
        == "UN health agency"
    )
    duplicated.ok(
        "source",
        "add",
        "who-office",
        "--label",
        "the WHO country office",
        "--kind",
        "organization",
        "--anonymity",
        "named",
        "--speaks-for",
        "who-org",
    )
    assert json.loads(duplicated.ok("source", "show", "who-office", "--json"))["party"] == "who"
    data = health_bundle()
    data["article"] = {"slug": "later", "title": "Later"}
    data["sources"] = []
    data["claims"] = [{"key": "c", "text": "It is over.", "attributions": [["who-org"]]}]
    duplicated.ok("import", str(write(tmp_path, data, "later.yaml")))
    assert claims(duplicated, "--article", "later")["c"]["chains"] == [["who"]]
    assert_refused(
        duplicated("source", "add", "who-org", "--label", "x", "--anonymity", "named"),
        "alias of source 'who'",
    )


def test_export_import_export_is_identical_after_a_merge(duplicated, tmp_path):
    from tests.conftest import Cli

    duplicated.ok("source", "merge", "who-org", "who")
    first = duplicated.ok("export", "--article", "outbreak")
    assert "aliases:\n  - who-org" in first
    other_db = str(tmp_path / "other.db")
    other = Cli(other_db, duplicated.runner)
    other.ok("init")
    path = tmp_path / "exported.yaml"
    path.write_text(first, encoding="utf-8")
    other.ok("import", str(path))
    assert other.ok("export", "--article", "outbreak") == first
    assert claims(other) == claims(duplicated)
    assert json.loads(other.ok("claims", "--source", "who-org", "--json"))


def test_a_bundle_defining_a_source_under_an_alias_must_match_the_source_kept(duplicated, tmp_path):
    duplicated.ok("source", "merge", "who-org", "who")
    data = health_bundle()
    data["article"] = {"slug": "later", "title": "Later"}
    data["sources"] = [
        {
            "key": "who-org",
            "label": "World Health Organisation",
            "kind": "organization",
            "anonymity": "named",
        }
    ]
    data["claims"] = [{"key": "c", "text": "It is over.", "attributions": [["who-org"]]}]
    duplicated.ok("import", str(write(tmp_path, data, "ok.yaml")))  # matches `who`
    data["article"]["slug"] = "later-2"
    data["sources"][0]["anonymity"] = "anonymous"
    assert_refused(
        duplicated("import", str(write(tmp_path, data, "bad.yaml"))),
        "sources[0].anonymity",
        "merged into 'who'",
    )


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ((("source", "edit", "who-org", "--anonymity", "anonymous"),), "disagree on anonymity"),
        ((("claim", "add", "outbreak/both", "Both.", "--chain", "who,who-org"),), "through both"),
        ((), "the same source"),
        (  # the duplicate's speaker would speak for the kept source, which speaks for him
            (
                ("source", "add", "aide", "--label", "an aide", "--anonymity", "named"),
                ("source", "edit", "aide", "--speaks-for", "who-org"),
                ("source", "edit", "who", "--speaks-for", "aide"),
            ),
            "in a circle",
        ),
    ],
)
def test_a_merge_that_would_lose_something_is_refused(duplicated, setup, fragment):
    for args in setup:
        duplicated.ok(*args)
    before = duplicated.ok("log", "--json")
    keep = "who-org" if fragment == "the same source" else "who"
    assert_refused(duplicated("source", "merge", "who-org", keep), fragment)
    assert duplicated.ok("log", "--json") == before


def test_a_sealed_duplicate_is_merged_the_other_way_round(duplicated, key_file):
    seal_canary(duplicated, key_file, source="who-org")
    assert_refused(duplicated("source", "merge", "who-org", "who"), "sealed identity")
    duplicated.ok("source", "merge", "who", "who-org")
    assert json.loads(duplicated.ok("source", "show", "who", "--json"))["source"]["key"] == (
        "who-org"
    )
    assert_verifies(duplicated)


def test_a_merge_moves_speakers_and_clearances(duplicated):
    duplicated.ok(
        "source",
        "add",
        "who-spokesman",
        "--label",
        "a WHO spokesman",
        "--anonymity",
        "named",
        "--speaks-for",
        "who-org",
    )
    duplicated.ok("source", "knows", "who-org", "--name", "Ann Editor", "--role", "editor")
    duplicated.ok("source", "merge", "who-org", "who")
    spokesman = json.loads(duplicated.ok("source", "show", "who-spokesman", "--json"))
    assert spokesman["source"]["speaks_for"] == "who"
    shown = json.loads(duplicated.ok("source", "show", "who", "--json"))
    assert [item["name"] for item in shown["clearances"]] == ["Ann Editor"]
    assert shown["spoken_for_by"] == ["who-spokesman"]
    assert_verifies(duplicated)


# --- probable duplicates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("the World Health Organization", "World Health Organization."),
        ("The World Health Organization", "world health organisation"),
        ("The Guardian", "Guardain"),
        ("Reuters", "REUTERS"),
        ("the Ministry's press office", "The ministrys press office"),
    ],
)
def test_labels_that_probably_name_one_party(first, second):
    assert nearly_same(fold_label(first), fold_label(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("the Ministry of Health", "the Ministry of Finance"),
        ("a senior official", "a senior US official"),
        ("an official", "officials"),
        ("the CIA", "the CIO"),
        ("Ministry of Health", "Health Ministry of"),
    ],
)
def test_near_misses_are_not_duplicates(first, second):
    assert not nearly_same(fold_label(first), fold_label(second))


def test_source_add_warns_of_a_probable_duplicate(health):
    result = health(
        "source",
        "add",
        "who-2",
        "--label",
        "World Health Organization",
        "--kind",
        "organization",
        "--anonymity",
        "named",
    )
    assert result.exit_code == 0
    assert "did you mean 'who'?" in result.stderr
    assert "ledger source merge who-2 who" in " ".join(result.stderr.split())


def test_records_that_say_they_differ_are_not_flagged(health):
    health.ok(
        "source",
        "add",
        "who-person",
        "--label",
        "World Health Organization",
        "--anonymity",
        "anonymous",
        "--kind",
        "organization",
    )
    health.ok("claim", "attribute", "outbreak/under-control", "--chain", "who-person")
    assert "LS401" not in health("check", "outbreak").stdout
    health.ok(
        "source",
        "add",
        "finance",
        "--label",
        "the Ministry of Finance",
        "--kind",
        "organization",
        "--anonymity",
        "named",
    )
    health.ok("claim", "attribute", "outbreak/contained", "--chain", "finance")
    assert "LS401" not in health("check", "outbreak").stdout


def test_the_outbreak_sample_rests_on_one_party(cli):
    from tests.conftest import SAMPLES

    cli.ok("import", str(SAMPLES / "outbreak.yaml"))
    found = claims(cli, "--article", "eastmoor-outbreak")
    assert len(found["contained"]["chains"]) == 2
    assert found["contained"]["independent_origins"] == ["ministry-of-health"]
    assert found["contained"]["status"] == "single-source"  # the spokeswoman lends no 2nd party
    assert found["patients"]["anonymous_only"] and found["patients"]["uncorroborated"]
    assert found["clinic-late"]["kind"] == "opinion" and not found["clinic-late"]["uncorroborated"]
    assert found["monitoring"]["status"] == "single-source"
