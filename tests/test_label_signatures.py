"""The label signatures the writes keep, where `verify` and `init` meet them.

How every kind of source change keeps them is tested with the desk's index
(tests/test_desk_index.py); here: an edit past the ledger is named by `verify`
and mended by `init --recount`, an upgrade derives them for the sources already
there, and a report of one article no longer reads every label of the ledger.
"""

from __future__ import annotations

import random
import string

import pytest
from sqlalchemy import text

from ledger.api import Ledger
from ledger.model import Source
from ledger.read import label_signatures, sourcekeys
from ledger.storage.database import Database
from ledger.storage.migrations import SCHEMA_REVISION
from tests.conftest import SAMPLES, upgraded_from


def _disagreeing(db: str) -> list[str]:
    database = Database.open(db)
    with database.read() as session:
        found = label_signatures.disagreeing_holders(session)
    database.dispose()
    return found


def _run(db: str, statement: str) -> None:
    database = Database.open(db)
    with database.engine.begin() as connection:
        connection.execute(text(statement))
    database.dispose()


def test_verify_names_signatures_edited_past_the_ledger_and_init_derives_them_again(seeded):
    cli = seeded
    _run(cli.db, "DELETE FROM label_signatures WHERE holder = 'abu-musafer'")
    _run(cli.db, "INSERT INTO label_signatures (signature_digest, holder) VALUES ('reuters', 'ap')")
    found = cli("verify")
    assert found.exit_code != 0
    assert "source abu-musafer: its label's kept signatures" in found.output
    assert "source ap: its label's kept signatures" in found.output
    assert "ledger init --recount" in found.output
    cli.ok("init", "--recount")
    assert _disagreeing(cli.db) == []
    assert cli("verify").exit_code == 0


def test_verify_names_signatures_kept_for_a_holder_that_is_gone(seeded):
    """Rows kept for a key that is no source and no alias (deleted past the ledger, or never
    there) are found by asking the table, not by holding every label of the ledger."""
    cli = seeded
    _run(cli.db, "INSERT INTO label_signatures (signature_digest, holder) VALUES ('x', 'nobody')")
    found = cli("verify")
    assert found.exit_code != 0
    assert "source nobody: its label's kept signatures" in found.output
    assert _disagreeing(cli.db) == ["nobody"]


@pytest.mark.parametrize("revision", ["0012", "0014"])
def test_an_upgrade_derives_the_signatures_of_the_sources_already_there(db_url, revision):
    with Ledger.open(db_url, create=True, actor="editor") as book:
        book.import_file(SAMPLES / "outbreak.yaml")
        book.import_file(SAMPLES / "rt-is-nusra-deal.yaml")
    assert upgraded_from(db_url, revision) == (revision, SCHEMA_REVISION)
    assert _disagreeing(db_url) == []
    database = Database.open(db_url)
    with database.read() as session:
        assert session.scalar(text("SELECT count(*) FROM label_signatures")) > 0
    database.dispose()


def test_a_report_of_one_article_reads_only_the_sources_meeting_its_own(seeded, monkeypatch):
    """Its probable duplicates are those the whole ledger's labels give, found without
    reading them all."""
    cli = seeded
    cli.ok("source", "add", "abu-musaffer", "--label", "Abu Musaffer", "--anonymity", "pseudonym")
    with Ledger.open(cli.db) as book:
        whole = book.probable_duplicates()
    assert [(item.duplicate, item.keep) for item in whole] == [("abu-musaffer", "abu-musafer")]

    def whole_ledger(_db):  # the ledger-wide index: not for one article's questions
        raise AssertionError("every label of the ledger was read")

    monkeypatch.setattr(sourcekeys, "label_index", whole_ledger)
    report = cli.ok("report", "rt-is-nusra-deal", "--format", "json")
    assert "abu-musaffer" in report and "typing slip" in report


def test_a_long_label_or_description_is_kept_and_paired(db_url):
    """PostgreSQL indexes at most about 2,700 bytes of a row: a source described at length
    (or with a very long label) is kept by digests of them, and still paired."""
    rng = random.Random(7)
    text_ = "".join(rng.choice(string.ascii_letters + " ") for _ in range(6000))
    label = "a senior official " + text_[:3000]
    with Ledger.open(db_url, create=True, actor="editor") as book:
        for key in ("first", "second"):
            book.add_source(
                Source(key=key, label=label, anonymity="named", description=text_),
            )
        found = book.probable_duplicates(["second"])
    assert [(item.duplicate, item.keep) for item in found] == [("second", "first")]
    assert _disagreeing(db_url) == []


@pytest.mark.parametrize("inside", ["question", "savepoint"])
def test_a_part_of_a_write_undone_keeps_the_signatures_written_before_it(db_url, inside):
    """A source relabelled, then a part of the same write undone (a savepoint rolled back)
    after its signatures were written inside it, by a question about duplicates or by a
    savepoint released within it: the relabelled source's rows are written at commit."""
    from sqlalchemy.orm import Session

    from ledger.errors import InvalidInput
    from ledger.write import edits, entries

    with Ledger.open(db_url, create=True, actor="editor") as book:
        book.add_source(Source(key="port", label="Port Authority", anonymity="named"))
    database = Database.open(db_url)
    with Session(database.engine) as session:
        edits.edit_source(session, "port", {"label": "the harbour master"})
        try:
            with session.begin_nested():
                entries.add_source(session, Source(key="pier", label="Pier", anonymity="named"))
                if inside == "question":
                    sourcekeys.probable_duplicates(session, among=["pier"])
                else:
                    with session.begin_nested():
                        edits.edit_source(session, "pier", {"description": "a pier"})
                raise InvalidInput("this part fails")
        except InvalidInput:
            pass
        session.commit()
    database.dispose()
    assert _disagreeing(db_url) == []


def test_a_downgrade_gives_0013_every_labels_signatures(seeded):
    """Back at 0013 the table holds every label's signatures as that code keeps them."""
    from alembic import command

    from ledger.storage.migrations import alembic_config

    database = Database.open(seeded.db)
    with database.read() as session:
        expected = {
            (signature, key, description)
            for key, label, description in session.execute(
                text("SELECT key, label, description FROM sources")
            )
            for signature in label_signatures.label_signatures(label)
        }
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0013")
    with database.engine.connect() as connection:  # the code reads only its own revision
        statement = "SELECT signature, holder, description FROM label_signatures"
        kept = set(connection.execute(text(statement)).all())
    database.dispose()
    assert kept == expected and kept
