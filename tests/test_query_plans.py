"""Per-article and per-source queries reach claims, hops and links through indexes only.

Every statement such a query runs is captured and asked for its SQLite plan: a
`SCAN` of claims, hops or links (of the table or of a whole index) is a cost
that grows with the ledger, where these queries must stay flat. The timings
themselves live in benchmarks/, not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from sqlalchemy import event
from sqlalchemy.orm import Session

from ledger.read import queries, sources, wide
from ledger.report.model import build_report
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.write import bulk
from tests.conftest import SAMPLE_BUNDLE
from tests.test_bulk import follow_up, write_jsonl

FULL_SCAN = re.compile(r"\bSCAN (claims|hops|links)(_\d+)?\b")
ARTICLE, SOURCE = "rt-is-nusra-deal", "opposition-official"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The sample article and a few follow-ups linking to it, in a SQLite ledger."""
    directory = tmp_path_factory.mktemp("plans")
    sample = yaml.safe_load(SAMPLE_BUNDLE.read_text(encoding="utf-8"))
    sample["article"].pop("text_file")
    bundles = [sample] + [follow_up(f"next-{n}", f"{ARTICLE}/deal") for n in range(5)]
    found = Database.open(str(directory / "ledger.db"), must_exist=False)
    migrations.upgrade(found)
    bulk.import_file(found, write_jsonl(directory, bundles), show_progress=False)
    yield found
    found.dispose()


def plans_of(database: Database, work: Callable[[Session], Any]) -> list[tuple[str, list[str]]]:
    """(statement, its plan lines) for every SELECT that `work` runs."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.read() as session:
            work(session)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)
    with database.engine.connect() as connection:
        return [
            (
                sql,
                [
                    row[-1]
                    for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params)
                ],
            )
            for sql, params in statements
        ]


FLAGS = [{}, {"uncorroborated": True}, {"anonymous_only": True}, {"contradicted": True}]
SCOPED = {
    **{
        f"claims --article {' '.join(flags) or ''}": (
            lambda s, f=flags: queries.claim_views(s, queries.ClaimFilter(article=ARTICLE, **f))
        )
        for flags in FLAGS
    },
    "claims --source": lambda s: queries.claim_views(s, queries.ClaimFilter(source=SOURCE)),
    "claim show": lambda s: queries.claim_view(s, f"{ARTICLE}/deal"),
    "source show": lambda s: sources.get_source(s, SOURCE),
    "sources of an article": lambda s: sources.list_sources(s, article=ARTICLE),
    "report": lambda s: build_report(s, ARTICLE, threshold=2),
    "count in an article": lambda s: queries.count_flagged(s, queries.ClaimFilter(article=ARTICLE)),
    "page of a source": lambda s: queries.flagged_page(
        s, queries.ClaimFilter(source=SOURCE, uncorroborated=True)
    ),
}


@pytest.mark.parametrize("work", SCOPED.values(), ids=SCOPED.keys())
def test_scoped_queries_never_scan_claims_hops_or_links(database, work):
    plans = plans_of(database, work)
    assert plans, "the query ran no SELECT"
    for sql, plan in plans:
        scans = [line for line in plan if FULL_SCAN.search(line)]
        assert not scans, f"{scans} in the plan of:\n{sql}"


def test_ledger_wide_page_reads_a_few_articles_not_the_ledger(database, monkeypatch):
    """The first page walks articles in slug order; no statement sorts all claims."""
    monkeypatch.setattr(queries, "PAGE_WALK_FIRST", 2)
    plans = plans_of(database, lambda s: queries.flagged_page(s, limit=2))
    for sql, plan in plans:
        if "FROM claims" in sql and "LIMIT" in sql:
            assert not any(FULL_SCAN.search(line) for line in plan), f"{plan}\n{sql}"


TREE_SCAN = re.compile(r"\bSCAN merkle_nodes\b")


def test_checkpoints_and_proofs_read_the_merkle_tree_by_its_key(database):
    """A checkpoint or a proof reads O(log n) nodes: a scan of the tree would read them all."""
    from ledger.audit import checkpoint, tree

    def work(session: Session) -> None:
        size = checkpoint.current(session).size
        tree.inclusion_proof(session, size // 3, size)
        tree.consistency_proof(session, size // 2, size)
        tree.writer_range(session, size)

    plans = plans_of(database, work)
    assert any("merkle_nodes" in sql for sql, _plan in plans)
    for sql, plan in plans:
        assert not any(TREE_SCAN.search(line) for line in plan), f"{plan}\n{sql}"


SORTER = re.compile(
    r"\bUSE TEMP B-TREE\b|\bSCAN claim_shapes\b(?! USING COVERING INDEX ix_claim_shapes_(slug|claim_key))"
)
"""A sort, or a scan of the kept rows but in the page's order (read until the page is full)."""


@pytest.mark.parametrize("sort", wide.SQL_SORTS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("offset", [0, 1, 5])
def test_a_sorted_page_of_flagged_claims_is_read_in_order_from_an_index(
    database, sort, descending, offset
):
    """By article or claim key an index in that order is read until the page is full; by
    status or flags each rank's cells are index ranges in ledger order, merged: no
    statement sorts the flagged claims, whichever order, way or page."""
    plans = plans_of(
        database,
        lambda s: wide.flagged_page(s, 2, sort=sort, descending=descending, offset=offset, limit=2),
    )
    ordered = [(sql, plan) for sql, plan in plans if "FROM claim_shapes" in sql]
    assert any("ORDER BY" in sql for sql, _plan in ordered)
    for sql, plan in ordered:
        assert not any(SORTER.search(line) for line in plan), f"{plan}\n{sql}"
