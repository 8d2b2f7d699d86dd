"""Reading the ledger: the ledger-wide questions, in SQL, and the scoped ones re-exported.

The questions of one claim, article or source live in `ledger.read.scoped`
(SQL text, for any reader); this module adds those of the whole ledger, which
ask the SQL form of the rules (`ledger.read.rules_sql`), through the same `Reader`.

Claims are gathered in a fixed, small number of queries whatever their count
(claims, hops, links, corroborating origins), then judged by `ledger.rules`.
Filters on the verdict (uncorroborated, anonymous-only, contradicted) are
applied to the judged claims, so they always agree with the rules module.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ledger.claimview import ClaimView
from ledger.read import rules_sql
from ledger.read.scoped import ArticleSummary as ArticleSummary
from ledger.read.scoped import (
    ClaimFilter,
    claim_conditions,
    claim_views,
    judged,
    where_clause,
)
from ledger.read.scoped import claim_view as claim_view
from ledger.read.scoped import get_article as get_article
from ledger.read.scoped import list_articles as list_articles
from ledger.storage.reader import in_ids, reader_of, scalar

if TYPE_CHECKING:
    from ledger.storage.reader import Readable, Reader

# --- ledger-wide questions, answered in SQL ----------------------------------------------------
#
# `claim_views` judges claims in Python, which is right for an article or a source
# (a few hundred claims) and wrong for the whole ledger (a million). These ask the
# SQL form of the rules (`ledger.read.rules_sql`) instead: the database counts, and
# only the claims of the page asked for are loaded and judged by `claim_views`'s
# machinery. Retracted claims are never counted here; with `include_retracted`
# both fall back to judging every matching claim in Python.

PAGE_WALK_FIRST = 32  # articles read in the first step of a page walk; doubled each step
PAGE_WALK_MAX = 4096
IN_LEDGER_ORDER = "SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id"
"""Claims with their article's slug at hand, to be ordered as `claim_views` orders them."""


def flag_conditions(criteria: ClaimFilter, threshold: int) -> list[str]:
    """The verdict criteria (uncorroborated, anonymous only, contradicted) as SQL on `c`."""
    conditions = []
    if criteria.uncorroborated:
        conditions.append(rules_sql.uncorroborated("c", threshold))
    if criteria.anonymous_only:
        conditions.append(rules_sql.anonymous_only("c"))
    if criteria.contradicted:
        conditions.append(rules_sql.contradicted("c"))
    return conditions


def count_flagged(
    db: Readable,
    criteria: ClaimFilter = ClaimFilter(uncorroborated=True),
    *,
    threshold: int = 2,
) -> int:
    """How many claims match `criteria` (by default: the uncorroborated facts of the ledger)."""
    reader = reader_of(db)
    if criteria.include_retracted:
        return len(claim_views(reader, criteria, threshold=threshold))
    where, params = claim_conditions(reader, criteria)
    where += flag_conditions(criteria, threshold)
    return int(scalar(reader, f"SELECT COUNT(*) FROM claims c{where_clause(where)}", params) or 0)


def flagged_page(
    db: Readable,
    criteria: ClaimFilter = ClaimFilter(uncorroborated=True),
    *,
    threshold: int = 2,
    limit: int = 50,
    offset: int = 0,
) -> list[ClaimView]:
    """One page of the claims matching `criteria`, in `claim_views` order (article, entry).

    Scoped to an article or a source, the matching claims are few and are
    sorted by the database. Ledger-wide, the articles are walked in slug order,
    a growing handful at a time, and the walk stops once the page is full: the
    first page costs a few hundred claims' rules, not a million.
    """
    reader = reader_of(db)
    if criteria.include_retracted:
        return claim_views(reader, criteria, threshold=threshold)[offset : offset + limit]
    where, params = claim_conditions(reader, criteria)
    where += flag_conditions(criteria, threshold)
    if criteria.scoped:
        statement = (
            f"{IN_LEDGER_ORDER}{where_clause(where)} ORDER BY a.slug, c.id"
            " LIMIT :limit OFFSET :offset"
        )
        rows = reader.rows(statement, {**params, "limit": limit, "offset": offset})
        ids = [row[0] for row in rows]
    else:
        ids = walk_articles(reader, where, params, offset + limit)[offset:]
    return judged(reader, ids, threshold=threshold, accept=criteria.accepts)


