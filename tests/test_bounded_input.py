"""Hostile input costs one line, not the machine: small files that once took minutes,
gigabytes or a traceback are refused at their place, and nothing is written.

Covers `verify --jobs` (capped at the cores), bundle parsing (YAML aliases, repeated keys,
nesting, huge integers, devices and pipes), chains (length, a source twice), and quote
anchoring, whose work must grow with the article, not with its square.
"""

from __future__ import annotations

import json
import os
import random
import tracemalloc
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text

from ledger.errors import BundleError
from ledger.storage.database import Database
from ledger.text import anchoring
from ledger.write import parsing
from ledger.write.bundle import parse_text
from tests.conftest import SAMPLE_BUNDLE, Cli
from tests.test_conventions import assert_refused

TABLES = ("sources", "articles", "claims", "hops", "links", "events")


def totals(cli: Cli) -> dict[str, int]:
    """Rows in every table a write touches: what "nothing written" is checked against."""
    database = Database.open(cli.db)
    try:
        with database.read() as session:
            return {
                table: session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in TABLES
            }
    finally:
        database.dispose()


def refused_writing_nothing(cli: Cli, args: list[str], *fragments: str) -> str:
    before = totals(cli)
    result = cli(*args)
    assert_refused(result, *fragments)
    assert totals(cli) == before
    return result.stderr.strip()


BUNDLE_HEAD = (
    "version: 1\n"
    "article: {slug: hostile, title: Hostile}\n"
    "sources:\n"
    "  - {key: ap, label: AP, kind: outlet, anonymity: named}\n"
)


def laughs(levels: int = 9) -> str:
    """The "billion laughs": each level a list of ten aliases of the level before it."""
    lines = [BUNDLE_HEAD.rstrip("\n"), "lol0: &lol0 [ap, ap, ap, ap, ap, ap, ap, ap, ap, ap]"]
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [{', '.join([f'*lol{level - 1}'] * 10)}]")
    lines.append(f"claims: [{{key: c, text: x, attributions: [*lol{levels}]}}]")
    return "\n".join(lines) + "\n"


def chain_bundle(chain: list[str]) -> str:
    data = {
        "version": 1,
        "article": {"slug": "hostile", "title": "Hostile"},
        "sources": [{"key": "ap", "label": "AP", "kind": "outlet", "anonymity": "named"}],
        "claims": [
            {"key": "fine", "text": "A claim.", "attributions": [["ap"]]},
            {"key": "bad", "text": "Another.", "attributions": [["ap"], chain]},
        ],
    }
    return json.dumps(data)  # JSON is YAML too: one text for both formats


LONG_CHAIN = ["ap", *(f"s{index}" for index in range(10_000))]
DUPLICATE_JSON = '{"version": 1,\n "article": {"slug": "a",\n  "title": "T",\n  "slug": "b"}}\n'

