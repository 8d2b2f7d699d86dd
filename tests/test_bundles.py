"""Bundle import and export: the file contract, its errors, atomicity and round trips."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.conftest import SAMPLE_BUNDLE
from tests.test_cli_entry import assert_refused


def write_bundle(directory: Path, data: dict, name: str = "bundle.yaml") -> Path:
    path = directory / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def small_bundle() -> dict:
    return {
        "version": 1,
        "article": {
            "slug": "small",
            "title": "A small story",
            "text": "The mayor said the bridge will reopen in May. Officials denied it.",
        },
        "sources": [
            {"key": "mayor", "label": "the mayor", "anonymity": "named"},
            {
                "key": "officials",
                "label": "officials",
                "anonymity": "anonymous",
                "kind": "organization",
            },
        ],
        "claims": [
            {
                "key": "reopen",
                "text": "The bridge will reopen in May.",
                "quote": "the bridge will reopen in May",
                "cue": "said",
                "attributions": [["mayor"]],
            },
            {
                "key": "denial",
                "text": "Officials denied the bridge will reopen.",
                "quote": "Officials denied it",
                "cue": "denied",
                "attributions": [["officials"]],
            },
        ],
        "links": [{"from": "denial", "relation": "contradicts", "to": "reopen"}],
    }


def test_round_trip_is_byte_identical(seeded, tmp_path):
    first = seeded.ok("export")
    exported = tmp_path / "export.yaml"
    exported.write_text(first, encoding="utf-8")
    from tests.conftest import Cli

    # The second ledger is a SQLite file whatever the first one's engine: on
    # PostgreSQL this also proves a bundle moves between engines unchanged.
    other = Cli(str(tmp_path / "other.db"), seeded.runner)
    other.ok("init")
    other.ok("import", str(exported))
    assert other.ok("export") == first


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_replace_import_is_identical(seeded, tmp_path, fmt):
    first = seeded.ok("export", "--article", "rt-is-nusra-deal", "--format", fmt)
    path = tmp_path / f"again.{fmt}"
    path.write_text(first, encoding="utf-8")
    seeded.ok("import", "--replace", str(path))
    assert seeded.ok("export", "--article", "rt-is-nusra-deal", "--format", fmt) == first


def test_export_to_file(seeded, tmp_path):
    target = tmp_path / "out.json"
    seeded.ok("export", "--format", "json", "-o", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["article"]["slug"] == "rt-is-nusra-deal"
    assert len(data["claims"]) == 20
    assert data["claims"][0]["attributions"] == [
        ["ap", "opposition-official"],
        ["ap", "abu-musafer"],
    ]


def test_json_bundle_imports_like_yaml(cli, tmp_path):
    cli.ok("import", str(write_bundle(tmp_path, small_bundle(), "small.json")))
    rows = json.loads(cli.ok("claims", "--json", "--contradicted"))
    assert {row["key"] for row in rows} == {"reopen", "denial"}


def test_text_file_is_relative_to_the_bundle(cli, sample_dir):
    cli.ok("import", str(sample_dir / "rt-is-nusra-deal.yaml"))
    article = json.loads(cli.ok("article", "show", "rt-is-nusra-deal", "--json"))["article"]
    assert article["text"] == (sample_dir / "article.txt").read_text(encoding="utf-8")
    assert len(article["text_sha256"]) == 64


def test_sources_already_in_the_ledger_need_no_redefinition(seeded, tmp_path):
    bundle = {
        "version": 1,
        "article": {"slug": "follow-up", "title": "Follow-up"},
        "claims": [
            {
                "key": "deal",
                "text": "The deal holds.",
                "attributions": [["ap", "opposition-official"]],
            }
        ],
        "links": [{"from": "deal", "relation": "corroborates", "to": "rt-is-nusra-deal/deal"}],
    }
    seeded.ok("import", str(write_bundle(tmp_path, bundle)))
    row = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/deal", "--json"))
    assert row["linked_from"] == [
        {"relation": "refines", "from": "rt-is-nusra-deal/agreement-reached"},
        {"relation": "corroborates", "from": "follow-up/deal"},
    ]


def test_replace_keeps_links_from_other_articles(seeded, tmp_path):
    bundle = {
        "version": 1,
        "article": {"slug": "follow-up", "title": "Follow-up"},
        "claims": [{"key": "deal", "text": "The deal holds.", "attributions": [["guardian"]]}],
        "links": [{"from": "deal", "relation": "corroborates", "to": "rt-is-nusra-deal/atareb"}],
    }
    seeded.ok("import", str(write_bundle(tmp_path, bundle)))
    seeded.ok("import", "--replace", str(SAMPLE_BUNDLE))
    row = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--json"))
    assert {"relation": "corroborates", "from": "follow-up/deal"} in row["linked_from"]
    assert row["independent_origins"] == ["guardian", "opposition-official"]


def test_replace_refuses_to_drop_a_claim_another_article_links_to(seeded, tmp_path, sample_dir):
    bundle = {
        "version": 1,
        "article": {"slug": "follow-up", "title": "Follow-up"},
        "claims": [{"key": "x", "text": "X."}],
        "links": [{"from": "x", "relation": "refines", "to": "rt-is-nusra-deal/atareb"}],
    }
    seeded.ok("import", str(write_bundle(tmp_path, bundle)))
    data = yaml.safe_load((sample_dir / "rt-is-nusra-deal.yaml").read_text(encoding="utf-8"))
    data["claims"] = [c for c in data["claims"] if c["key"] != "atareb"]
    data["links"] = [link for link in data["links"] if "atareb" not in (link["from"], link["to"])]
    before = seeded.ok("export")
    result = seeded("import", "--replace", str(write_bundle(sample_dir, data, "edited.yaml")))
    assert_refused(result, "'atareb' is linked from article 'follow-up'")
    assert seeded.ok("export") == before


# --- bad bundles: the place of the fault, exit 2, nothing written ------------------------------


def broken(mutate) -> dict:
    data = yaml.safe_load(SAMPLE_BUNDLE.read_text(encoding="utf-8"))
    mutate(data)
    return data


def _set(path: list, value):
    def mutate(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return mutate


CASES = [
    (
        "unknown source in the last claim",
        _set(["claims", 19, "attributions"], [["ap", "nobody"]]),
        "claims[19].attributions[0][1]: unknown source 'nobody'",
    ),
    (
        "duplicate claim key",
        _set(["claims", 5, "key"], "deal"),
        "claims[5].key: duplicate claim key 'deal'",
    ),
    (
        "duplicate source key",
        _set(["sources", 2, "key"], "ap"),
        "sources[2].key: duplicate source key 'ap'",
    ),
    (
        "missing quote",
        _set(["claims", 3, "quote"], "the meeting was held in Damascus"),
        "claims[3].quote: quote not found in the article text; closest passage",
    ),
    ("wrong type", _set(["claims", 2, "attributions"], "ap"), "claims[2].attributions"),
    ("bad enum", _set(["sources", 1, "anonymity"], "secret"), "sources[1].anonymity"),
    (
        "missing anonymity",
        lambda d: d["sources"][0].pop("anonymity"),
        "sources[0].anonymity: Field required",
    ),
    ("unknown field", _set(["claims", 0, "speaker"], "x"), "claims[0].speaker: unknown field"),
    ("bad key", _set(["claims", 0, "key"], "Deal!"), "claims[0].key: 'Deal!' is not a valid key"),
    ("empty chain", _set(["claims", 0, "attributions"], [[]]), "claims[0]"),
    (
        "unknown link target",
        lambda d: d["links"].append({"from": "deal", "relation": "refines", "to": "ghost"}),
        "links[6].to: unknown claim 'ghost'",
    ),
    (
        "self link",
        lambda d: d["links"].append({"from": "deal", "relation": "refines", "to": "deal"}),
        "links[6]: a claim cannot be linked to itself",
    ),
    (
        "bad relation",
        lambda d: d["links"].append({"from": "deal", "relation": "supports", "to": "atareb"}),
        "links[6].relation",
    ),
    (
        "missing text file",
        _set(["article", "text_file"], "nowhere.txt"),
        "article.text_file: no such file",
    ),
    ("bad version", _set(["version"], 2), "version: unsupported bundle version 2"),
    ("bad date", _set(["article", "published"], "November"), "article.published"),
]


@pytest.mark.parametrize(("name", "mutate", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_bundle_names_the_place_and_writes_nothing(cli, sample_dir, name, mutate, message):
    path = write_bundle(sample_dir, broken(mutate), "broken.yaml")
    result = cli("import", str(path))
    assert_refused(result, str(path), message)
    assert cli.ok("export") == "" or "rt-is-nusra-deal" not in cli.ok("export")
    assert cli.ok("claims", "--json").strip() == "[]"


def test_redefining_a_source_differently_is_an_error(seeded, tmp_path):
    data = small_bundle()
    data["sources"].append(
        {"key": "ap", "label": "Associated Press", "kind": "outlet", "anonymity": "named"}
    )
    result = seeded("import", str(write_bundle(tmp_path, data)))
    assert_refused(result, "sources[2].label: source 'ap' is already in the ledger with label 'AP'")


def test_reimporting_a_slug_needs_replace(seeded):
    assert_refused(seeded("import", str(SAMPLE_BUNDLE)), "already in the ledger", "--replace")


def test_malformed_yaml_names_line_and_column(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("version: 1\narticle: {slug: x, title: [unclosed\n", encoding="utf-8")
    assert_refused(cli("import", str(path)), f"{path}:", "malformed YAML")


def test_malformed_json_names_line_and_column(cli, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"version": 1,\n "article": }', encoding="utf-8")
    assert_refused(cli("import", str(path)), f"{path}:2:", "malformed JSON")


def test_missing_file(cli, tmp_path):
    assert_refused(cli("import", str(tmp_path / "nope.yaml")), "no such file")


def test_one_bad_file_leaves_earlier_files_imported(cli, tmp_path):
    good = write_bundle(tmp_path, small_bundle(), "good.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\narticle: [", encoding="utf-8")
    result = cli("import", str(good), str(bad))
    assert result.exit_code == 2
    assert {r["key"] for r in json.loads(cli.ok("claims", "--json"))} == {"reopen", "denial"}


def _articles(slug: str, number: int) -> list[dict]:
    """`number` small bundles, each a new article (slug-0, slug-1 ...)."""
    article = small_bundle()["article"]
    return [small_bundle() | {"article": article | {"slug": f"{slug}-{n}"}} for n in range(number)]


def test_files_imported_together_are_each_atomic_and_reported_once_committed(cli, tmp_path):
    """`ledger import A B C` writes its files in one transaction, each in a savepoint: a file
    that fails half-way through its write leaves nothing of itself, the files before it are in
    the ledger (and reported), those after it are not tried, and the audit trail verifies."""
    import ledger.write.pipeline
    from ledger import Ledger

    paths = [
        write_bundle(tmp_path, bundle, f"f{n}.yaml")
        for n, bundle in enumerate(_articles("story", 3))
    ]
    written = ledger.write.pipeline.write_links

    calls = []

    def fails_for_the_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(written(*args, **kwargs))  # its claims, sources and events are written
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return calls[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ledger.write.pipeline, "write_links", fails_for_the_second)
        with Ledger.open(cli.db, actor="editor") as book:
            imported = book.import_files(paths)
            assert next(imported)[0] == paths[0]
            with pytest.raises(RuntimeError, match="the disk is full"):
                next(imported)
    slugs = {row["slug"] for row in json.loads(cli.ok("article", "list", "--json"))}
    assert slugs == {"story-0"}
    cli.ok("verify")
    cli.ok("import", str(paths[1]), str(paths[2]))  # the trail goes on from where it stood
    cli.ok("verify")


def _own_articles(number: int, links: dict[int, list[dict]] | None = None) -> list[dict]:
    """`number` small bundles, each a new article with sources of its own (`story-N`,
    `mayor-N`, `officials-N`), with `links[N]` added to bundle N's links."""
    bundles = []
    for n, bundle in enumerate(_articles("story", number)):
        keys = {source["key"]: f"{source['key']}-{n}" for source in bundle["sources"]}
        bundle["sources"] = [source | {"key": keys[source["key"]]} for source in bundle["sources"]]
        for claim in bundle["claims"]:
            claim["attributions"] = [
                [keys[hop] for hop in chain] for chain in claim["attributions"]
            ]
        bundle["links"] += (links or {}).get(n, [])
        bundles.append(bundle)
    return bundles


