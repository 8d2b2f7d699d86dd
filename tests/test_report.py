"""`ledger report`: golden files of the seed sample, what it shows in every format, PROV, scale.

Regenerate the golden files after an intended change of wording or layout with
`LEDGER_UPDATE_GOLDEN=1 pytest tests/test_report.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import warnings
from pathlib import Path

import prov.model as pm
import pytest
import yaml
from sqlalchemy import event

from ledger.report import FORMATS, render
from ledger.report.model import build_report
from ledger.storage.database import Database

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("LEDGER_UPDATE_GOLDEN") == "1"
SLUG = "rt-is-nusra-deal"
OFFICIAL = "a prominent Syrian opposition official (anonymous: insisted on anonymity)"


def report(cli, *args: str) -> str:
    return cli.ok("report", *args)


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_golden_report_of_the_seed_sample(seeded, fmt):
    content = report(seeded, SLUG, "--format", fmt)
    golden = GOLDEN / f"{SLUG}.{fmt}"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(content, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run with LEDGER_UPDATE_GOLDEN=1"
    assert content == golden.read_text(encoding="utf-8"), (
        f"the {fmt} report changed; if intended, regenerate with LEDGER_UPDATE_GOLDEN=1"
    )


# --- the done criterion: every format shows the same findings ---------------------------------


def _md_claim(content: str, key: str) -> str:
    return content.split(f"### `{key}`: ", 1)[1].split("\n", 1)[0]


def test_markdown_shows_the_editors_questions(seeded):
    content = report(seeded, SLUG)
    assert _md_claim(content, "deal") == (
        "corroborated · anonymous only · single intermediary · borrowed anonymity"
    )
    assert f"- `atareb`: 1 independent origin, 2 needed: AP citing {OFFICIAL}" in content
    assert _md_claim(content, "coalition-challenge").startswith("opinion")
    assert f"- Chain 1: AP ← {OFFICIAL}" in content
    assert "| Share of claims resting only on unnamed sources | 70% |" in content
    assert content.index("## Editor flags") < content.index("## Claims")
    assert "```mermaid\nflowchart LR" in content


def test_html_shows_the_editors_questions(seeded):
    content = report(seeded, SLUG, "--format", "html")
    deal = content.split('id="claim-deal">', 1)[1].split("</article>", 1)[0]
    for badge in ("corroborated", "anonymous only", "single intermediary"):
        assert f">{badge}</span>" in deal
    assert f"1 independent origin, 2 needed: AP citing {OFFICIAL}" in content
    opinion = content.split('id="claim-coalition-challenge">', 1)[1].split("</article>", 1)[0]
    assert '<span class="badge opinion">opinion</span>' in opinion
    assert (
        content.index('id="flags"') < content.index('id="summary"') < content.index('id="claims"')
    )
    assert "<svg" in content and "<script" not in content


def test_json_report_has_claims_summary_sources_and_findings(seeded):
    data = json.loads(report(seeded, SLUG, "--format", "json"))
    claims = {row["key"]: row for row in data["claims"]}
    assert claims["deal"]["status"] == "corroborated"
    assert claims["deal"]["anonymous_only"] and claims["deal"]["single_intermediary"]
    assert claims["atareb"]["independent_origins"] == ["opposition-official"]
    assert [key for key, row in claims.items() if row["kind"] == "opinion"] == [
        "coalition-challenge"
    ]
    # The same elements as `ledger claims --json`, so one script reads both.
    assert data["claims"] == json.loads(seeded.ok("claims", "--article", SLUG, "--json"))
    assert data["summary"]["claims"] == 20 and data["summary"]["unnamed_share"] == 0.7
    sources = {row["key"]: row for row in data["sources"]}
    assert sources["opposition-official"]["anonymity_reason"] == "insisted on anonymity"
    assert (sources["ap"]["originates"], sources["ap"]["relays"]) == (1, 12)
    atareb = [row for row in data["findings"] if row["subject"] == f"{SLUG}/atareb"]
    assert {row["code"] for row in atareb} == {"LS202"}  # one finding per cause


def test_csv_has_one_row_per_claim_with_its_flags(seeded):
    rows = {
        row["key"]: row for row in csv.DictReader(io.StringIO(report(seeded, SLUG, "-f", "csv")))
    }
    assert len(rows) == 20
    deal = rows["deal"]
    assert (deal["status"], deal["anonymous_only"], deal["single_intermediary"]) == (
        "corroborated",
        "yes",
        "yes",
    )
    assert "single intermediary" in deal["flags"]
    assert "LS202" in rows["atareb"]["findings"].split()
    assert rows["atareb"]["chains"] == f"AP ← {OFFICIAL}"
    assert rows["coalition-challenge"]["kind"] == "opinion"


def test_dot_graph_shows_verdicts_and_who_feeds_which_claim(seeded):
    content = report(seeded, SLUG, "--format", "dot")
    labels = dict(re.findall(r'^  (\w+) \[label="([^"]*)"', content, flags=re.M))
    node = {label.split("\\n")[0]: node for node, label in labels.items()}
    assert "corroborated · anonymous only · single intermediary" in labels[node["deal"]]
    assert labels[node["coalition-challenge"]].endswith("opinion · unattributed")
    edges = re.findall(r"^  (\w+) -> (\w+);", content, flags=re.M)
    into = {target: [source for source, t in edges if t == target] for _, target in edges}
    (relay,) = into[node["atareb"]]
    (origin,) = into[relay]
    assert labels[relay] == "AP"
    assert (
        labels[origin]
        == "a prominent Syrian opposition official\\nanonymous: insisted on anonymity"
    )


@pytest.mark.parametrize("fmt", ["prov-json", "prov-n"])
def test_prov_carries_the_verdicts(seeded, fmt):
    document = pm.ProvDocument.deserialize(
        content=report(seeded, SLUG, "-f", fmt), format="json" if fmt == "prov-json" else "provn"
    )
    claims = {
        str(record.identifier).rsplit("/", 1)[1]: {
            str(name): value for name, value in record.attributes
        }
        for record in document.get_records(pm.ProvEntity)
        if str(record.identifier).startswith("claim:")
    }
    assert claims["deal"]["ledger:status"] == "corroborated"
    assert claims["deal"]["ledger:anonymousOnly"] is True
    assert claims["deal"]["ledger:singleIntermediary"] is True
    assert claims["atareb"]["ledger:independentOrigins"] == "opposition-official"
    assert claims["coalition-challenge"]["ledger:kind"] == "opinion"


# --- PROV: it loads, it is valid, and its counts match the ledger ------------------------------


def test_prov_json_counts_match_the_ledger(seeded):
    text = report(seeded, SLUG, "--format", "prov-json")
    with warnings.catch_warnings():
        warnings.simplefilter("error", pm.ProvWarning)
        document = pm.ProvDocument.deserialize(content=text, format="json")
    document.unified()  # raises on clashing identifiers
    assert document == pm.ProvDocument.deserialize(
        content=report(seeded, SLUG, "-f", "prov-n"), format="provn"
    )

    views = json.loads(seeded.ok("claims", "--article", SLUG, "--json"))
    sources = {key for view in views for chain in view["chains"] for key in chain}
    prefixes = {
        (view["key"], *chain[:n])
        for view in views
        for chain in view["chains"]
        for n in range(1, len(chain) + 1)
    }
    origins = {(view["key"], *chain) for view in views for chain in view["chains"]}
    links = sum(len(view["links"]) for view in views)

    def count(kind):
        return len(list(document.get_records(kind)))

    assert count(pm.ProvEntity) == 1 + len(views) + len(prefixes)  # article, claims, statements
    assert count(pm.ProvAgent) == len(sources) + 1  # every source, and RT as publisher
    agents = {str(record.identifier): record for record in document.get_records(pm.ProvAgent)}
    official = dict(agents["source:opposition-official"].attributes)
    assert official[pm.PROV_TYPE] == pm.PROV["Person"]
    assert {str(k): v for k, v in official.items()}[
        "ledger:anonymityReason"
    ] == "insisted on anonymity"
    assert dict(agents["source:ap"].attributes)[pm.PROV_TYPE] == pm.PROV["Organization"]

    derivations = list(document.get_records(pm.ProvDerivation))
    primary = [d for d in derivations if (pm.PROV_TYPE, pm.PROV["PrimarySource"]) in d.attributes]
    assert len(primary) == len(origins)
    assert len(derivations) == len(prefixes)  # one hop, one derivation
    attributions = list(document.get_records(pm.ProvAttribution))
    assert len(attributions) == len(prefixes) + len(views) + 1  # statements, claims, article
    assert count(pm.ProvMembership) == len(views)
    influences = list(document.get_records(pm.ProvInfluence))
    assert len(influences) == links
    relations = {
        value
        for record in influences
        for name, value in record.attributes
        if str(name) == "ledger:relation"
    }
    assert relations == {"corroborates", "refines"}


# --- the ledger-wide report, the command line ---------------------------------------------------


@pytest.fixture
def two_articles(seeded, tmp_path):
    bundle = {
        "version": 1,
        "article": {"slug": "follow-up", "title": "A follow-up", "outlet": "RT"},
        "sources": [{"key": "mayor", "label": "Mayor Jane Roe", "anonymity": "named"}],
        "claims": [
            {"key": "visit", "text": "The mayor visited Atareb.", "attributions": [["mayor"]]},
            {"key": "aside", "text": "Atareb | is <b>small</b>.", "attributions": []},
        ],
        "links": [{"from": "visit", "relation": "contradicts", "to": f"{SLUG}/atareb"}],
    }
    path = tmp_path / "follow-up.yaml"
    path.write_text(yaml.safe_dump(bundle), encoding="utf-8")
    seeded.ok("import", str(path))
    return seeded


def test_ledger_wide_report_has_a_row_per_article_then_the_flags(two_articles):
    content = report(two_articles, "--all")
    assert re.search(r"^\| `follow-up` \| A follow-up \| 2 \| 2 \| 0 \|", content, flags=re.M)
    assert re.search(rf"^\| `{SLUG}` \|", content, flags=re.M)
    assert re.search(r"^\| \*\*All articles\*\* \|  \| 22 \|", content, flags=re.M)
    assert content.index("## Articles") < content.index("## Editor flags")
    assert "- `follow-up/visit`: contradicts rt-is-nusra-deal/atareb" in content
    assert "Atareb \\| is \\<b\\>small\\</b\\>." in content  # escaped, table and markup safe
    data = json.loads(report(two_articles, "--all", "-f", "json"))
    assert [row["slug"] for row in data["articles"]] == ["follow-up", SLUG]
    assert data["article"] is None and data["summary"]["claims"] == 22
    assert len(report(two_articles, "--all", "-f", "csv").strip().splitlines()) == 23


def test_a_link_to_another_article_is_drawn_and_declared(two_articles):
    dot = report(two_articles, "follow-up", "-f", "dot")
    assert f'label="{SLUG}/atareb\\nanother article"' in dot
    document = pm.ProvDocument.deserialize(
        content=report(two_articles, "follow-up", "-f", "prov-json")
    )
    entities = {str(record.identifier) for record in document.get_records(pm.ProvEntity)}
    assert f"claim:{SLUG}/atareb" in entities


def test_html_escapes_claim_text(two_articles):
    content = report(two_articles, "follow-up", "-f", "html")
    assert "<b>small</b>" not in content
    assert "Atareb | is &lt;b&gt;small&lt;/b&gt;." in content


def test_output_file_and_threshold(seeded, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    out = seeded.ok("report", SLUG, "-f", "json", "-o", str(target / "r.json"), "--threshold", "3")
    assert "wrote the json report" in out
    data = json.loads((target / "r.json").read_text(encoding="utf-8"))
    assert data["threshold"] == 3
    assert {row["key"]: row["status"] for row in data["claims"]}["deal"] == "single-source"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give an article SLUG"),
        ((SLUG, "--all"), "not both"),
        (("missing",), "no article 'missing'"),
        ((SLUG, "--format", "pdf"), "pdf"),
    ],
)
def test_report_usage_errors_exit_2(seeded, args, message):
    result = seeded("report", *args)
    assert result.exit_code == 2
    assert message in result.stderr


# --- scale: a fixed number of queries, well under a second for 200 claims ----------------------


def _article(path: Path, slug: str, claims: int) -> Path:
    sources = [
        {"key": f"{slug}-s{n}", "label": f"source {n}", "anonymity": "anonymous"} for n in range(10)
    ]
    rows = [
        {
            "key": f"c{n}",
            "text": f"Claim number {n}.",
            "kind": "opinion" if n % 7 == 0 else "fact",
            "attributions": [["wire", f"{slug}-s{n % 10}"], [f"{slug}-s{(n + 1) % 10}"]],
        }
        for n in range(claims)
    ]
    links = [
        {"from": f"c{n}", "relation": "corroborates" if n % 2 else "refines", "to": f"c{n + 1}"}
        for n in range(0, claims - 1, 3)
    ]
    wire = {"key": "wire", "label": "Wire", "kind": "outlet", "anonymity": "named"}
    bundle = {
        "version": 1,
        "article": {"slug": slug, "title": slug},
        "sources": [wire, *sources],
        "claims": rows,
        "links": links,
    }
    target = path / f"{slug}.yaml"
    target.write_text(yaml.safe_dump(bundle), encoding="utf-8")
    return target


def test_report_of_200_claims_does_not_query_per_claim(cli, tmp_path):
    cli.ok("import", str(_article(tmp_path, "small", 10)))
    cli.ok("import", str(_article(tmp_path, "large", 200)))
    database = Database.open(cli.db)
    statements: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with database.read() as session:
        build_report(session, "small", threshold=2)  # warm up: connection set-up is not counted
        statements.clear()
        build_report(session, "small", threshold=2)
        small = len(statements)
        statements.clear()
        large = build_report(session, "large", threshold=2)
        for fmt in FORMATS:
            assert render(large, fmt)
    database.dispose()
    assert len(statements) == small  # the time it takes is measured in benchmarks/
