"""`check --all` and `report --all` stream, and say exactly what the whole report says.

The streamed answers (`ledger.report.wide`) are compared, byte for byte, with
the renderings of `build_report(session, None)`, which holds the whole ledger
in memory: on the seed samples with waivers, clearances, a retraction, probable
duplicates and a policy, and on ledgers made by the benchmark generator; with
batches made tiny so that every boundary between batches is crossed. Both engines.
"""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import select

from benchmarks import generate
from ledger.policy import DEFAULT, load_policy
from ledger.read import sourcekeys, wide
from ledger.report import STREAMED, render
from ledger.report.model import build_report
from ledger.storage.database import Database
from ledger.storage.schema import SourceRow
from ledger.text.labels import fold_label, nearly_same, signatures

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SLUG = "rt-is-nusra-deal"
FORMATS = sorted(STREAMED)


def whole(db: str, fmt: str, policy=DEFAULT) -> str:
    """What the whole-ledger report says, built the old way: everything in memory."""
    database = Database.open(db)
    try:
        with database.read() as session:
            return render(build_report(session, None, threshold=2, policy=policy), fmt)
    finally:
        database.dispose()


def whole_findings(db: str, policy=DEFAULT) -> list[dict]:
    database = Database.open(db)
    try:
        with database.read() as session:
            report = build_report(session, None, threshold=2, policy=policy)
            return [found.to_json() for found in report.findings]
    finally:
        database.dispose()


@pytest.fixture(params=["tiny batches", "default batches"])
def batching(request, monkeypatch):
    """Batches of one or two items, so that every boundary is crossed, or the real ones."""
    if request.param == "tiny batches":
        monkeypatch.setattr(wide, "BATCH", 2)
        monkeypatch.setattr(wide, "CHUNK_FIRST", 1)
        monkeypatch.setattr(wide, "CHUNK_ARTICLES", 2)
    return request.param


def busy_ledger(cli) -> None:
    """The two samples, and what makes the checks say more: waivers, a clearance, a
    retraction, a policy-free warning-less ledger with probable duplicate sources."""
    cli.ok("import", str(SAMPLES / "rt-is-nusra-deal.yaml"), str(SAMPLES / "outbreak.yaml"))
    findings = json.loads(cli("check", "--all", "--json").stdout)
    claim_finding = next(item for item in findings if item["subject_kind"] == "claim")
    source_finding = next(item for item in findings if item["subject_kind"] == "source")
    for item in (claim_finding, source_finding):
        cli.ok("waive", item["code"], item["subject"], "--reason", "the story says so")
    cli.ok(
        "source",
        "add",
        "the-ministry",
        "--label",
        "The Ministry of Health.",
        "--no-input",
        "--anonymity",
        "named",
    )
    cli.ok(
        "source",
        "add",
        "ministry-2",
        "--label",
        "ministry of helth",
        "--no-input",
        "--anonymity",
        "named",
    )
    cli.ok("claim", "add", f"{SLUG}/extra", "Another fact.", "--chain", "the-ministry")
    cli.ok("claim", "add", f"{SLUG}/more", "Yet another.", "--chain", "ministry-2")
    cli.ok("claim", "retract", f"{SLUG}/extra", "--reason", "wrong")
    anonymous = next(item for item in findings if item["code"] in ("LS107", "LS108"))
    cli.ok("source", "knows", anonymous["subject"], "--name", "Ann", "--role", "editor")


def assert_streams_equal(cli, policy_file: Path | None = None) -> None:
    policy = load_policy(policy_file) if policy_file else DEFAULT
    extra = ["--policy", str(policy_file)] if policy_file else []
    for fmt in FORMATS:
        result = cli("report", "--all", "--format", fmt, *extra)
        assert result.exit_code == 0, result.stderr
        streamed = result.stdout_bytes.decode()  # as written: CSV lines end in CR LF
        assert streamed == whole(cli.db, fmt, policy), fmt
    result = cli("check", "--all", "--json", *extra)
    expected = [
        {**item, "policy": result_policy(item, policy)} for item in whole_findings(cli.db, policy)
    ]
    assert json.loads(result.stdout) == expected
    assert result.exit_code == (
        1 if any(i["level"] == "error" and not i["waived"] for i in expected) else 0
    )


def result_policy(item: dict, policy) -> dict | None:
    setting = policy.checks.get(item["code"])
    if policy.path is None or setting is None:
        return None
    return {"file": str(policy.path), "line": setting.line, "cites": setting.cites}