def _trail(db: str) -> list[tuple]:
    """The audit trail as written but for its times and hashes, and every claim's and link's
    row (ids included)."""
    from sqlalchemy import text

    from ledger.storage.database import Database

    database = Database.open(db)
    with database.read() as session:
        found = [
            tuple(row)
            for statement in (
                "SELECT seq, action, entity, entity_key, state, article FROM events ORDER BY seq",
                "SELECT id, article_id, key, text FROM claims ORDER BY id",
                "SELECT id, from_claim_id, relation, to_claim_id FROM links ORDER BY id",
                "SELECT id, key FROM sources ORDER BY id",
                "SELECT level, idx FROM merkle_nodes ORDER BY level, idx",
            )
            for row in session.execute(text(statement))
        ]
    database.dispose()
    return found


def test_a_group_of_new_articles_is_written_as_importing_them_in_turn_would(
    cli, tmp_path, monkeypatch
):
    """Files of new articles go in as one batch (`import_group`): the same rows, ids and
    events, in the same order, as the files imported one after another; each file's summary
    its own."""
    import ledger.write.importer
    from ledger import Ledger
    from tests.conftest import Cli

    links = {1: [{"from": "reopen", "relation": "corroborates", "to": "story-0/reopen"}]}
    paths = [
        write_bundle(tmp_path, bundle, f"f{n}.yaml")
        for n, bundle in enumerate(_own_articles(3, links))
    ]
    grouped = []
    import_group = ledger.write.importer.import_group
    monkeypatch.setattr(
        ledger.write.importer,
        "import_group",
        lambda *args: grouped.append(result := import_group(*args)) or result,
    )
    with Ledger.open(cli.db, actor="editor") as book:
        summaries = list(book.import_files(paths))
    assert grouped and grouped[0] is not None  # written as one batch
    assert [path for path, _summary in summaries] == paths
    assert [(s.articles, s.claims, s.new_sources, s.links) for _p, s in summaries] == [
        (["story-0"], 2, 2, 1),
        (["story-1"], 2, 2, 2),
        (["story-2"], 2, 2, 1),
    ]
    in_turn = Cli(str(tmp_path / "in-turn.db"), cli.runner)
    in_turn.ok("init")
    for path in paths:
        in_turn.ok("import", str(path), "--as", "editor")
    assert _trail(cli.db) == _trail(in_turn.db)
    cli.ok("verify")


