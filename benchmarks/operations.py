"""The benchmarked operations, each as the ledger does it and as raw sqlite3 does it.

The ledger side calls the library as a command would (a session per call, the
result built as the command would print it); the raw side runs the hand-written
SQL of `benchmarks.raw_sql` through `sqlite3` and fetches every row. Both run
on the same file in the same process, one after the other.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import raw_sql
from benchmarks.measure import Timing, processes, repeat

THRESHOLD = 2
ROOT = Path(__file__).resolve().parent.parent  # `python -m benchmarks...` runs from here


@dataclass(frozen=True)
class Targets:
    """What the scoped operations are asked about, picked from the ledger once it is loaded."""

    article: str  # an article of about 100 claims
    article_claims: int
    report_article: str  # the article of 200 claims
    source: str  # a named source cited by about 100 claims
    source_claims: int


def pick_targets(db: Path) -> Targets:
    with sqlite3.connect(db) as connection:
        sizes = """SELECT a.slug, count(*) AS n FROM claims c JOIN articles a ON a.id = c.article_id
                   GROUP BY a.id ORDER BY abs(count(*) - :n), a.id LIMIT 1"""
        article, claims = connection.execute(sizes, {"n": 100}).fetchone()
        report, _ = connection.execute(sizes, {"n": 200}).fetchone()
        source, cited = connection.execute(
            """SELECT s.key, count(DISTINCT h.claim_id) AS n FROM hops h
               JOIN sources s ON s.id = h.source_id
               WHERE s.anonymity = 'named' AND s.kind <> 'outlet'
               GROUP BY s.id ORDER BY abs(count(DISTINCT h.claim_id) - 100), s.id LIMIT 1"""
        ).fetchone()
    return Targets(article, claims, report, source, cited)


@dataclass(frozen=True)
class Result:
    name: str
    ledger: Timing
    raw: Timing | None
    note: str = ""


def _ledger_views(database: Any, **criteria: Any) -> Callable[[], list[dict[str, Any]]]:
    from ledger.read import queries

    def work() -> list[dict[str, Any]]:
        with database.read() as session:
            views = queries.claim_views(
                session, queries.ClaimFilter(**criteria), threshold=THRESHOLD
            )
            return [view.to_json() for view in views]

    return work


def _raw(connection: Any, sql: str, **params: Any) -> Callable[[], list[Any]]:
    return lambda: connection.execute(sql, {"threshold": THRESHOLD, **params}).fetchall()


def queries(db: Path, targets: Targets, *, times: int) -> list[Result]:
    """The in-process operations, ledger then raw for each."""
    from ledger.storage.database import Database
    from ledger.storage.reader import open_sqlite

    database = Database.open(str(db))
    connection = sqlite3.connect(db)
    fast = open_sqlite(db)
    results = timed(database, connection, targets, times=times, fast=fast)
    if fast is not None:
        fast.close()
    connection.close()
    database.dispose()
    return results


def timed(
    database: Any, connection: Any, targets: Targets, *, times: int, fast: Any = None
) -> list[Result]:
    """The operations on an open ledger and a raw connection (sqlite3, or one that speaks
    its dialect: `benchmarks.postgres.Raw`); `fast`, a `SqliteReader` on the same file, adds
    the row of the scoped query as read commands on SQLite ask it (through `sqlite3`)."""
    from ledger.read import queries, scoped

    article, source = targets.article, targets.source
    check_answers(database, connection, targets)
    results = []
    for flag in raw_sql.FLAGS:
        criteria = {flag.replace("-", "_"): True} if flag else {}
        results.append(
            Result(
                f"claims --article{' --' + flag if flag else ''}",
                repeat(_ledger_views(database, article=article, **criteria), times),
                repeat(_raw(connection, raw_sql.article_claims(flag), slug=article), times),
            )
        )
    results.append(
        Result(
            "claims --source",
            repeat(_ledger_views(database, source=source), times),
            repeat(_raw(connection, raw_sql.source_claims(), key=source), times),
        )
    )
    if fast is not None:
        results.append(
            Result(
                "claims --article (through sqlite3)",
                repeat(
                    lambda: scoped.claim_views(fast, scoped.ClaimFilter(article=article)), times
                ),
                results[0].raw,
                "the read path as read commands on a SQLite file run it, without SQLAlchemy",
            )
        )

    def count() -> list[int]:
        with database.read() as session:
            return [queries.count_flagged(session, threshold=THRESHOLD)]

    def page() -> list[dict[str, Any]]:
        with database.read() as session:
            views = queries.flagged_page(session, threshold=THRESHOLD, limit=50)
            return [view.to_json() for view in views]

    results.append(
        Result(
            "uncorroborated: count",
            repeat(count, max(2, times // 10)),
            repeat(_raw(connection, raw_sql.COUNT_UNCORROBORATED), max(2, times // 10)),
        )
    )
    results.append(
        Result(
            "uncorroborated: first page of 50",
            repeat(page, times),
            repeat(_raw(connection, raw_sql.FIRST_PAGE), times),
        )
    )
    results.append(_report(database, connection, targets.report_article, times))
    return results


def check_answers(database: Any, connection: Any, targets: Targets) -> None:
    """Before timing anything: the raw SQL gives the ledger's answers, or the floor means nothing."""
    from ledger.read import queries

    def raw_keys(sql: str, **params: Any) -> list[tuple[str, str]]:
        rows = connection.execute(sql, {"threshold": THRESHOLD, **params}).fetchall()
        return [(row[0], row[1]) for row in rows]

    with database.read() as session:
        for flag in raw_sql.FLAGS:
            criteria = {flag.replace("-", "_"): True} if flag else {}
            views = queries.claim_views(
                session, queries.ClaimFilter(article=targets.article, **criteria)
            )
            expected = raw_keys(raw_sql.article_claims(flag), slug=targets.article)
            assert [(v.article, v.key) for v in views] == expected, f"--article --{flag}"
        views = queries.claim_views(session, queries.ClaimFilter(source=targets.source))
        assert [(v.article, v.key) for v in views] == raw_keys(
            raw_sql.source_claims(), key=targets.source
        )
        page = queries.flagged_page(session, threshold=THRESHOLD, limit=50)
        assert [(v.article, v.key) for v in page] == raw_keys(raw_sql.FIRST_PAGE)
        count = queries.count_flagged(session, threshold=THRESHOLD)
    raw_count = connection.execute(raw_sql.COUNT_UNCORROBORATED, {"threshold": THRESHOLD})
    assert count == raw_count.fetchone()[0], "uncorroborated count"


