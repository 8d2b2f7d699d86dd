"""Read commands on a SQLite file read through `sqlite3`: same answers, light start.

`ledger.storage.reader` runs the read path's SQL through the standard library on
a SQLite ledger and through SQLAlchemy everywhere else. These tests hold the two
to the same answers on the sample, check that the read commands an editor types
all day load neither SQLAlchemy nor pydantic, and that a file this code cannot
read as it stands still gets the usual message.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.api import Ledger
from ledger.audit.events import iter_events
from ledger.read import queries, scoped, screens, tallies, wide
from ledger.read.completion import keys_starting
from ledger.storage.database import Database
from ledger.storage.reader import SqliteReader, open_sqlite
from ledger.storage.session_reader import SessionReader
from tests.conftest import ROOT, SAMPLE_BUNDLE

SLUG = "rt-is-nusra-deal"
REF = f"{SLUG}/deal"


@pytest.fixture
def ledger_file(cli) -> Path:
    if "://" in cli.db:
        pytest.skip("SQLite files only")
    cli.ok("import", str(SAMPLE_BUNDLE))
    return Path(cli.db)


def test_sqlite3_and_sqlalchemy_give_the_same_answers(ledger_file):
    database = Database.open(str(ledger_file))
    reader = open_sqlite(ledger_file)
    assert reader is not None
    with database.read() as session:
        through_session = SessionReader(session)
        for criteria in (
            scoped.ClaimFilter(article=SLUG),
            scoped.ClaimFilter(source="ap", uncorroborated=True),
            scoped.ClaimFilter(article=SLUG, include_retracted=True),
        ):
            assert [view.to_json() for view in scoped.claim_views(reader, criteria)] == [
                view.to_json() for view in scoped.claim_views(through_session, criteria)
            ]
        for screen in (
            lambda db: screens.article_screen(db, SLUG, threshold=2, history=True),
            lambda db: screens.claim_screen(db, REF, threshold=2, history=True),
        ):
            assert screen(reader).to_json() == screen(through_session).to_json()
        for criteria in (
            scoped.ClaimFilter(),
            scoped.ClaimFilter(uncorroborated=True),
            scoped.ClaimFilter(anonymous_only=True, include_retracted=True),
        ):
            assert [view.to_json() for view in queries.iter_claim_views(reader, criteria)] == [
                view.to_json() for view in queries.iter_claim_views(through_session, criteria)
            ]
            for ask in (queries.count_flagged, queries.flagged_page):
                assert ask(reader, criteria) == ask(through_session, criteria)
        assert tallies.figure_counts(reader, 2) == wide.figure_counts(through_session, 2)
        assert wide.flagged_page(reader, 2, sort="flags") == wide.flagged_page(
            through_session, 2, sort="flags"
        )
        assert list(iter_events(reader)) == list(iter_events(through_session))
        for kind, prefix in (("slug", "rt"), ("source", "a"), ("claim", f"{SLUG}/a")):
            assert keys_starting(reader, kind, prefix) == keys_starting(
                through_session, kind, prefix
            )
        assert screens.article_coverage(reader, SLUG) == screens.article_coverage(
            through_session, SLUG
        )
    reader.close()
    database.dispose()


PROBE = """
import sys
sys.argv = ["ledger", *sys.argv[1:]]
from ledger.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED", sorted(m for m in ("sqlalchemy", "pydantic", "yaml") if m in sys.modules))
"""


@pytest.mark.parametrize(
    "command",
    [
        ["claims", "--article", SLUG],
        ["claims", "--source", "ap", "--json"],
        ["claims"],
        ["claims", "--uncorroborated", "--json"],
        ["check", "--all", "--json"],
        ["report", "--all", "--format", "json"],
        ["claim", "show", REF],
        ["claim", "show", REF, "--history", "--json"],
        ["article", "show", SLUG],
        ["log"],
        ["source", "show", "ap"],
        ["check", SLUG],
        ["report", SLUG],
        ["report", SLUG, "--public"],
    ],
)
def test_read_commands_load_neither_sqlalchemy_nor_pydantic(ledger_file, command):
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *command, "--db", str(ledger_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.stdout.strip().splitlines()[-1] == "LOADED []", run.stderr


def test_a_ledger_at_another_schema_gets_the_usual_message(ledger_file, cli):
    with sqlite3.connect(ledger_file) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001'")
    assert open_sqlite(ledger_file) is None
    result = cli("claim", "show", REF)
    assert result.exit_code == 2
    assert "run `ledger init`" in result.output


def test_reads_see_the_writes_of_the_same_ledger_object(ledger_file):
    with Ledger.open(ledger_file, actor="editor") as book:
        assert book.claim(REF).retracted is None
        book.retract_claim(REF, "the agreement was denied the next day")
        assert book.claim(REF).retracted == "the agreement was denied the next day"
        assert [event["action"] for event in book.events()][-1] == "claim.retract"


def test_reader_runs_in_the_callers_snapshot(ledger_file):
    connection = sqlite3.connect(ledger_file)
    reader = SqliteReader(connection)
    assert scoped.get_article(reader, SLUG).slug == SLUG
    connection.close()


def test_read_values_mirror_the_models_field_for_field():
    from ledger.claimview import SOURCE_FIELDS, ArticleView, SourceView
    from ledger.model import Article, Source
    from ledger.vocab import Anonymity, Knowledge

    assert tuple(Source.model_fields) == SOURCE_FIELDS
    assert [field for field in ArticleView.__dataclass_fields__] == list(Article.model_fields)
    values = dict(
        key="official",
        label="a senior official",
        anonymity=Anonymity.ANONYMOUS,
        knowledge=Knowledge.DIRECT,
        aliases=("senior-official",),
        publishable=("label",),
    )
    view, model = SourceView(**values), Source.model_validate(values)
    for mode in ("python", "json"):
        assert view.model_dump(mode=mode) == model.model_dump(mode=mode)
    assert view.model_copy(update={"notes": "x"}).notes == "x"


def test_a_write_sees_its_own_pending_rows_through_the_reader(db_url):
    """Through a session, the reader flushes first, as `session.execute` would: a write
    asking the read path's questions sees what it has added but not yet flushed."""
    from ledger.storage.schema import SourceRow

    with Ledger.open(db_url, create=True) as book, book.database.write("editor") as session:
        session.add(SourceRow(key="pending", label="Pending", kind="person", anonymity="named"))
        reader = SessionReader(session)
        found = list(reader.rows("SELECT key FROM sources WHERE key = :key", {"key": "pending"}))
        assert [tuple(row) for row in found] == [("pending",)]
        session.rollback()