@pytest.mark.parametrize(
    "fault",
    [
        {"from": "reopen", "relation": "corroborates", "to": "story-2/reopen"},  # a later file
        {"from": "reopen", "relation": "corroborates", "to": "story-9/reopen"},  # nowhere
    ],
)
def test_a_file_of_a_group_that_fails_in_the_write_is_named_and_the_files_before_it_kept(
    cli, tmp_path, fault
):
    """The group's batch fails (or would reach forward): the files are written one by one,
    the first is kept, the second named, the third not tried; as when imported in turn."""
    paths = [
        write_bundle(tmp_path, bundle, f"f{n}.yaml")
        for n, bundle in enumerate(_own_articles(3, {1: [fault]}))
    ]
    result = cli("import", *map(str, paths))
    assert result.exit_code != 0
    assert f"{paths[1]}: links[1].to: unknown claim" in result.output
    slugs = {row["slug"] for row in json.loads(cli.ok("article", "list", "--json"))}
    assert slugs == {"story-0"}
    cli.ok("verify")


def test_a_file_is_reported_only_once_its_transaction_committed(cli, tmp_path):
    from ledger import Ledger

    paths = [
        write_bundle(tmp_path, bundle, f"f{n}.yaml")
        for n, bundle in enumerate(_articles("story", 3))
    ]
    with Ledger.open(cli.db, actor="editor") as book:
        imported = book.import_files(paths)
        first = next(imported)  # all three went in one group: all three are committed
        assert first[0] == paths[0]
        with Ledger.open(cli.db) as reader:
            assert {summary.article.slug for summary in reader.articles()} >= {"story-0", "story-2"}
        assert [path for path, _summary in imported] == paths[1:]


