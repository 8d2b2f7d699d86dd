"""The streaming JSON Lines importer (`ledger.write.bulk`) writes what `ledger import` writes.

Same rows, same audit trail (verified by replay), same checks with the same
messages placed by line, all-or-nothing for the whole file; plus what only a
stream can do: a link to a claim of a later line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ledger.audit.verification import verify
from ledger.errors import BundleError
from ledger.read import queries
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.storage.schema import EventRow
from ledger.write import bulk, export
from ledger.write.bundle import load_file, to_document
from ledger.write.importer import import_bundles
from tests.conftest import SAMPLE_BUNDLE


def sample() -> dict[str, Any]:
    return yaml.safe_load(SAMPLE_BUNDLE.read_text(encoding="utf-8"))


def follow_up(slug: str, link_to: str) -> dict[str, Any]:
    """A second article that reuses the sample's sources and links to another article's claim."""
    return {
        "version": 1,
        "article": {"slug": slug, "title": f"Follow-up {slug}", "published": "2015-11-10"},
        "sources": [{"key": f"{slug}-aide", "label": "an aide", "anonymity": "anonymous"}],
        "claims": [
            {"key": "confirmed", "text": "The deal was confirmed.", "attributions": [["ap"]]},
            {
                "key": "doubt",
                "text": "An aide doubts it.",
                "kind": "opinion",
                "attributions": [[{"source": "guardian", "cue": "told"}, f"{slug}-aide"]],
            },
        ],
        "links": [
            {"from": "confirmed", "relation": "corroborates", "to": link_to},
            {"from": "doubt", "relation": "contradicts", "to": "confirmed"},
        ],
    }


def write_jsonl(directory: Path, bundles: list[dict[str, Any]], name: str = "ledger.jsonl") -> Path:
    path = directory / name
    path.write_text("".join(json.dumps(bundle) + "\n\n" for bundle in bundles), encoding="utf-8")
    return path


def fresh(url: str) -> Database:
    database = Database.open(url, must_exist=False)
    migrations.upgrade(database)
    return database


def exported(database: Database) -> list[dict[str, Any]]:
    with database.read() as session:
        return [to_document(bundle) for bundle in export.export_all(session)]


def event_count(database: Database) -> int:
    with database.read() as session:
        return session.query(EventRow).count()


def test_same_ledger_as_ledger_import(db_url, sample_dir, tmp_path):
    bundles = [sample(), follow_up("later", "rt-is-nusra-deal/deal")]
    streamed = fresh(db_url)
    summary = bulk.import_file(streamed, write_jsonl(sample_dir, bundles), show_progress=False)
    assert (summary.articles, summary.claims, summary.links) == (2, 22, 8)

    reference = fresh(f"sqlite:///{tmp_path / 'reference.db'}")
    for number, bundle in enumerate(bundles):  # one file each: `ledger import` resolves
        path = sample_dir / f"bundle-{number}.yaml"  # sources against the ledger
        path.write_text(yaml.safe_dump(bundle), encoding="utf-8")
        with reference.write() as session:
            import_bundles(session, load_file(path))

    assert exported(streamed) == exported(reference)
    assert event_count(streamed) == event_count(reference)
    assert verify(streamed).intact


def test_a_link_may_name_a_claim_of_a_later_line(db_url, tmp_path):
    bundles = [follow_up("first", "second/confirmed"), follow_up("second", "first/confirmed")]
    bundles[0]["sources"] += sample()["sources"]
    database = fresh(db_url)
    summary = bulk.import_file(database, write_jsonl(tmp_path, bundles), show_progress=False)
    with database.read() as session:
        refs = {view.ref: view for view in queries.claim_views(session)}
    assert verify(database).intact
    assert summary.links == 4
    assert refs["first/confirmed"].verdict.independent_origins == ("ap",)
    assert [link.other for link in refs["first/confirmed"].links_in] == [
        "first/doubt",
        "second/confirmed",
    ]
    path = write_jsonl(tmp_path, [follow_up("third", "first/c0")], "more.jsonl")
    done: list[int] = []
    with pytest.raises(BundleError) as raised, database.write() as session:
        bulk.import_jsonl(session, path, progress=done.append)
    assert str(raised.value) == f"{path}:1: links[0].to: unknown claim 'first/c0'"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda b: b[2]["claims"][1]["attributions"][0].__setitem__(1, "nobody"),
            "{path}:5: claims[1].attributions[0][1]: unknown source 'nobody'",
        ),
        (
            lambda b: b[2]["article"].__setitem__("slug", "one"),
            "{path}:5: article.slug: article 'one' appears twice in the file",
        ),
        (
            lambda b: b[2]["claims"].append(dict(b[2]["claims"][0])),
            "{path}:5: claims[2].key: duplicate claim key 'confirmed'",
        ),
        (
            lambda b: b[2]["sources"].append({**b[0]["sources"][0], "label": "Reuters"}),
            "{path}:5: sources[1].label: source 'ap' is already in the ledger with label 'AP', "
            "not 'Reuters' (leave it out to use the ledger's)",
        ),
        (
            lambda b: b[2]["links"].append(b[2]["links"][0]),
            "{path}:5: links[2]: duplicate link",
        ),
        (
            lambda b: b[1]["claims"][0]["attributions"].append(["two-aide"]),
            "{path}:3: claims[0].attributions[1][0]: unknown source 'two-aide'",
        ),
    ],
)
def test_a_fault_on_any_line_writes_nothing(db_url, tmp_path, change, message):
    bundles = [{"version": 1, "sources": sample()["sources"]}]
    bundles += [follow_up("one", "doubt"), follow_up("two", "one/confirmed")]
    change(bundles)
    path = write_jsonl(tmp_path, bundles)
    database = fresh(db_url)
    with pytest.raises(BundleError) as raised:
        bulk.import_file(database, path, show_progress=False)
    assert str(raised.value) == message.format(path=path)
    assert exported(database) == [] and event_count(database) == 0


def test_malformed_lines_and_existing_articles_are_refused(tmp_path):
    database = fresh(str(tmp_path / "ledger.db"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"version": 1}\n{"version": 1, "sources": [}\n', encoding="utf-8")
    with pytest.raises(BundleError, match=r"broken.jsonl:2:\d+: malformed JSON"):
        bulk.import_file(database, broken, show_progress=False)
    bundles = [{"version": 1, "sources": sample()["sources"]}, follow_up("one", "doubt")]
    bulk.import_file(database, write_jsonl(tmp_path, bundles), show_progress=False)
    with pytest.raises(BundleError, match=r":1: article.slug: article 'one' is already in the"):
        bulk.import_file(database, write_jsonl(tmp_path, bundles[1:]), show_progress=False)


def test_one_file_and_its_lines_write_the_same_trail_event_for_event(db_url, sample_dir, tmp_path):
    """Both importers are one pipeline: the same events, in the same order, bundle by bundle."""
    bundles = [sample(), follow_up("later", "rt-is-nusra-deal/deal")]
    bundles[1]["sources"].append({"key": "wire", "label": "Wire", "anonymity": "named"})
    bundles[1]["sources"][0]["aliases"] = ["aide"]
    bundles[1]["waivers"] = [{"code": "LS101", "subject": "wire", "reason": "named enough"}]
    streamed = fresh(db_url)
    bulk.import_file(streamed, write_jsonl(sample_dir, bundles), show_progress=False)
    reference = fresh(f"sqlite:///{tmp_path / 'reference.db'}")
    path = sample_dir / "both.yaml"
    path.write_text(yaml.safe_dump_all(bundles), encoding="utf-8")
    with reference.write() as session:
        import_bundles(session, load_file(path))

    def trail(database: Database) -> list[tuple[str, str, str, str | None]]:
        with database.read() as session:
            rows = session.query(EventRow).order_by(EventRow.seq)
            return [(e.action, e.entity, e.entity_key, _no_time(e.state)) for e in rows]

    assert trail(streamed) == trail(reference)
    assert exported(streamed) == exported(reference)


def _no_time(state: str | None) -> str | None:
    """A waiver's state holds the moment it was given, which two imports cannot share."""
    if state is None or '"at"' not in state:
        return state
    return json.dumps({**json.loads(state), "at": None})


def test_a_streamed_import_leaves_the_planner_statistics_of_what_it_wrote(cli, tmp_path):
    """On PostgreSQL the rules' SQL was planned for an empty ledger until statistics caught up."""
    if "://" not in cli.db:
        pytest.skip("SQLite plans from its indexes; statistics are a PostgreSQL matter")
    from sqlalchemy import text

    bundle = {
        "version": 1,
        "article": {"slug": "stats", "title": "Statistics"},
        "sources": [{"key": "aide", "label": "an aide", "anonymity": "anonymous"}],
        "claims": [{"key": "said", "text": "Something was said.", "attributions": [["aide"]]}],
    }
    cli.ok("import", str(write_jsonl(tmp_path, [bundle])))
    database = Database.open(cli.db)
    with database.read() as session:
        analyzed = session.execute(
            text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = current_schema() "
                "AND relname IN ('claims', 'hops', 'links', 'sources', 'articles') "
                "AND last_analyze IS NOT NULL"
            )
        ).scalar_one()
    database.dispose()
    assert analyzed == 5