STREAM_FIRST = 16  # articles judged before the first claim of a ledger-wide stream is out
STREAM_MAX = 512


def iter_claim_views(
    db: Readable, criteria: ClaimFilter = ClaimFilter(), *, threshold: int = 2
) -> Iterator[ClaimView]:
    """What `claim_views` returns, as it comes, in bounded memory, in the same order.

    Scoped to an article or a source the answer is small and is judged at once.
    Ledger-wide, articles are walked in slug order, a growing handful at a time;
    the verdict filters are asked of the SQL form of the rules first, so only
    the claims that match are loaded and judged (and judged again in Python,
    which the SQL form is held equal to).
    """
    if criteria.scoped:
        yield from claim_views(db, criteria, threshold=threshold)
        return
    conditions = [] if criteria.include_retracted else flag_conditions(criteria, threshold)
    for chunk in iter_claim_chunks(db, criteria, *conditions, threshold=threshold):
        yield from chunk


def iter_claim_chunks(
    db: Readable,
    criteria: ClaimFilter,
    *conditions: str,
    threshold: int = 2,
    first: int = STREAM_FIRST,
    most: int = STREAM_MAX,
) -> Iterator[list[ClaimView]]:
    """The claims of the whole ledger matching `criteria` and the SQL `conditions` (on
    claim `c`), judged, a growing handful of articles at a time in slug order: the
    claims of one step are all in memory together, never the ledger's."""
    reader = reader_of(db)
    where, params = claim_conditions(reader, criteria)
    where += conditions
    for article_ids in _article_steps(reader, first, most):
        scoped = where_clause([*where, in_ids("c.article_id", article_ids)])
        ids = [row[0] for row in reader.rows(f"SELECT c.id FROM claims c{scoped}", params)]
        chunk = judged(
            reader,
            ids,
            threshold=threshold,
            accept=criteria.accepts,
            include_retracted=criteria.include_retracted,
        )
        if chunk:
            yield chunk


def walk_articles(
    reader: Reader, where: Sequence[str], params: dict[str, Any], wanted: int
) -> list[int]:
    """The first `wanted` ids of the claims `c` meeting `where`, in ledger order (article
    slug, then entry), reading articles in slug order step by step."""
    ids: list[int] = []
    if wanted <= 0:
        return ids
    for article_ids in _article_steps(reader, PAGE_WALK_FIRST, PAGE_WALK_MAX):
        scoped = where_clause([*where, in_ids("c.article_id", article_ids)])
        statement = f"{IN_LEDGER_ORDER}{scoped} ORDER BY a.slug, c.id LIMIT :wanted"
        ids += [row[0] for row in reader.rows(statement, {**params, "wanted": wanted - len(ids)})]
        if len(ids) >= wanted:
            break
    return ids


def _article_steps(reader: Reader, first: int, most: int) -> Iterator[list[int]]:
    """The ids of every article in slug order: `first` of them, then twice as many each
    step up to `most`; each step is read when the one before it has been used."""
    after: str | None = None
    step = first
    while True:
        after_clause = "" if after is None else " WHERE slug > :after"
        statement = f"SELECT id, slug FROM articles{after_clause} ORDER BY slug LIMIT :step"
        chunk = list(reader.rows(statement, {"after": after, "step": step}))
        if not chunk:
            return
        yield [row[0] for row in chunk]
        after = chunk[-1][1]
        step = min(step * 2, most)