def test_multi_document_file_links_across_its_bundles(cli, tmp_path):
    first = small_bundle()
    second = {
        "version": 1,
        "article": {"slug": "later", "title": "Later"},
        "sources": [{"key": "engineer", "label": "the city engineer", "anonymity": "named"}],
        "claims": [{"key": "may", "text": "Reopening in May.", "attributions": [["engineer"]]}],
        "links": [{"from": "may", "relation": "corroborates", "to": "small/reopen"}],
    }
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump_all([second, first], sort_keys=False), encoding="utf-8")
    cli.ok("import", str(path))
    row = json.loads(cli.ok("claim", "show", "small/reopen", "--json"))
    assert row["independent_origins"] == ["engineer", "mayor"]


def test_json_lines_file_streams_through_ledger_import(cli, tmp_path):
    first = small_bundle()
    second = {
        "version": 1,
        "article": {"slug": "later", "title": "Later"},
        "claims": [{"key": "may", "text": "Reopening in May.", "attributions": [["mayor"]]}],
        "links": [{"from": "may", "relation": "corroborates", "to": "small/reopen"}],
    }
    path = tmp_path / "stream.jsonl"
    path.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n", encoding="utf-8")
    out = cli.ok("import", str(path))
    assert "2 articles: 3 claims" in " ".join(out.split())
    assert json.loads(cli.ok("claim", "show", "small/reopen", "--json"))["linked_from"] == [
        {"relation": "contradicts", "from": "small/denial"},
        {"relation": "corroborates", "from": "later/may"},
    ]
    assert_refused(cli("import", "--replace", str(path)), "--replace is for bundle files")