HOSTILE = {
    "aliases": ("bundle.yaml", laughs(), ("bundle.yaml:5:", "anchors and aliases", "not allowed")),
    "alias": ("bundle.yaml", BUNDLE_HEAD + "x: *a\n", ("bundle.yaml:5:", "anchors and aliases")),
    "yaml-500-deep": (
        "bundle.yaml",
        BUNDLE_HEAD + "x: " + "[" * 500 + "]" * 500 + "\n",
        ("bundle.yaml:5:", "nested deeper than 64 levels"),
    ),
    "json-1000-deep": (
        "bundle.json",
        '{"version": 1, "x": ' + "[" * 1000 + "]" * 1000 + "}",
        ("bundle.json:1:", "nested deeper than 64 levels"),
    ),
    "yaml-5001-digits": (
        "bundle.yaml",
        "version: " + "9" * 5001 + "\n",
        ("bundle.yaml:1:", "5,001 characters", "at most 64"),
    ),
    "json-5001-digits": (
        "bundle.json",
        '{"version":\n ' + "9" * 5001 + "}",
        ("bundle.json:2:2:", "5,001 characters"),
    ),
    "yaml-duplicate-key": (
        "bundle.yaml",
        "version: 1\narticle:\n  slug: a\n  title: T\n  slug: b\n",
        ("bundle.yaml:5:", "duplicate key 'slug'"),
    ),
    "json-duplicate-key": (
        "bundle.json",
        DUPLICATE_JSON,
        ("bundle.json:4:", "duplicate key 'slug'"),
    ),
    "source-twice": (
        "bundle.yaml",
        chain_bundle(["ap", "ap", "ap"]),
        ("claims[1].attributions[1]: source 'ap' appears twice in one chain",),
    ),
    "10000-hops": (
        "bundle.json",
        chain_bundle(LONG_CHAIN),
        ("claims[1].attributions[1]: a chain of 10,001 hops", "at most 20"),
    ),
    "jsonl-deep-line": (
        "bundle.jsonl",
        '{"version": 1, "article": {"slug": "ok", "title": "t"}}\n'
        + '{"version": 1, "x": '
        + "[" * 1000
        + "]" * 1000
        + "}\n",
        ("bundle.jsonl:2:", "nested deeper than 64 levels"),
    ),
    "jsonl-duplicate-key": (
        "bundle.jsonl",
        '{"version": 1, "version": 1}\n',
        ("bundle.jsonl:1:", "duplicate key 'version'"),
    ),
    "jsonl-source-twice": (
        "bundle.jsonl",
        chain_bundle(["ap", "ap"]) + "\n",
        ("bundle.jsonl:1: claims[1].attributions[1]: source 'ap' appears twice",),
    ),
    "jsonl-10000-hops": (
        "bundle.jsonl",
        chain_bundle(LONG_CHAIN) + "\n",
        ("bundle.jsonl:1: claims[1].attributions[1]: a chain of 10,001 hops",),
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_bundles_are_refused_at_their_place_writing_nothing(cli, tmp_path, case):
    name, content, fragments = HOSTILE[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    refused_writing_nothing(cli, ["import", str(path)], *fragments)


LOADERS = [
    "python",
    pytest.param(
        "libyaml",
        marks=pytest.mark.skipif(parsing.FastLoader is None, reason="PyYAML built without libyaml"),
    ),
]


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch) -> type:
    """Each YAML loader the ledger may use: the pure-Python one, and libyaml's when built in."""
    if request.param == "python":
        monkeypatch.setattr(parsing, "FastLoader", None)
        return parsing.BoundedLoader
    return parsing.FastLoader


YAML_CASES = [
    name
    for name, (file, _content, _fragments) in HOSTILE.items()
    if file.endswith(".yaml") and name != "source-twice"  # chains: the bundle model's business
]


@pytest.mark.parametrize("case", YAML_CASES)
def test_both_yaml_loaders_refuse_the_same_way(loader, case):
    name, content, fragments = HOSTILE[case]
    with pytest.raises(BundleError) as refused:
        parse_text(content, origin=name, fmt="yaml")
    assert all(fragment in str(refused.value) for fragment in fragments), refused.value


def test_billion_laughs_is_refused_before_anything_is_expanded(loader, monkeypatch):
    """The alias is refused before the document is composed: nothing is constructed, so the
    thousand million `ap`s are never made, and memory stays small."""
    constructed = []
    original = loader.construct_document
    monkeypatch.setattr(
        loader,
        "construct_document",
        lambda self, node: constructed.append(node) or original(self, node),
    )
    tracemalloc.start()
    try:
        with pytest.raises(BundleError, match=r"^laughs.yaml:5: YAML anchors and aliases"):
            parse_text(laughs(levels=30), origin="laughs.yaml", fmt="yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert constructed == []
    assert peak < 5_000_000


def test_both_yaml_loaders_read_a_bundle_alike(loader):
    expected = yaml.safe_load(SAMPLE_BUNDLE.read_text(encoding="utf-8"))
    assert parsing.parse_yaml(SAMPLE_BUNDLE.read_text(encoding="utf-8"), origin="x") == [expected]


def test_a_long_value_is_quoted_by_an_excerpt_only(cli, tmp_path):
    key = "k" * 100_000
    path = tmp_path / "bundle.json"
    path.write_text(f'{{"version": 1, "{key}": 1, "{key}": 2}}', encoding="utf-8")
    line = refused_writing_nothing(cli, ["import", str(path)], "duplicate key 'kkkk")
    assert len(line) < 300


def test_export_never_writes_anchors_so_it_always_reads_back(seeded, tmp_path):
    exported = tmp_path / "all.yaml"
    seeded.ok("export", "-o", str(exported))
    seeded.ok("import", "--replace", "--yes", str(exported))


# --- files that are not files ------------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_neither_a_bundle_nor_an_article_text(cli):
    refused_writing_nothing(
        cli, ["import", "/dev/zero"], "/dev/zero: is not a regular file", "bundle file"
    )
    result = cli("suggest", "/dev/zero", db=False)
    assert_refused(result, "/dev/zero: is not a regular file", "article text")
    assert "directory" not in result.stderr
    refused_writing_nothing(
        cli,
        ["article", "add", "zero", "--title", "Zero", "--text-file", "/dev/zero"],
        "/dev/zero: is not a regular file",
    )
    refused_writing_nothing(
        cli,
        ["verify", "--checkpoint", "/dev/zero", "--verifier-key", "/dev/zero"],
        "/dev/zero: is not a regular file",
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_refused_without_waiting_for_a_writer(cli, tmp_path):
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    refused_writing_nothing(cli, ["import", str(pipe)], "pipe.yaml: is not a regular file")
    assert_refused(cli("suggest", str(pipe), db=False), "is not a regular file")


def test_a_directory_is_named_as_one(cli, tmp_path):
    refused_writing_nothing(cli, ["import", str(tmp_path)], "is a directory, not a bundle file")
    assert_refused(cli("suggest", str(tmp_path), db=False), "is a directory")


# --- verify --jobs -----------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["3", "100000", "0", "-1"])
def test_verify_jobs_stays_within_the_cores(seeded, monkeypatch, jobs):
    from ledger.audit import verification

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(verification, "_run_in_workers", pytest.fail)  # no process is started
    assert_refused(seeded("verify", "--jobs", jobs), "--jobs: ", f"not {jobs}")


def test_verify_jobs_up_to_the_cores_runs(seeded, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert json.loads(seeded.ok("verify", "--json", "--jobs", "2"))["intact"]


# --- chains on the command line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["claim", "add", "rt-is-nusra-deal/new", "A claim.", "--chain", "ap,ap,ap"], ("--chain",)),
        (
            ["claim", "add", "rt-is-nusra-deal/new", "A claim.", "--via", "ap", "--via", "ap"],
            ("--via",),
        ),
        (
            [
                "claim",
                "attribute",
                "rt-is-nusra-deal/atareb",
                "--chain",
                "ap,opposition-official,ap",
            ],
            (),
        ),
    ],
)
def test_a_source_twice_in_one_chain_is_refused_on_the_command_line(seeded, args, fragments):
    refused_writing_nothing(seeded, args, "source 'ap' appears twice in one chain", *fragments)


def test_a_chain_beyond_the_maximum_is_refused_on_the_command_line(seeded):
    chain = ",".join(["ap", *(f"s{index}" for index in range(10_000))])
    for args in (
        ["claim", "add", "rt-is-nusra-deal/new", "A claim.", "--chain", chain],
        ["claim", "attribute", "rt-is-nusra-deal/atareb", "--chain", chain],
    ):
        refused_writing_nothing(seeded, args, "--chain: a chain of 10,001 hops", "at most 20")


def test_a_source_twice_through_an_alias_is_refused(seeded, tmp_path):
    seeded.ok(
        "source", "add", "wire", "--label", "AP wire", "--anonymity", "named", "--kind", "outlet"
    )
    seeded.ok("source", "merge", "wire", "ap")
    refused_writing_nothing(
        seeded,
        ["claim", "attribute", "rt-is-nusra-deal/atareb", "--chain", "wire,ap"],
        "source 'ap' appears twice in one chain, once by an alias",
    )
    path = tmp_path / "alias.yaml"
    path.write_text(
        "version: 1\narticle: {slug: alias, title: T}\n"
        "claims: [{key: c, text: x, attributions: [[wire, ap]]}]\n",
        encoding="utf-8",
    )
    refused_writing_nothing(
        seeded, ["import", str(path)], "claims[0].attributions[0]: source 'ap' appears twice"
    )


# --- quote anchoring: linear work --------------------------------------------------------------


def quoted_article(claims: int) -> dict:
    """An article of `claims` paragraphs, each quoted by a claim (curly marks and line breaks
    in the text, straight ones in the quotes: every quote must be folded to match)."""
    paragraphs, entries = [], []
    for index in range(claims):
        said = f"Plan number {index} of the council will hold through winter"
        paragraphs.append(f"“{said},” the\nspokesman said on day {index}.")
        entries.append(
            {
                "key": f"c{index}",
                "text": f"Plan {index} holds.",
                "quote": f'"{said},"',
                "attributions": [["spokesman"]],
            }
        )
    return {
        "version": 1,
        "article": {"slug": f"quotes-{claims}", "title": "Quotes", "text": "\n\n".join(paragraphs)},
        "sources": [{"key": "spokesman", "label": "the spokesman", "anonymity": "named"}],
        "claims": entries,
    }


def anchoring_work(cli: Cli, tmp_path: Path, claims: int, monkeypatch) -> tuple[int, int]:
    """Characters folded and whole-text scans made while importing `claims` quoted claims."""
    folded, scans = [0], [0]
    fold, scan = anchoring.fold, anchoring.scan

    def counting_fold(value: str) -> anchoring.Folded:
        folded[0] += len(value)
        return fold(value)

    def counting_scan(body: str, needle: str, start: int) -> int:
        scans[0] += 1
        return scan(body, needle, start)

    anchoring.haystack.cache_clear()
    path = tmp_path / f"quotes-{claims}.json"
    path.write_text(json.dumps(quoted_article(claims)), encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(anchoring, "fold", counting_fold)
        patched.setattr(anchoring, "scan", counting_scan)
        cli.ok("import", str(path))
    return folded[0], scans[0]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_anchoring_work_grows_with_the_article_not_its_square(cli, tmp_path, monkeypatch):
    small_folded, small_scans = anchoring_work(cli, tmp_path, 50, monkeypatch)
    large_folded, large_scans = anchoring_work(cli, tmp_path, 200, monkeypatch)
    # Four times the claims in a four times longer article: about four times the folding
    # (once the article, once each quote), where folding per quote made it sixteen.
    assert large_folded < 4.5 * small_folded
    assert small_scans == large_scans == 0  # every quote found through the index


def naive_find_all(quote: str, article: str) -> list[tuple[int, int]]:
    """The reference: fold character by character, then `str.find` from each place."""

    def fold(value: str) -> tuple[str, list[int]]:
        chars, offsets, pending = [], [], False
        for index, char in enumerate(value.translate(anchoring._FOLD)):
            if char.isspace():
                pending = bool(chars)
                continue
            if pending:
                chars.append(" ")
                offsets.append(index - 1)
                pending = False
            chars.append(char)
            offsets.append(index)
        return "".join(chars), offsets

    needle, _ = fold(quote)
    body, offsets = fold(article)
    spans, at = [], body.find(needle) if needle else -1
    while at != -1:
        spans.append((offsets[at], offsets[at + len(needle) - 1] + 1))
        at = body.find(needle, at + 1)
    return spans


@pytest.mark.parametrize("max_candidates", [0, 2, anchoring.MAX_CANDIDATES])
def test_indexed_quote_search_finds_what_a_plain_search_finds(monkeypatch, max_candidates):
    monkeypatch.setattr(anchoring, "MAX_CANDIDATES", max_candidates)
    rng = random.Random(15)
    alphabet = "ab cd\u2019\u201c\u201d\u2014-\n\t\u00a0 e"
    for _ in range(3000):
        article = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 160)))
        start = rng.randrange(len(article) + 1)
        quote = article[start : start + rng.randint(1, 40)]
        if rng.random() < 0.3:
            quote = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        expected = naive_find_all(quote, article)
        assert [(s.start, s.end) for s in anchoring.find_all(quote, article)] == expected
        first = anchoring.find(quote, article)
        assert (None if first is None else (first.start, first.end)) == (
            expected[0] if expected else None
        )


# --- the policy file ---------------------------------------------------------------------------

POLICIES = {
    "deep.toml": ("a = " + "[" * 2000 + "]" * 2000 + "\n", "nested too deeply"),
    "long.toml": ("threshold = " + "9" * 5001 + "\n", "a number too long"),
}


@pytest.mark.parametrize("name", POLICIES)
def test_a_hostile_policy_file_is_one_line(seeded, tmp_path, name):
    content, fragment = POLICIES[name]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert_refused(seeded("check", "--all", "--policy", str(path)), f"{path}:", fragment)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_not_a_policy_file(seeded):
    assert_refused(seeded("check", "--all", "--policy", "/dev/zero"), "is not a regular file")


@pytest.mark.parametrize(
    "document",
    [
        {"version": "x" * 100_000},
        {"version": 1, "article": {"slug": "a", "title": "t", "bogus" * 20_000: 1}},
        {"version": 1, "article": {"slug": "a B" * 50_000, "title": "t"}},
    ],
)
def test_a_huge_value_in_a_bundle_is_quoted_by_an_excerpt(cli, tmp_path, document):
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert len(refused_writing_nothing(cli, ["import", str(path)], "bundle.json")) < 300


def test_a_bundle_file_beyond_the_maximum_is_refused_unread(cli, tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:  # sparse: the size is there, the bytes are not
        handle.truncate(parsing.MAX_BUNDLE_BYTES + 1)
    refused_writing_nothing(
        cli, ["import", str(path)], "huge.yaml: is 67,108,865 bytes", "JSON Lines"
    )


def test_a_json_lines_line_beyond_the_maximum_is_refused(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("ledger.write.bulk.MAX_BUNDLE_BYTES", 200)
    path = tmp_path / "long.jsonl"
    path.write_text(
        '{"version": 1, "article": {"slug": "fine", "title": "Fine"}}\n'
        + json.dumps({"version": 1, "article": {"slug": "long", "title": "x" * 500}})
        + "\n",
        encoding="utf-8",
    )
    refused_writing_nothing(cli, ["import", str(path)], "long.jsonl:2: a line longer than 200")