def test_the_samples_stream_what_the_whole_report_says(cli, batching):
    busy_ledger(cli)
    assert_streams_equal(cli)
    assert_streams_equal(cli, SAMPLES / "policies" / "bbc-style.toml")


def test_generated_ledgers_stream_what_the_whole_report_says(cli, batching, tmp_path):
    path = tmp_path / "generated.jsonl"
    generate.write(path, 1_500, seed=11)
    cli.ok("import", str(path))
    assert_streams_equal(cli)
    assert_streams_equal(cli, SAMPLES / "policies" / "ap-style.toml")


def test_an_empty_ledger_streams_what_the_whole_report_says(cli):
    assert_streams_equal(cli)


def test_check_all_lists_the_findings_as_text_and_rows_as_before(cli):
    busy_ledger(cli)
    rows = cli("check", "--all", "--csv").stdout.splitlines()
    expected = whole_findings(cli.db)
    assert len(rows) == len(expected) + 1
    assert [row.split(",", 1)[0] for row in rows[1:]] == [item["code"] for item in expected]
    text = cli("check", "--all").stdout
    assert f"{len(expected)} findings" in text


# --- probable duplicates: the index finds what comparing every pair finds --------------------------


def pairwise(session, among=None) -> list[tuple[str, str, str]]:
    """The duplicates by comparing every pair of sources that meet, as the ledger once did."""
    rows = {row.key: row for row in session.scalars(select(SourceRow).order_by(SourceRow.id))}
    order = {key: index for index, key in enumerate(rows)}
    labels = {key: {fold_label(row.label)} for key, row in rows.items()}

    def differ(a, b) -> bool:
        for name in ("kind", "anonymity", "affiliation", "description"):
            first, second = getattr(a, name), getattr(b, name)
            if first is not None and second is not None and first != second:
                if name == "kind" and "unknown" in (first, second):
                    continue
                return True
        return a.speaks_for == b.key or b.speaks_for == a.key

    found = []
    for first, second in itertools.permutations(rows, 2):
        if order[first] >= order[second]:
            continue
        if among is not None and first not in among and second not in among:
            continue
        meet = {s for f in labels[first] if f for s in signatures(f)} & {
            s for f in labels[second] if f for s in signatures(f)
        }
        if not meet or differ(rows[first], rows[second]):
            continue
        same = sorted(labels[first] & labels[second])
        if same:
            found.append((second, first, same[0]))
        elif any(nearly_same(a, b) for a in sorted(labels[first]) for b in sorted(labels[second])):
            found.append((second, first, "slip"))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


@pytest.mark.parametrize("seed", range(2))
def test_probable_duplicates_are_those_of_comparing_every_pair(cli, seed):
    rng = random.Random(seed)
    names = [
        "Ministry of Health",
        "ministry of helth",
        "The Ministry of Health",
        "Minstry of Health",
    ]
    names += ["a senior official", "a senior oficial", "Port Authority", "port authorty"]
    rows = []
    for number in range(60):
        row = {"key": f"s{number:02d}", "label": rng.choice(names), "anonymity": "named"}
        for name, values in (
            ("kind", ["person", "organization", "unknown"]),
            ("affiliation", ["A", "B"]),
            ("description", ["x", "y"]),
        ):
            if rng.random() < 0.5:
                row[name] = rng.choice(values)
        if rng.random() < 0.3:
            row["anonymity"] = "anonymous"
        if rows and rng.random() < 0.1:
            row["speaks_for"] = rng.choice(rows)["key"]
        rows.append(row)
    for row in rows:
        args = ["source", "add", row["key"], "--label", row["label"], "--no-input"]
        for name in ("kind", "anonymity", "affiliation", "description"):
            if name in row:
                args += [f"--{name}", row[name]]
        if row.get("anonymity") == "anonymous":
            args += ["--reason", "fear"]
        if "speaks_for" in row:
            args += ["--speaks-for", row["speaks_for"]]
        cli.ok(*args)
    database = Database.open(cli.db)
    with database.read() as session:
        for among in (None, ["s03", "s10"]):
            found = sourcekeys.probable_duplicates(session, among=among)
            expected = pairwise(session, among)
            assert [(item.duplicate, item.keep) for item in found] == [p[:2] for p in expected]
            assert found, "the sources were drawn so that some are probable duplicates"
    database.dispose()