def test_a_bundle_may_cite_a_source_an_earlier_bundle_of_the_file_defines(cli, tmp_path):
    first = small_bundle()
    second = {
        "version": 1,
        "article": {"slug": "later", "title": "Later"},
        "sources": [{"key": "mayor", "label": "the mayor", "anonymity": "named"}],  # same again
        "claims": [
            {"key": "may", "text": "Reopening in May.", "attributions": [["mayor"], ["officials"]]}
        ],
    }
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump_all([first, second], sort_keys=False), encoding="utf-8")
    cli.ok("import", str(path))
    assert json.loads(cli.ok("claim", "show", "later/may", "--json"))["chains"] == [
        ["mayor"],
        ["officials"],
    ]
    clash = {**second, "article": {"slug": "clash", "title": "Clash"}}
    clash["sources"] = [{"key": "reeve", "label": "the reeve", "anonymity": "named"}]
    other = {**second, "article": {"slug": "other", "title": "Other"}}
    other["sources"] = [{"key": "reeve", "label": "a reeve", "anonymity": "named"}]
    path.write_text(yaml.safe_dump_all([clash, other], sort_keys=False), encoding="utf-8")
    assert_refused(cli("import", str(path)), "sources[0].label: source 'reeve' is already")


# --- a bundle reads no file but its own article text --------------------------------------------


