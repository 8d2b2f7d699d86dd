"""The rules in SQL (`ledger.read.rules_sql`) agree exactly with `rules.evaluate`, claim by claim.

Random small ledgers are written through `ledger.write.entries` (sources of every kind
and anonymity, some speaking for others, chains of one to three hops, extra chains
added later, links of every relation across articles, retracted claims, sources
merged into others), then every live claim's
verdict is computed both ways, at thresholds 1 to 3. The ledger-wide queries
built on the SQL rules (`count_flagged`, `flagged_page`) must agree with
filtering `claim_views`, for every combination of flags and scopes; and so
must the scoped questions read through `sqlite3` (`ledger.storage.reader.SqliteReader`), as
every read command on a SQLite file reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.errors import LedgerError
from ledger.model import Article, Hop, Source
from ledger.read import flagged, queries, rules_sql, scoped, tallies, wide
from ledger.report.model import Figures
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.storage.reader import SqliteReader, reader_of
from ledger.storage.schema import ArticleRow, SourceRow
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind
from ledger.write import edits, entries, parties

SOURCES = [f"s{n}" for n in range(6)]
NAMED = (SourceKind.PERSON, Anonymity.NAMED)
FACT = ClaimKind.FACT
CORROBORATES, CONTRADICTS = Relation.CORROBORATES, Relation.CONTRADICTS


@dataclass(frozen=True)
class Plan:
    """A small ledger to write: everything drawn, nothing yet in a database."""

    sources: list[tuple[SourceKind, Anonymity]]
    claims: list[tuple[int, ClaimKind, list[list[int]]]]  # article, kind, chains of source numbers
    extra_chains: list[tuple[int, list[int]]]  # claim, chain added later with `attribute`
    links: list[tuple[int, Relation, int]]
    retracted: list[int]
    speaks_for: dict[int, int] = field(default_factory=dict)  # source -> an earlier source
    merges: list[tuple[int, int]] = field(default_factory=list)  # merge first into second


def chains(sources: int) -> st.SearchStrategy[list[list[int]]]:
    chain = st.lists(st.integers(0, sources - 1), min_size=1, max_size=3, unique=True)
    return st.lists(chain, max_size=3)


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    sources = draw(
        st.lists(
            st.tuples(st.sampled_from(list(SourceKind)), st.sampled_from(list(Anonymity))),
            min_size=1,
            max_size=len(SOURCES),
        )
    )
    claims = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.sampled_from(list(ClaimKind)), chains(len(sources))),
            min_size=1,
            max_size=12,
        )
    )
    count = len(claims)
    pair = st.tuples(
        st.integers(0, count - 1), st.sampled_from(list(Relation)), st.integers(0, count - 1)
    )
    links = [link for link in draw(st.lists(pair, max_size=12)) if link[0] != link[2]]
    extra = draw(
        st.lists(
            st.tuples(
                st.integers(0, count - 1),
                st.lists(st.integers(0, len(sources) - 1), min_size=1, max_size=3, unique=True),
            ),
            max_size=3,
        )
    )
    retracted = draw(st.lists(st.integers(0, count - 1), max_size=4, unique=True))
    speaks_for = {
        number: draw(st.integers(0, number - 1))
        for number in range(1, len(sources))
        if draw(st.booleans())
    }
    pairs = st.tuples(st.integers(0, len(sources) - 1), st.integers(0, len(sources) - 1))
    merges = [pair for pair in draw(st.lists(pairs, max_size=2)) if pair[0] != pair[1]]
    return Plan(sources, claims, extra, sorted(set(links), key=str), retracted, speaks_for, merges)


def write(session: Session, plan: Plan) -> list[str]:
    """Write the plan through the store; returns the claims' refs."""
    for number, (kind, anonymity) in enumerate(plan.sources):
        target = plan.speaks_for.get(number)
        entries.add_source(
            session,
            Source(
                key=SOURCES[number],
                label=SOURCES[number],
                kind=kind,
                anonymity=anonymity,
                speaks_for=SOURCES[target] if target is not None else None,
            ),
        )
    for article in sorted({article for article, _, _ in plan.claims}):
        entries.add_article(session, Article(slug=f"art-{article}", title=f"Article {article}"))
    refs = []
    for number, (article, kind, claim_chains) in enumerate(plan.claims):
        hops = [[Hop(source=SOURCES[source]) for source in chain] for chain in claim_chains]
        entries.add_claim(
            session,
            f"art-{article}",
            entries.ClaimInput(f"c{number}", "text", kind=kind, chains=hops),
        )
        refs.append(f"art-{article}/c{number}")
    tallies.refresh_pending(session)  # as a commit would: what follows is a later transaction
    for claim, chain in plan.extra_chains:
        entries.attribute(session, refs[claim], [Hop(source=SOURCES[source]) for source in chain])
    for source, relation, target in plan.links:
        entries.link(session, refs[source], relation, refs[target])
    for claim in plan.retracted:
        edits.retract_claim(session, refs[claim], "withdrawn")
    for duplicate, keep in plan.merges:
        try:
            with session.begin_nested():
                parties.merge_sources(session, SOURCES[duplicate], SOURCES[keep])
        except LedgerError:
            pass  # refused (fields that disagree, a chain through both): nothing changed
    return refs


