"""`ledger check`: each standards check on a small purpose-built article, then the linter's CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ledger.checks import CHECKS, RETIRED

AP = {"key": "ap", "label": "AP", "kind": "outlet", "anonymity": "named"}
REUTERS = {"key": "reuters", "label": "Reuters", "kind": "outlet", "anonymity": "named"}
BBC = {"key": "bbc", "label": "BBC", "kind": "outlet", "anonymity": "named"}
AFP = {"key": "afp", "label": "AFP", "kind": "outlet", "anonymity": "named"}
OFFICIAL = {
    "key": "official",
    "label": "a senior official",
    "anonymity": "anonymous",
    "anonymity_reason": "not authorised to speak",
    "knowledge": "direct",
}
DIPLOMAT = {
    "key": "diplomat",
    "label": "a Western diplomat",
    "anonymity": "anonymous",
    "anonymity_reason": "diplomatic protocol",
    "knowledge": "direct",
}
MINISTER = {"key": "minister", "label": "Minister Jane Roe", "anonymity": "named"}
MAYOR = {"key": "mayor", "label": "Mayor John Doe", "anonymity": "named"}
SOURCES = [AP, REUTERS, BBC, AFP, OFFICIAL, DIPLOMAT, MINISTER, MAYOR]


def fact(key: str, *chains: list[str], kind: str = "fact") -> dict:
    return {"key": key, "text": f"Claim {key}.", "kind": kind, "attributions": list(chains)}


@pytest.fixture
def load(cli, tmp_path: Path):
    """Import one small article: claims (and extra sources or links) given by the test."""

    def load(*claims: dict, sources=(), links=(), slug: str = "story") -> None:
        by_key = {source["key"]: source for source in [*SOURCES, *sources]}
        used = {key for claim in claims for chain in claim["attributions"] for key in chain}
        bundle = {
            "version": 1,
            "article": {"slug": slug, "title": f"The {slug}", "outlet": "The Daily"},
            "sources": [source for key, source in by_key.items() if key in used],
            "claims": list(claims),
            "links": list(links),
        }
        path = tmp_path / f"{slug}.yaml"
        path.write_text(yaml.safe_dump(bundle, sort_keys=False), encoding="utf-8")
        cli.ok("import", str(path))

    return load


def findings(cli, *args: str) -> list[dict]:
    """`ledger check ARGS --json`; exit 1 with findings, 0 without, as a linter does."""
    result = cli("check", *args, "--json")
    rows = json.loads(result.stdout)
    assert result.exit_code == (1 if rows else 0), result.stdout + result.stderr
    return rows


def by_code(cli, code: str, target: str = "story") -> dict[str, str]:
    """Subject → message of the findings of one check."""
    return {row["subject"]: row["message"] for row in findings(cli, target, "--select", code)}


def test_codes_are_unique_stable_and_documented():
    codes = [check.code for check in CHECKS]
    assert codes == sorted(set(codes))
    assert codes == [
        "LS101",
        "LS102",
        "LS103",
        "LS105",
        "LS106",
        "LS107",
        "LS108",
        "LS201",
        "LS202",
        "LS203",
        "LS301",
        "LS401",
    ]
    assert all(check.title and check.why and check.name for check in CHECKS)
    assert all(check.rule and check.fix and check.about in ("claim", "source") for check in CHECKS)
    assert set(RETIRED).isdisjoint(check.code for check in CHECKS)  # never reused
    assert list(RETIRED) == ["LS104"]


def test_clean_article_exits_zero(cli, load):
    load(fact("vote", ["minister"], ["mayor"]))
    result = cli("check", "story")
    assert result.exit_code == 0
    assert "clean" in result.stdout
    assert findings(cli, "story") == []


def test_ls101_anonymous_source_without_a_reason(cli, load):
    silent = {"key": "silent", "label": "a party insider", "anonymity": "anonymous"}
    nickname = {"key": "nick", "label": "Abu X", "anonymity": "pseudonym", "knowledge": "direct"}
    load(
        fact("a", ["silent"]),
        fact("b", ["official"]),
        fact("c", ["nick"]),
        sources=[silent, nickname],
    )
    rows = findings(cli, "story", "--select", "LS101")
    assert [(row["subject"], row["subject_kind"], row["claims"]) for row in rows] == [
        ("silent", "source", ["story/a"])
    ]
    assert "a party insider is anonymous and no reason" in rows[0]["message"]


def test_ls102_unnamed_source_without_knowledge_basis(cli, load):
    unset = {"key": "unset", "label": "a person close to the talks", "anonymity": "anonymous"}
    unknown = {**unset, "key": "unknown", "knowledge": "unknown"}
    named = {**MINISTER, "key": "named", "knowledge": "unknown"}
    load(
        fact("a", ["unset"]),
        fact("b", ["unknown"]),
        fact("c", ["official"]),
        fact("d", ["named"]),
        sources=[unset, unknown, named],
    )
    found = by_code(cli, "LS102")
    assert sorted(found) == ["unknown", "unset"]
    assert "is not recorded" in found["unset"]
    assert "is unknown" in found["unknown"]


def test_ls103_opinion_from_an_unnamed_source(cli, load):
    load(
        fact("slur", ["ap", "official"], kind="opinion"),
        fact("view", ["minister"], kind="opinion"),
        fact("event", ["official"]),
    )
    found = by_code(cli, "LS103")
    assert list(found) == ["story/slur"]
    assert found["story/slur"] == (
        "opinion from an unnamed source: AP citing a senior official "
        "(anonymous: not authorised to speak)"
    )


def test_one_finding_per_cause_on_a_fact_from_one_unnamed_source(cli, load):
    """Retired LS104 and LS106 no longer repeat what LS202 says about the same claim."""
    load(
        fact("place", ["ap", "official"]),
        fact("named", ["minister"]),
        fact("take", ["official"], kind="opinion"),
        fact("two", ["official"], ["diplomat"]),
    )
    about = {}
    for row in findings(cli, "story"):
        if row["subject_kind"] == "claim":
            about.setdefault(row["subject"], []).append(row["code"])
    assert about == {
        "story/place": ["LS202"],  # one unnamed origin: too few, none on the record
        "story/take": ["LS103"],  # an opinion from an unnamed source
        "story/two": ["LS106"],  # corroborated, but nobody named
    }
    assert by_code(cli, "LS202")["story/place"] == (
        "1 independent origin, 2 needed: AP citing a senior official "
        "(anonymous: not authorised to speak)"
    )


def test_a_named_on_record_statement_is_not_held_to_the_two_source_rule(cli, load):
    who = {"key": "who", "label": "the WHO", "kind": "organization", "anonymity": "named"}
    background = {**MAYOR, "key": "aide", "label": "Aide Sam Poe", "ground_rules": "background"}
    load(
        fact("statement", ["who"]),
        fact("relayed", ["ap", "minister"]),
        fact("unquotable", ["aide"]),
        sources=[who, background],
    )
    assert set(by_code(cli, "LS202")) == {"story/unquotable"}


def test_ls105_borrowed_anonymity_is_reported_once_per_source(cli, load):
    load(
        fact("a", ["ap", "official"]),
        fact("b", ["ap", "official"], ["reuters", "official"]),
        fact("own", ["diplomat"]),
        fact("relayed", ["minister", "diplomat"]),
    )
    rows = findings(cli, "story", "--select", "LS105")
    assert [(row["subject"], row["claims"]) for row in rows] == [
        ("official", ["story/a", "story/b"])
    ]
    assert "anonymity granted by AP (2 claims) and Reuters (1 claim)" in rows[0]["message"]


def test_ls106_resting_only_on_unnamed_sources(cli, load):
    load(fact("both", ["official"], ["diplomat"]), fact("mixed", ["official"], ["minister"]))
    found = by_code(cli, "LS106")
    assert list(found) == ["story/both"]
    assert found["story/both"].startswith("no named source behind it: 2 chains, 2 roots:")


def test_ls201_single_intermediary(cli, load):
    load(
        fact("funnel", ["ap", "official"], ["ap", "minister"]),
        fact("spread", ["ap", "official"], ["reuters", "minister"]),
        fact("echo", ["ap", "official"], ["ap", "official"]),  # one root: LS202's, not LS201's
    )
    assert by_code(cli, "LS201") == {
        "story/funnel": "2 chains, 2 roots, all through AP: "
        "a senior official (anonymous: not authorised to speak); Minister Jane Roe"
    }
    assert "story/echo" in by_code(cli, "LS202")


def test_ls202_names_the_single_root_behind_many_chains(cli, load):
    load(
        fact(
            "echo",
            ["ap", "official"],
            ["reuters", "official"],
            ["bbc", "official"],
            ["afp", "official"],
        ),
        fact("solid", ["minister"], ["mayor"]),
        fact("opinion", ["minister"], kind="opinion"),
    )
    assert by_code(cli, "LS202") == {
        "story/echo": "1 independent origin, 2 needed: 4 chains, 1 root: "
        "AP, Reuters, BBC and AFP citing a senior official (anonymous: not authorised to speak)"
    }


def test_ls202_counts_origins_lent_by_corroborating_claims(cli, load):
    load(
        fact("main", ["official"]),
        fact("backing", ["ap", "diplomat"]),
        links=[{"from": "backing", "relation": "corroborates", "to": "main"}],
    )
    assert by_code(cli, "LS202") == {
        "story/backing": "1 independent origin, 2 needed: "
        "AP citing a Western diplomat (anonymous: diplomatic protocol)"
    }
    rows = findings(cli, "story", "--select", "LS202", "--threshold", "3")
    assert rows[0]["message"] == (
        "2 independent origins, 3 needed: a senior official (anonymous: not authorised to speak); "
        "plus a Western diplomat (anonymous: diplomatic protocol) "
        "(through corroborating story/backing)"
    )


def test_ls203_unattributed_fact_but_not_unattributed_opinion(cli, load):
    load(fact("bare"), fact("musing", kind="opinion"))
    assert by_code(cli, "LS203") == {
        "story/bare": "no source at all: the article states it in its own voice"
    }


def test_ls301_contradiction_on_both_ends(cli, load):
    load(
        fact("claim", ["minister"]),
        fact("denial", ["mayor"]),
        links=[{"from": "denial", "relation": "contradicts", "to": "claim"}],
    )
    assert by_code(cli, "LS301") == {
        "story/claim": "contradicted by story/denial",
        "story/denial": "contradicts story/claim",
    }


# --- the command line --------------------------------------------------------------------------


def test_human_output_is_one_line_per_finding_with_code_and_subject(cli, load):
    load(fact("place", ["ap", "official"]), fact("bare"))
    result = cli("check", "story", "--select", "LS202,LS203")
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("story/place: LS202 1 independent origin, 2 needed: AP citing")
    assert lines[1] == "story/bare: LS203 no source at all: the article states it in its own voice"
    assert lines[2] == "2 findings: LS202 1, LS203 1; 2 to fix or waive"


def test_select_by_prefix_and_ignore(cli, load):
    load(fact("place", ["ap", "official"]), fact("bare"))
    assert {row["code"] for row in findings(cli, "story", "--select", "LS1")} == {"LS105"}
    codes = {row["code"] for row in findings(cli, "story", "--ignore", "LS1", "--ignore", "LS203")}
    assert codes == {"LS202"}
    assert findings(cli, "story", "--select", "LS203", "--ignore", "LS2") == []


def test_unknown_code_is_bad_usage(cli, load):
    load(fact("bare"))
    result = cli("check", "story", "--select", "LS999")
    assert result.exit_code == 2
    assert "no check 'LS999'" in result.stderr
    assert "LS101" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "give an article SLUG"), (("story", "--all"), "not both"), (("nope",), "no article")],
)
def test_scope_errors_exit_2(cli, load, args, message):
    load(fact("bare"))
    result = cli("check", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_all_checks_every_article_and_sources_in_scope(cli, load):
    silent = {"key": "silent", "label": "an insider", "anonymity": "anonymous"}
    load(fact("clean", ["minister"], ["mayor"]), slug="first")
    load(fact("leak", ["silent"]), slug="second", sources=[silent])
    assert findings(cli, "first") == []
    everywhere = findings(cli, "--all", "--select", "LS101,LS202")
    assert [(row["code"], row["subject"]) for row in everywhere] == [
        ("LS101", "silent"),
        ("LS202", "second/leak"),
    ]