def _text_file_bundle(directory: Path, text_file: str) -> Path:
    data = small_bundle()
    data["article"].pop("text")
    data["article"]["text_file"] = text_file
    for claim in data["claims"]:
        claim.pop("quote")
    return write_bundle(directory, data)


def _assert_nothing_imported(cli) -> None:
    assert cli("claims", "--article", "small").exit_code == 2  # no such article
    assert "small" not in cli.ok("article", "list")


@pytest.mark.parametrize(
    ("make_target", "fragment"),
    [
        (lambda d: "/etc/passwd", "must be a path relative to the bundle's directory"),
        (lambda d: "../outside.txt", "leads outside the bundle's directory"),
        (lambda d: "sub/../../outside.txt", "leads outside the bundle's directory"),
        (lambda d: "link.txt", "leads outside the bundle's directory"),  # a symlink out
        (lambda d: "keys/newsroom.key", "holds key material"),
        (lambda d: "folder", "is not a regular file"),
        (lambda d: "fifo", "is not a regular file"),
        (lambda d: "big.txt", "an article text may have at most"),
        (lambda d: "binary.txt", "not UTF-8 text"),
        (lambda d: "nul.txt", "holds a control character"),
    ],
)
def test_text_file_reads_only_a_text_inside_the_bundles_directory(
    cli, tmp_path, key_file, make_target, fragment
):
    from ledger.write.confined import MAX_TEXT_BYTES

    bundle_dir = tmp_path / "bundles"
    (bundle_dir / "keys").mkdir(parents=True)
    (bundle_dir / "folder").mkdir()
    (tmp_path / "outside.txt").write_text("The mayor said it.", encoding="utf-8")
    (bundle_dir / "link.txt").symlink_to(tmp_path / "outside.txt")
    (bundle_dir / "keys" / "newsroom.key").write_bytes(key_file.read_bytes())
    os.mkfifo(bundle_dir / "fifo")
    (bundle_dir / "big.txt").write_bytes(b"a" * (MAX_TEXT_BYTES + 1))
    (bundle_dir / "binary.txt").write_bytes(b"\xff\xfe\x00\x01")
    (bundle_dir / "nul.txt").write_text("The mayor\x00 said it.", encoding="utf-8")
    path = _text_file_bundle(bundle_dir, make_target(bundle_dir))
    assert_refused(cli("import", str(path)), "article.text_file", fragment)
    _assert_nothing_imported(cli)


def test_text_file_may_sit_in_a_subfolder_or_behind_a_link_that_stays_inside(cli, tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "story.txt").write_text("The mayor said it.", encoding="utf-8")
    (tmp_path / "story.txt").symlink_to(tmp_path / "texts" / "story.txt")
    for name in ("texts/story.txt", "story.txt"):
        path = _text_file_bundle(tmp_path, name)
        cli.ok("import", "--replace", str(path))
        assert "The mayor said it." in cli.ok("article", "show", "small")


def test_whole_ledger_streams_as_json_lines_and_imports_back(seeded, tmp_path):
    from tests.conftest import SAMPLES, Cli

    seeded.ok("import", str(SAMPLES / "outbreak.yaml"))
    lines = seeded.ok("export", "--format", "jsonl").splitlines()
    slugs = [json.loads(line).get("article", {}).get("slug") for line in lines]
    assert slugs[:2] == ["eastmoor-outbreak", "rt-is-nusra-deal"]
    assert slugs[2:] in ([], [None])  # then the sources no claim cites, if any
    path = tmp_path / "ledger.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    other = Cli(str(tmp_path / "copy.db"), seeded.runner)
    other.ok("init")
    other.ok("import", str(path))
    for fmt in ("yaml", "json"):
        assert other.ok("export", "--format", fmt) == seeded.ok("export", "--format", fmt)
    assert json.loads(seeded.ok("export", "--format", "json"))[0]["article"]["slug"] == (
        "eastmoor-outbreak"
    )
