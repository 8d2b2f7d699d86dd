"""The kept tallies and claim shapes over writes in nested savepoints, some rolled back.

A newsroom's script may wrap library writes in `session.begin_nested()`, one savepoint in
another, and undo some of them: whatever was undone, the commit leaves every kept claim
shape and tally as a recount gives it (`verify` compares them). Random runs of claim,
chain, link, retraction and source writes, each at a random depth of savepoints, the
innermost or an outer one rolled back at random, and commits made with savepoints still
open; both engines.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from ledger.errors import LedgerError
from ledger.model import Article, Hop, Source
from ledger.read import tallies, wide
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.vocab import ClaimKind, Relation
from ledger.write import edits, entries

SLUGS = ["north", "south"]
CLAIMS = [f"{slug}/c{n}" for slug in SLUGS for n in range(3)]
SOURCES = ["wire", "official", "doctor", "ministry"]
RELATIONS = [Relation.CORROBORATES, Relation.CONTRADICTS, Relation.REFINES]


class Undone(LedgerError):
    """The part of a write the script undoes (its savepoint rolled back)."""


@pytest.fixture
def database(db_url: str) -> Database:
    """A migrated ledger with two articles and four sources, one speaking for another."""
    found = Database.open(db_url, must_exist=False)
    migrations.upgrade(found)
    with found.write("editor") as session:
        for slug in SLUGS:
            entries.add_article(session, Article(slug=slug, title=slug.title()))
        for key in SOURCES:
            kind = "outlet" if key == "wire" else "person"
            anonymity = "anonymous" if key == "official" else "named"
            entries.add_source(session, Source(key=key, label=key, kind=kind, anonymity=anonymity))
    return found


Step = tuple[str, int, int, int, int, int]
"""(what, a, b, c, depth, undone): a write picked by `what` and `a`..`c`, made inside `depth`
savepoints (0: none), the one at level `undone` rolled back after it (none when `undone` >
`depth`)."""

steps = st.lists(
    st.tuples(
        st.sampled_from(
            ["claim", "attribute", "link", "unlink", "retract", "kind", "speaks", "commit"]
        ),
        st.integers(0, len(CLAIMS) - 1),
        st.integers(0, len(CLAIMS) - 1),
        st.integers(0, 5),
        st.integers(0, 3),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=16,
)


def _write(session: Session, step: Step) -> None:
    what, a, b, c, _depth, _undone = step
    ref, other = CLAIMS[a], CLAIMS[b]
    source, origin = SOURCES[c % len(SOURCES)], SOURCES[(c + 1 + a % 3) % len(SOURCES)]
    if what == "claim":
        slug, _, key = ref.partition("/")
        chains = [[Hop(source=source), Hop(source=origin)]] if c % 3 else []
        claim = entries.ClaimInput(key=key, text=f"claim {ref}", chains=chains)
        entries.add_claim(session, slug, claim)
    elif what == "attribute":
        entries.attribute(session, ref, [Hop(source=origin)])
    elif what == "link":
        entries.link(session, ref, RELATIONS[c % 3], other)
    elif what == "unlink":
        edits.unlink(session, ref, RELATIONS[c % 3], other)
    elif what == "retract":
        edits.retract_claim(session, ref, "withdrawn")
    elif what == "kind":
        kind = ClaimKind.OPINION if c % 2 else ClaimKind.FACT
        edits.edit_claim(session, ref, {"kind": kind})
    elif what == "speaks":
        edits.edit_source(session, source, {"speaks_for": None if c > 3 else origin})


def _nested(session: Session, step: Step, level: int = 1) -> None:
    """The write inside savepoints `level`..`depth`; a refused write rolls back the innermost,
    and the one at level `undone` is rolled back after the write. At depth 0 the write is
    made in the transaction itself, which a refusal rolls back whole."""
    _what, _a, _b, _c, depth, undone = step
    if depth == 0:
        try:
            _write(session, step)
        except LedgerError:
            session.rollback()
        return
    try:
        with session.begin_nested():
            if level == depth:
                _write(session, step)
            else:
                _nested(session, step, level + 1)
            if level == undone:
                raise Undone("undone")
    except LedgerError:
        pass  # refused, or undone: this savepoint rolled back


def _assert_kept_as_recounted(session: Session) -> None:
    for threshold in (1, 2):
        assert tallies.figure_counts(session, threshold) == wide.figure_counts(session, threshold)
        assert tallies.count_flagged(session, threshold) == wide.count_flagged(session, threshold)
    assert tallies.disagreeing_articles(session) == []
    assert not tallies.ledger_tallies_disagree(session)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=steps)
@example(script=[("claim", 0, 0, 3, 0, 4), ("claim", 1, 0, 3, 2, 1)])  # noted, then undone
def test_writes_in_nested_savepoints_leave_the_tallies_as_a_recount(database: Database, script):
    """Each example writes through a session whose commits release a savepoint of an outer
    transaction, rolled back at its end: the next example starts from the same ledger."""
    with database.engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            session.info["actor"] = "script"
            for step in script:
                if step[0] == "commit":  # from inside savepoints left open: it releases them
                    for _level in range(step[4]):
                        session.begin_nested()
                    _nested(session, ("link", *step[1:4], 1, 4))
                    session.commit()
                    _assert_kept_as_recounted(session)
                else:
                    _nested(session, step)
            session.commit()
            _assert_kept_as_recounted(session)
        outer.rollback()