def check_parties(session: Session) -> None:
    """The derived `party` column is the end of each source's `speaks_for` path."""
    rows = session.execute(select(SourceRow.key, SourceRow.speaks_for, SourceRow.party)).all()
    graph = {key: target for key, target, _ in rows if target}
    for key, _target, party in rows:
        end, seen = key, {key}
        while end in graph:
            end = graph[end]
            assert end not in seen, f"a speaks_for cycle through {key}"
            seen.add(end)
        assert (party or key) == end, key


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Database:
    """A migrated, empty ledger; each example writes in a transaction it rolls back."""
    found = Database.open(db_url, must_exist=False)
    migrations.upgrade(found)
    monkeypatch.setattr(queries, "PAGE_WALK_FIRST", 1)  # small ledgers still walk several steps
    monkeypatch.setattr(queries, "STREAM_FIRST", 1)
    return found


SCOPES = ["ledger", "article", "source"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plan=plans(),
    threshold=st.integers(1, 3),
    scope=st.sampled_from(SCOPES),
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    offset=st.integers(0, 4),
)
# The corners a random draw reaches rarely, first: a retracted claim's support and
# contradiction, a named source lending support to an anonymous claim, an unnamed
# outlet as its own origin, one short chain among long ones.
@example(
    plan=Plan(
        [NAMED, NAMED], [(0, FACT, [[0]]), (0, FACT, [[1]])], [], [(1, CORROBORATES, 0)], [1]
    ),
    threshold=2,
    scope="article",
    flags=(True, False, False),
    offset=0,
)
@example(
    plan=Plan([NAMED, NAMED], [(0, FACT, [[0]]), (1, FACT, [[1]])], [], [(1, CONTRADICTS, 0)], [1]),
    threshold=2,
    scope="article",
    flags=(False, False, True),
    offset=0,
)
@example(
    plan=Plan(
        [(SourceKind.PERSON, Anonymity.ANONYMOUS), NAMED],
        [(0, FACT, [[0]]), (0, FACT, [[1]])],
        [],
        [(1, CORROBORATES, 0)],
        [],
    ),
    threshold=3,
    scope="ledger",
    flags=(False, True, False),
    offset=0,
)
@example(
    plan=Plan([(SourceKind.OUTLET, Anonymity.ANONYMOUS)], [(0, FACT, [[0]])], [], [], []),
    threshold=1,
    scope="source",
    flags=(False, True, False),
    offset=0,
)
@example(
    plan=Plan(
        [(SourceKind.OUTLET, Anonymity.NAMED), NAMED], [(0, FACT, [[0, 1], [0]])], [], [], []
    ),
    threshold=2,
    scope="article",
    flags=(False, False, False),
    offset=0,
)
# A spokesman and his ministry, and support lent by another article through the same
# party: one party however the chains run. A duplicate merged into the source kept.
@example(
    plan=Plan(
        [(SourceKind.ORGANIZATION, Anonymity.NAMED), (SourceKind.PERSON, Anonymity.ANONYMOUS)],
        [(0, FACT, [[0], [1]]), (1, FACT, [[1]])],
        [],
        [(1, CORROBORATES, 0)],
        [],
        {1: 0},
    ),
    threshold=2,
    scope="article",
    flags=(True, True, False),
    offset=0,
)
@example(
    plan=Plan([NAMED, NAMED], [(0, FACT, [[0], [1]])], [], [], [], {}, [(1, 0)]),
    threshold=2,
    scope="source",
    flags=(True, False, False),
    offset=0,
)
def test_sql_rules_agree_with_evaluate(
    database: Database,
    plan: Plan,
    threshold: int,
    scope: str,
    flags: tuple[bool, bool, bool],
    offset: int,
):
    uncorroborated, anonymous_only, contradicted = flags
    criteria = queries.ClaimFilter(
        article=f"art-{plan.claims[0][0]}" if scope == "article" else None,
        source=SOURCES[0] if scope == "source" else None,
        uncorroborated=uncorroborated,
        anonymous_only=anonymous_only,
        contradicted=contradicted,
    )
    with Session(database.engine) as session:
        try:
            write(session, plan)
            session.flush()
            check_parties(session)
            check_verdicts(session, threshold)
            check_tallies(session, threshold)
            check_desk_sorts(session, threshold)
            check_flagged(session, criteria, threshold, offset)
            streamed = list(queries.iter_claim_views(session, criteria, threshold=threshold))
            assert streamed == queries.claim_views(session, criteria, threshold=threshold)
            check_flagged(session, queries.ClaimFilter(uncorroborated=True), threshold, offset)
            if database.dialect == "sqlite" and scope != "ledger":
                check_sqlite_reader(session, criteria, threshold)
        finally:
            session.rollback()