def _report(database: Any, connection: Any, slug: str, times: int) -> Result:
    """`ledger report SLUG` built and rendered as Markdown (or the claims alone, without it)."""
    try:
        from ledger.report import render
        from ledger.report.model import build_report
    except ImportError:
        return Result(
            "report (claim_views only)",
            repeat(_ledger_views(database, article=slug), times),
            repeat(_raw(connection, raw_sql.article_claims(), slug=slug), times),
            "ledger.report is not available: the claims of the report only",
        )

    def ledger() -> str:
        with database.read() as session:
            return render(build_report(session, slug, threshold=THRESHOLD), "md")

    def raw() -> list[Any]:
        claims = connection.execute(raw_sql.article_claims(), {"slug": slug, "threshold": 2})
        sources = connection.execute(raw_sql.ARTICLE_SOURCES, {"slug": slug})
        return [*claims.fetchall(), *sources.fetchall()]

    return Result(
        "report of a 200-claim article (md)",
        repeat(ledger, times),
        repeat(raw, times),
        "raw: the claims and sources queries only, no rendering",
    )


def commands(db: Path, targets: Targets, *, times: int) -> dict[str, Timing]:
    """Whole processes: the read commands an editor types all day, and `sqlite-utils query`
    running the SQL of the first one on the same file (the floor they are measured against)."""
    ledger = [sys.executable, "-m", "ledger"]
    where = ["--db", str(db)]
    article = targets.article
    with sqlite3.connect(db) as connection:
        key = connection.execute(
            "SELECT c.key FROM claims c JOIN articles a ON a.id = c.article_id"
            " WHERE a.slug = ? ORDER BY c.id LIMIT 1",
            (article,),
        ).fetchone()[0]
    sql = raw_sql.article_claims()
    params = ["-p", "slug", article, "-p", "threshold", str(THRESHOLD)]
    return processes(
        {
            "ledger claims --article": [*ledger, "claims", "--article", article, *where],
            "ledger claims --article --json": [
                *ledger,
                "claims",
                "--article",
                article,
                "--json",
                *where,
            ],
            "ledger claim show": [*ledger, "claim", "show", f"{article}/{key}", *where],
            "ledger article show": [*ledger, "article", "show", article, *where],
            "ledger source show": [*ledger, "source", "show", targets.source, *where],
            "ledger log --article": [*ledger, "log", "--article", article, *where],
            "ledger check": [*ledger, "check", article, "--json", *where],
            "ledger report (md)": [*ledger, "report", article, *where],
            "sqlite-utils query (equivalent SQL)": [
                sys.executable,
                "-m",
                "sqlite_utils",
                "query",
                str(db),
                sql,
                *params,
            ],
        },
        times,
        cwd=ROOT,
    )
