"""Ledger-wide figures from the tallies writes keep (`ledger.read.tallies`).

Every write counts again the articles it may have changed; these tests make
the changes that move verdicts in other articles than the one written (a
source joining a party, a merge, a link across articles, a retraction, a
replaced article) through the library, each in its own transaction, and hold
the kept tallies to the rules asked of every claim. The Hypothesis test of
tests/test_rules_sql.py does the same over random ledgers.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from ledger.api import Ledger
from ledger.read import tallies, wide
from ledger.storage.database import Database
from ledger.storage.migrations import SCHEMA_REVISION
from ledger.vocab import Relation
from tests.conftest import SAMPLES, upgraded_from

OUTBREAK = SAMPLES / "outbreak.yaml"
NUSRA = SAMPLES / "rt-is-nusra-deal.yaml"


def assert_tallies_hold(db: str) -> None:
    database = Database.open(db)
    with database.read() as session:
        for threshold in (1, 2, 3):
            assert tallies.figure_counts(session, threshold) == wide.figure_counts(
                session, threshold
            )
            assert tallies.count_flagged(session, threshold) == wide.count_flagged(
                session, threshold
            )
        assert tallies.disagreeing_articles(session) == []  # every claim's kept shape too
        assert not tallies.ledger_tallies_disagree(session)  # and the ledger's sums
    database.dispose()


@pytest.fixture
def book(db_url: str):
    with Ledger.open(db_url, create=True, actor="editor") as opened:
        opened.import_file(OUTBREAK)
        opened.import_file(NUSRA)
        yield opened


def test_writes_keep_the_tallies_of_every_article_they_move(book, db_url):
    assert_tallies_hold(db_url)
    book.edit_source("dana-levi", {"speaks_for": None})  # the spokeswoman speaks for herself
    assert_tallies_hold(db_url)
    book.edit_source("ap", {"speaks_for": "ministry-of-health"})  # a party across articles
    assert_tallies_hold(db_url)
    book.link("eastmoor-outbreak/contained", Relation.CONTRADICTS, "rt-is-nusra-deal/deal")
    assert_tallies_hold(db_url)
    book.retract_claim("rt-is-nusra-deal/deal", "the deal was denied the next day")
    assert_tallies_hold(db_url)
    book.unlink("eastmoor-outbreak/contained", Relation.CONTRADICTS, "rt-is-nusra-deal/deal")
    assert_tallies_hold(db_url)


def test_an_import_that_only_adds_counts_the_articles_its_links_reach(book, db_url, tmp_path):
    """A new article's links into earlier articles, both ways (support lent to an earlier
    claim, a contradiction from one), move those articles' figures; a `refines` link moves
    none; nothing further out."""
    bundle = tmp_path / "later.yaml"
    bundle.write_text(
        "version: 1\n"
        "article: {slug: later-report, title: A later report}\n"
        "sources:\n"
        "  - {key: later-witness, label: A later witness, kind: person, anonymity: named}\n"
        "claims:\n"
        "  - {key: seen, text: The deal was seen signed., attributions: [[later-witness]]}\n"
        "  - {key: denied, text: No deal was made., attributions: [[later-witness]]}\n"
        "links:\n"
        "  - {from: seen, relation: corroborates, to: rt-is-nusra-deal/deal}\n"
        "  - {from: rt-is-nusra-deal/stop-fighting, relation: contradicts, to: denied}\n"
        "  - {from: denied, relation: contradicts, to: eastmoor-outbreak/contained}\n"
        "  - {from: seen, relation: refines, to: eastmoor-outbreak/contained}\n",
        encoding="utf-8",
    )
    book.import_file(bundle)
    assert_tallies_hold(db_url)
    more = tmp_path / "more.yaml"
    more.write_text(
        "version: 1\n"
        "article: {slug: later-report, title: A later report}\n"
        "claims:\n"
        "  - {key: again, text: The deal was seen again., attributions: [[later-witness]]}\n"
        "links:\n"
        "  - {from: again, relation: corroborates, to: eastmoor-outbreak/contained}\n",
        encoding="utf-8",
    )
    book.import_file(more, merge=True)
    assert_tallies_hold(db_url)
    book.retract_claim("later-report/seen", "the witness withdrew it")
    assert_tallies_hold(db_url)


def _linking_bundle(slug: str, relation: str, target: str) -> str:
    return (
        "version: 1\n"
        f"article: {{slug: {slug}, title: A report}}\n"
        "sources:\n"
        f"  - {{key: {slug}-witness, label: A witness to {slug}, kind: person, anonymity: named}}\n"
        "claims:\n"
        f"  - {{key: seen, text: It was seen., attributions: [[{slug}-witness]]}}\n"
        "links:\n"
        f"  - {{from: seen, relation: {relation}, to: {target}}}\n"
    )


def test_files_imported_together_are_shaped_at_the_commit_even_past_a_failed_file(
    book, db_url, tmp_path, monkeypatch
):
    """The files of a many-file import are written in one transaction, a savepoint each; their
    claims are shaped once, at its commit. A file that failed after its events were appended
    (its savepoint rolled back) leaves its notes behind: they name claims no longer there and
    the far ends of links no longer there, and the tallies still hold."""
    from ledger.audit import trail

    paths = []
    for slug, relation, target in (
        ("first-report", "corroborates", "rt-is-nusra-deal/deal"),
        ("second-report", "contradicts", "first-report/seen"),
        ("failing-report", "contradicts", "eastmoor-outbreak/contained"),
    ):
        path = tmp_path / f"{slug}.yaml"
        path.write_text(_linking_bundle(slug, relation, target), encoding="utf-8")
        paths.append(path)
    recorded = trail.record

    def fails_for_the_third(session, changes):  # type: ignore[no-untyped-def]
        recorded(session, changes)  # its rows and events are written, its claims noted
        if any(change.article == "failing-report" for change in changes):
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(trail, "record", fails_for_the_third)
    imported = book.import_files(paths)
    assert [path for path, _summary in (next(imported), next(imported))] == paths[:2]
    with pytest.raises(RuntimeError, match="the disk is full"):
        next(imported)
    monkeypatch.undo()
    assert {summary.article.slug for summary in book.articles()} >= {"second-report"}
    assert "failing-report" not in {summary.article.slug for summary in book.articles()}
    assert_tallies_hold(db_url)


def test_an_upgrade_counts_the_claims_already_there(book, db_url):
    assert upgraded_from(db_url, "0010") == ("0010", SCHEMA_REVISION)
    assert_tallies_hold(db_url)
    database = Database.open(db_url)
    with database.read() as session:
        assert session.scalar(text("SELECT count(*) FROM claim_tallies")) > 0
        live = "SELECT count(*) FROM claims WHERE retracted_reason IS NULL"
        assert session.scalar(text("SELECT count(*) FROM claim_shapes")) == session.scalar(
            text(live)
        )
    database.dispose()


def _edited_past_the_ledger(cli, statement: str) -> str:  # type: ignore[no-untyped-def]
    """What `verify` says after `statement` changed the ledger behind its back (it fails)."""
    database = Database.open(cli.db)
    with database.engine.begin() as connection:
        connection.execute(text(statement))
    database.dispose()
    found = cli("verify")
    assert found.exit_code != 0
    return found.output


def test_verify_names_tallies_edited_past_the_ledger_and_init_recounts_them(seeded):
    cli = seeded
    said = _edited_past_the_ledger(cli, "UPDATE claim_tallies SET claims = claims + 7")
    assert "article rt-is-nusra-deal: its claim tallies" in said
    assert "ledger init --recount" in said
    assert "counted the claim tallies and label signatures again" in cli.ok("init", "--recount")
    assert_tallies_hold(cli.db)
    assert cli("verify").exit_code == 0


def test_verify_names_ledger_tallies_edited_past_the_ledger(seeded):
    cli = seeded
    said = _edited_past_the_ledger(cli, "UPDATE ledger_tallies SET claims = claims + 3")
    assert "ledger: its claim tallies" in said
    cli.ok("init", "--recount")
    assert cli("verify").exit_code == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE claim_tallies SET claims = claims + 1 WHERE article_id = {last}",
        "DELETE FROM claim_tallies WHERE article_id = {first}",
        "UPDATE claim_shapes SET support = support + 2 WHERE article_id = {last}",
    ],
)
def test_verify_asks_the_tallies_by_ranges_of_articles_and_names_each_where_it_falls(
    cli, monkeypatch, statement
):
    """In worker processes each part compares the articles of one range of ids, in SQL,
    holding only those that disagree: whichever range an edited article falls in, it is
    named, and one process and three say the same."""
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    cli.ok("import", str(OUTBREAK))
    cli.ok("import", str(NUSRA))
    database = Database.open(cli.db)
    with database.engine.begin() as connection:
        first, last = connection.execute(text("SELECT min(id), max(id) FROM articles")).one()
        slugs = dict(connection.execute(text("SELECT id, slug FROM articles")).all())
        edited = first if "{first}" in statement else last
        connection.execute(text(statement.format(first=first, last=last)))
    database.dispose()
    alone, in_workers = (cli("verify", "--jobs", jobs) for jobs in ("1", "3"))
    assert alone.exit_code != 0
    assert alone.output == in_workers.output
    assert f"article {slugs[edited]}: its claim tallies" in alone.output
    assert f"article {slugs[first + last - edited]}:" not in alone.output


@pytest.mark.parametrize(
    "change",
    [
        "support = support + 5",
        "single_intermediary = NOT single_intermediary",  # the desk sorts by these two
        "borrowed_anonymity = NOT borrowed_anonymity",
    ],
)
def test_verify_names_a_claim_shape_edited_past_the_ledger(seeded, change):
    """A claim's kept shape is what a later write takes off the tallies, and its chain flags
    what the desk ranks it by: one edited to agree with nothing is named, though the
    tallies still sum as before."""
    cli = seeded
    said = _edited_past_the_ledger(
        cli,
        f"UPDATE claim_shapes SET {change} WHERE claim_id ="
        " (SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE a.slug = 'rt-is-nusra-deal' AND c.key = 'deal')",
    )
    assert "article rt-is-nusra-deal: its claim tallies" in said
    cli.ok("init", "--recount")
    assert cli("verify").exit_code == 0


def test_the_desk_reads_the_sources_again_only_when_a_source_changed(book, db_url):
    from ledger.web.overview import Summaries

    summaries = Summaries()
    database = Database.open(db_url)

    def sources_read():  # the label index the desk pairs each page's sources against
        with database.read() as session:
            return summaries.get(session, 2).sources

    first = sources_read()
    book.retract_claim("rt-is-nusra-deal/deal", "the deal was denied the next day")
    assert sources_read() is first  # a claim changed: the sources stand as they were read
    book.edit_source("ap", {"description": "the wire service"})
    assert sources_read() is not first
    database.dispose()


def test_a_large_recount_on_postgresql_first_refreshes_the_planners_statistics(db_url, monkeypatch):
    """Planned from an empty ledger's statistics, the tallies of a large import took
    minutes for every 500 articles; counted after ANALYZE, seconds. (An import of new
    articles now shapes most of its claims from the rows in hand; a replacement of many
    articles still counts them whole by the rules' SQL form.)"""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite plans from its indexes")
    monkeypatch.setattr(tallies, "CHUNK", 1)  # two articles counted whole are a large recount
    with Ledger.open(db_url, create=True, actor="editor") as opened:
        bundles = [*opened.check_file(OUTBREAK), *opened.check_file(NUSRA)]
        opened.import_checked(bundles)
        opened.import_checked(bundles, replace=True)
    database = Database.open(db_url)
    with database.read() as session:
        analysed = session.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = 'claims'::regclass")
        )
    database.dispose()
    assert analysed > 0  # counted by ANALYZE inside the import's transaction
    assert_tallies_hold(db_url)


