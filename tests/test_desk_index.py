"""The desk's label index, brought up to date instead of read again; the label signatures
the writes keep.

The desk pairs each page's sources for probable duplicates against an index of
every source's labels (`ledger.read.sourcekeys.label_index`). After a source or
alias changes it reads again only the sources the audit trail names
(`LabelIndex.updated`). A report of one article reads only the sources whose
label signatures, kept by the writes (`ledger.read.label_signatures`), meet its
sources'. These tests add, rename, edit, merge, alias and delete sources after
the index was read (and after pages were paired against it, so that its kept
blocks are stale) and hold the index brought up to date equal to one read
afresh, the kept signatures to the labels, and the pairs found either way to
the fresh index's pairs. Both engines.
"""

from __future__ import annotations

import pytest

from ledger.api import Ledger
from ledger.model import Source
from ledger.read import label_signatures, sourcekeys
from ledger.read.sourcekeys import LabelIndex, label_index, probable_duplicates
from ledger.storage.database import Database
from ledger.web import overview
from tests.conftest import SAMPLES

ANONYMOUS = {"anonymity": "anonymous", "anonymity_reason": "not authorised to speak"}


def _source(key: str, label: str, **fields: object) -> Source:
    return Source.model_validate({"key": key, "label": label, "anonymity": "named", **fields})


@pytest.fixture
def book(cli):
    with Ledger.open(cli.db, actor="editor") as opened:
        opened.import_file(SAMPLES / "outbreak.yaml")
        opened.import_file(SAMPLES / "rt-is-nusra-deal.yaml")
        opened.add_source(_source("official-1", "a senior official", **ANONYMOUS))
        opened.add_source(_source("official-2", "a senior oficial", **ANONYMOUS))
        opened.add_source(_source("port", "Port Authority", kind="organization"))
        opened.add_source(_source("port-2", "the port authorty", kind="organization"))
        yield opened


def pairs(session, index: LabelIndex | None, among: list[str] | None) -> list[tuple[str, str, str]]:
    """The probable duplicates found through `index`; without one, a few sources' duplicates
    are found through the kept label signatures (`ledger.read.label_signatures`)."""
    found = probable_duplicates(session, among=among, index=index)
    return [(item.duplicate, item.keep, item.why) for item in found]


def assert_as_fresh(database: Database, summaries: overview.Summaries) -> LabelIndex:
    """The desk's index now equals one read afresh, and pairs every source as it does,
    page by page (one source at a time, through the kept blocks) and all at once."""
    with database.read() as session:
        kept = summaries.get(session, 2).sources
        fresh = label_index(session)
        assert kept.records == fresh.records
        assert kept.labels == fresh.labels
        assert kept.meeting == fresh.meeting
        assert kept.alias_owner == fresh.alias_owner
        for signature, (members, by_value) in kept.blocks.items():  # kept blocks, moved
            assert members == [fresh.records[key] for key in fresh.meeting[signature]]
            assert by_value == sourcekeys._block(members)
        keys = sorted(fresh.records)
        for key in keys:
            assert pairs(session, kept, [key]) == pairs(session, fresh, [key]), key
        assert pairs(session, kept, keys) == pairs(session, fresh, keys)
        assert label_signatures.disagreeing_holders(session) == []  # the writes kept them
        for key in keys:  # and they find every source's duplicates as the whole index does
            assert pairs(session, None, [key]) == pairs(session, fresh, [key]), key
        assert pairs(session, None, keys) == pairs(session, fresh, keys)
        assert pairs(session, kept, None) == pairs(session, fresh, None)
        return kept


def test_sources_changed_after_the_index_was_read_are_paired_as_a_fresh_index_pairs_them(
    book, cli, monkeypatch
):
    read_whole = []

    def counted(session):
        read_whole.append(1)
        return label_index(session)

    monkeypatch.setattr(overview, "label_index", counted)
    summaries = overview.Summaries()
    database = Database.open(cli.db)
    first = assert_as_fresh(database, summaries)
    assert first.blocks, "pages were paired: the index keeps their blocks"
    assert pairs_found(database, summaries) == {
        ("official-2", "official-1"),
        ("port-2", "port"),
    }

    book.retract_claim("rt-is-nusra-deal/deal", "the deal was denied the next day")
    assert assert_as_fresh(database, summaries) is first  # no source changed

    book.add_source(_source("official-3", "A Senior Official.", **ANONYMOUS))  # added
    assert_as_fresh(database, summaries)
    assert ("official-3", "official-1") in pairs_found(database, summaries)

    book.edit_source("official-1", {"label": "the Port Authority"})  # renamed
    assert_as_fresh(database, summaries)
    found = pairs_found(database, summaries)
    assert ("port", "official-1") not in found  # an anonymous person is not the port
    assert ("official-3", "official-1") not in found  # the label it met at is gone

    book.edit_source("official-2", {"description": "a diplomat at the talks"})  # edited
    assert_as_fresh(database, summaries)

    book.merge_sources("official-3", "official-2")  # merged: official-3 an alias with a label
    kept = assert_as_fresh(database, summaries)
    assert kept.alias_owner == {"official-3": "official-2"}

    book.edit_source("official-2", {"description": "a diplomat close to the talks"})
    assert_as_fresh(database, summaries)  # its alias carries the description it now has

    book.edit_source("official-2", {"label": "a spokesman for the port"})  # its alias stays
    assert_as_fresh(database, summaries)

    book.merge_sources("official-2", "official-1")  # aliases move with the merge
    kept = assert_as_fresh(database, summaries)
    assert kept.alias_owner == {"official-2": "official-1", "official-3": "official-1"}

    book.import_data(
        {
            "version": 1,
            "article": {"slug": "port-strike", "title": "Port strike", "outlet": "Desk"},
            "sources": [
                {
                    "key": "harbour-board",
                    "label": "the harbour board",
                    "kind": "organization",
                    "anonymity": "named",
                    "aliases": ["harbor-board"],
                }
            ],
            "claims": [],
        }
    )  # aliased on import (an alias without a label of its own)
    assert_as_fresh(database, summaries)

    book.delete_source("port-2")  # deleted
    assert_as_fresh(database, summaries)
    assert read_whole == [1], "the index was read whole once, then brought up to date"
    database.dispose()


def pairs_found(database: Database, summaries: overview.Summaries) -> set[tuple[str, str]]:
    with database.read() as session:
        index = summaries.get(session, 2).sources
        return {(duplicate, keep) for duplicate, keep, _why in pairs(session, index, None)}


def test_a_trail_shorter_than_the_index_head_reads_the_index_whole(book, cli):
    database = Database.open(cli.db)
    with database.read() as session:
        head = int(sourcekeys.scalar(sourcekeys.reader_of(session), "SELECT max(seq) FROM events"))
        assert sourcekeys.source_changes_since(session, head) == (set(), set())
        assert sourcekeys.source_changes_since(session, head + 1) is None
        assert sourcekeys.source_changes_since(session, head - 1) is not None
    database.dispose()
