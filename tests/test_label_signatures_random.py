"""The kept label signatures over random source writes: exact after every kind of write,
and the probable duplicates found through them those the whole ledger's labels give.

Random runs of source writes (added, labels and descriptions edited, kinds changed,
merged into others with their aliases, deleted, and writes undone by a savepoint, as
a failing file of a many-file import is) over a few labels that meet: after each
commit, and asked in the middle of a write, `probable_duplicates(db, among=keys)`
(through `label_signatures`) equals `probable_duplicates` through the whole ledger's
`label_index`, for every source alone and for all of them, and `verify` finds every
kept row as the labels give it. Both engines.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from ledger.errors import LedgerError
from ledger.model import Source
from ledger.read import label_signatures
from ledger.read.sourcekeys import label_index, probable_duplicates
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.write import edits, entries, parties

KEYS = [f"s{n}" for n in range(7)]
LABELS = [
    "a senior official",
    "A Senior Oficial",
    "the senior official",
    "Port Authority",
    "the port authorty",
    "official",
    "officials",
    "!!",
]
DESCRIPTIONS = [None, "a diplomat", "a diplomat close to the talks"]
KINDS = ["person", "organization", "unknown"]

Action = tuple[str, int, int, int]
"""(what, a, b, c): the numbers pick keys, labels, descriptions or kinds, as `what` reads them."""


@pytest.fixture
def database(db_url: str) -> Database:
    """A migrated, empty ledger; each example writes in a transaction it rolls back."""
    found = Database.open(db_url, must_exist=False)
    migrations.upgrade(found)
    return found


actions = st.lists(
    st.tuples(
        st.sampled_from(
            ["add", "label", "describe", "kind", "merge", "delete", "undone", "commit"]
        ),
        st.integers(0, len(KEYS) - 1),
        st.integers(0, len(LABELS) - 1),
        st.integers(0, len(DESCRIPTIONS) - 1),
    ),
    min_size=1,
    max_size=14,
)


def _do(session: Session, action: Action) -> None:
    what, a, b, c = action
    key = KEYS[a]
    if what == "add":
        source = Source(
            key=key,
            label=LABELS[b],
            kind=KINDS[c % len(KINDS)],
            anonymity="named",
            description=DESCRIPTIONS[c],
        )
        entries.add_source(session, source)
    elif what == "label":
        edits.edit_source(session, key, {"label": LABELS[b]})
    elif what == "describe":
        edits.edit_source(session, key, {"description": DESCRIPTIONS[c]})
    elif what == "kind":
        edits.edit_source(session, key, {"kind": KINDS[c % len(KINDS)]})
    elif what == "merge":
        parties.merge_sources(session, key, KEYS[b % len(KEYS)])
    elif what == "delete":
        edits.delete_source(session, key)


def _assert_pairs_as_whole_ledger(session: Session) -> None:
    index = label_index(session)
    keys = sorted(index.records)
    for among in [*([key] for key in keys), keys]:
        through_kept = probable_duplicates(session, among=among)
        assert through_kept == probable_duplicates(session, among=among, index=index), among


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=actions)
def test_kept_signatures_pair_sources_as_the_whole_ledger_does(database: Database, steps):
    with Session(database.engine) as session:
        try:
            for step in steps:
                if step[0] == "commit":  # as a commit would: what follows is a later write
                    session.flush()
                    label_signatures.refresh_pending(session)
                    assert label_signatures.disagreeing_holders(session) == []
                    continue
                try:
                    with session.begin_nested():
                        if step[0] == "undone":  # a write undone alone, after its changes
                            _do(session, ("add", step[1], step[2], step[3]))
                            _do(session, ("label", step[1], (step[2] + 1) % len(LABELS), 0))
                            probable_duplicates(session, among=[KEYS[step[1]]])
                            raise LedgerError("undone")
                        _do(session, step)
                except LedgerError:
                    pass  # refused or undone: nothing of it stays
                if step[1] % 3 == 0:  # asked in the middle of a write, its own changes first
                    _assert_pairs_as_whole_ledger(session)
            session.flush()
            label_signatures.refresh_pending(session)
            assert label_signatures.disagreeing_holders(session) == []
            _assert_pairs_as_whole_ledger(session)
        finally:
            session.rollback()