def test_a_downgrade_keeps_every_claims_shape(book, db_url):
    """Back at 0013 every live claim keeps its row beside the tallies counting it (an empty
    table would have that code count a claim shaped again on top of its tally)."""
    from alembic import command

    from ledger.storage.migrations import alembic_config

    database = Database.open(db_url)
    with database.read() as session:
        before = session.execute(
            text(f"SELECT claim_id, {', '.join(tallies.SHAPE)} FROM claim_shapes")
        ).all()
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0013")
    with database.engine.connect() as session:  # the code reads only its own revision
        after = session.execute(
            text(f"SELECT claim_id, {', '.join(tallies.SHAPE)} FROM claim_shapes")
        ).all()
        live = session.scalar(text("SELECT count(*) FROM claims WHERE retracted_reason IS NULL"))
    database.dispose()
    assert sorted(after) == sorted(before) and len(after) == live > 0
    with Ledger.open(db_url, create=True) as upgraded:  # and up again, shaped anew
        assert upgraded.upgraded == ("0013", SCHEMA_REVISION)
    assert_tallies_hold(db_url)


def test_new_claims_shaped_from_the_rows_in_hand_hold_to_the_rules(
    book, db_url, tmp_path, monkeypatch
):
    """An import of new articles shapes the claims whose links stay in its batch from what it
    holds (`ledger.write.shapes`), the others by the rules' SQL form at the commit: files
    written as one group, files linking to an earlier group's claims, and a JSON Lines
    file whose links wait for a later batch's claims all leave tallies the rules agree with."""
    import json

    from benchmarks.generate import article_bundles
    from ledger.write import bulk

    bundles = list(article_bundles(40, 12, seed=3))
    paths = []
    for number, bundle in enumerate(bundles[:25]):
        paths.append(tmp_path / f"article-{number:02d}.json")
        paths[-1].write_text(json.dumps(bundle), encoding="utf-8")
    assert len(list(book.import_files(paths))) == 25
    assert_tallies_hold(db_url)
    lines = tmp_path / "rest.jsonl"
    lines.write_text("".join(json.dumps(bundle) + "\n" for bundle in bundles[25:]), "utf-8")
    monkeypatch.setattr(bulk, "BATCH_CLAIMS", 30)  # links wait for later batches' claims
    book.import_jsonl(lines, show_progress=False)
    assert_tallies_hold(db_url)