def check_tallies(session: Session, threshold: int) -> None:
    """The tallies kept by writes give the figures and the flagged count of judging every claim."""
    tallies.refresh_pending(session)
    views = queries.claim_views(session, threshold=threshold)
    by_article: dict[int, list] = {}
    ids = dict(session.execute(select(ArticleRow.slug, ArticleRow.id)).all())
    for view in views:
        by_article.setdefault(ids[view.article], []).append(view)
    expected = {
        article: (
            (figures := Figures.of(group)).claims,
            figures.facts,
            figures.corroborated,
            figures.uncorroborated_facts,
            figures.anonymous_only,
            figures.contradicted,
            figures.unattributed_facts,
        )
        for article, group in by_article.items()
    }
    assert tallies.figure_counts(session, threshold) == expected
    assert tallies.figure_counts(session, threshold) == wide.figure_counts(session, threshold)
    assert tallies.count_flagged(session, threshold) == wide.count_flagged(session, threshold)


def check_desk_sorts(session: Session, threshold: int) -> None:
    """The desk's flagged claims in each of its orders (from the kept shapes) are the
    flagged claims judged one by one, sorted stably from ledger order; so is each page."""
    flagged = [
        view
        for view in queries.claim_views(session, threshold=threshold)
        if view.verdict.uncorroborated
        or view.verdict.anonymous_only
        or view.verdict.contradicted
        or view.verdict.single_intermediary
        or view.verdict.borrowed_anonymity
    ]

    def status(view: queries.ClaimView) -> int:
        size = len(view.verdict.independent_origins)
        return 0 if size < 1 else 1 if size < threshold else 2

    def flags(view: queries.ClaimView) -> int:
        verdict = view.verdict
        return sum(
            [
                verdict.uncorroborated,
                verdict.anonymous_only,
                verdict.contradicted,
                verdict.single_intermediary,
                verdict.borrowed_anonymity,
            ]
        )

    keys = {
        "article": lambda view: view.article,
        "claim": lambda view: view.key,
        "status": status,
        "flags": flags,
    }
    for sort, key in keys.items():
        for descending in (False, True):
            expected = [view.ref for view in sorted(flagged, key=key, reverse=descending)]
            page = wide.flagged_page(
                session, threshold, sort=sort, descending=descending, limit=len(flagged) + 1
            )
            assert [view.ref for view in page] == expected, (sort, descending)
            for size, dense in ((2, None), (3, 0)):
                # page by page: ranks passed over, pages read from the end, a rank's cells
                # merged (DENSE 0) or, when large, its rows read from the index in ledger order
                with _dense(dense):
                    check_pages(session, threshold, sort, descending, expected, size)


@contextmanager
def _dense(value: int | None) -> Iterator[None]:
    """`flagged.DENSE` and `SPARSE` set to `value` (None: left as they are) for a while."""
    kept = flagged.DENSE, flagged.SPARSE
    if value is not None:
        flagged.DENSE = flagged.SPARSE = value
    try:
        yield
    finally:
        flagged.DENSE, flagged.SPARSE = kept


def check_pages(
    session: Session,
    threshold: int,
    sort: str,
    descending: bool,
    expected: list[str],
    size: int,
) -> None:
    """Every page of `size` claims, and one past the end, is its slice of `expected`."""
    for offset in range(0, len(expected) + size, size):
        page = wide.flagged_page(
            session, threshold, sort=sort, descending=descending, offset=offset, limit=size
        )
        found = [view.ref for view in page]
        assert found == expected[offset : offset + size], (sort, descending, offset)


def check_verdicts(session: Session, threshold: int) -> None:
    expected = {
        view.ref: view.verdict for view in queries.claim_views(session, threshold=threshold)
    }
    statement = (
        f"SELECT a.slug || '/' || c.key, {rules_sql.verdict_columns('c', threshold)}"
        " FROM claims c JOIN articles a ON c.article_id = a.id WHERE c.retracted_reason IS NULL"
    )
    rows = list(reader_of(session).rows(statement))
    assert {row[0] for row in rows} == expected.keys()
    for ref, size, status, *flags in rows:
        verdict = expected[ref]
        assert (size, status, *(bool(flag) for flag in flags)) == (
            len(verdict.independent_origins),
            verdict.status.value,
            verdict.uncorroborated,
            verdict.anonymous_only,
            verdict.contradicted,
            verdict.single_intermediary,
            verdict.borrowed_anonymity,
        ), ref


def check_flagged(
    session: Session, criteria: queries.ClaimFilter, threshold: int, offset: int
) -> None:
    expected = [view.ref for view in queries.claim_views(session, criteria, threshold=threshold)]
    assert queries.count_flagged(session, criteria, threshold=threshold) == len(expected)
    page = queries.flagged_page(session, criteria, threshold=threshold, limit=3, offset=offset)
    assert [view.ref for view in page] == expected[offset : offset + 3]


def check_sqlite_reader(session: Session, criteria: queries.ClaimFilter, threshold: int) -> None:
    """Read through `sqlite3` (no SQLAlchemy), the scoped query gives what the session gives."""
    expected = [
        view.to_json() for view in scoped.claim_views(session, criteria, threshold=threshold)
    ]
    connection = session.connection().connection.driver_connection  # the same transaction
    reader = SqliteReader(connection)
    views = scoped.claim_views(reader, criteria, threshold=threshold)
    assert [view.to_json() for view in views] == expected
