"""Reading the ledger: the ledger-wide questions, in SQL, and the scoped ones re-exported.

The questions of one claim, article or source live in `ledger.read.scoped`
(SQL text, for any reader); this module adds those of the whole ledger, which
ask the SQL form of the rules (`ledger.read.rules_sql`) through SQLAlchemy.

Claims are gathered in a fixed, small number of queries whatever their count
(claims, hops, links, corroborating origins), then judged by `ledger.rules`.
Filters on the verdict (uncorroborated, anonymous-only, contradicted) are
applied to the judged claims, so they always agree with the rules module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ledger.claimview import ClaimView
from ledger.read import rules_sql
from ledger.read.scoped import ArticleSummary as ArticleSummary
from ledger.read.scoped import ClaimFilter, article_id, claim_views, judged
from ledger.read.scoped import claim_view as claim_view
from ledger.read.scoped import get_article as get_article
from ledger.read.scoped import list_articles as list_articles
from ledger.read.sourcekeys import canonical_key
from ledger.storage.schema import ArticleRow, ClaimRow, HopRow, SourceRow


def _claim_ids(session: Session, criteria: ClaimFilter) -> Select[tuple[int]]:
    """`scoped.claim_ids` as a subquery, for the ledger-wide questions' SQL rules to narrow."""
    statement = select(ClaimRow.id)
    if not criteria.include_retracted:
        statement = statement.where(ClaimRow.retracted_reason.is_(None))
    if criteria.article is not None:
        statement = statement.where(ClaimRow.article_id == article_id(session, criteria.article))
    if criteria.source is not None:
        source_key = canonical_key(session, criteria.source)
        source_id = session.scalar(select(SourceRow.id).where(SourceRow.key == source_key))
        statement = statement.where(
            ClaimRow.id.in_(select(HopRow.claim_id).where(HopRow.source_id == source_id))
        )
    return statement


def _views(
    session: Session,
    ids: Select[tuple[int]],
    *,
    threshold: int,
    accept: Any,
    include_retracted: bool,
) -> list[ClaimView]:
    """Gather and judge the claims `ids` selects, through the one read path (`gather`)."""
    return judged(
        session,
        list(session.scalars(ids)),
        threshold=threshold,
        accept=accept,
        include_retracted=include_retracted,
    )


# --- articles and sources ----------------------------------------------------------------------


# --- ledger-wide questions, answered in SQL ----------------------------------------------------
#
# `claim_views` judges claims in Python, which is right for an article or a source
# (a few hundred claims) and wrong for the whole ledger (a million). These two
# ask the SQL form of the rules (`ledger.read.rules_sql`) instead: the database counts, and
# only the claims of the page asked for are loaded and judged by `claim_views`'s
# machinery. Retracted claims are never counted here; with `include_retracted`
# both fall back to judging every matching claim in Python.

PAGE_WALK_FIRST = 32  # articles read in the first step of a page walk; doubled each step
PAGE_WALK_MAX = 4096


def _flag_conditions(criteria: ClaimFilter, threshold: int) -> list[Any]:
    conditions = []
    if criteria.uncorroborated:
        conditions.append(rules_sql.sql_uncorroborated(ClaimRow, threshold))
    if criteria.anonymous_only:
        conditions.append(rules_sql.sql_anonymous_only(ClaimRow))
    if criteria.contradicted:
        conditions.append(rules_sql.sql_contradicted(ClaimRow))
    return conditions


def count_flagged(
    session: Session,
    criteria: ClaimFilter = ClaimFilter(uncorroborated=True),
    *,
    threshold: int = 2,
) -> int:
    """How many claims match `criteria` (by default: the uncorroborated facts of the ledger)."""
    if criteria.include_retracted:
        return len(claim_views(session, criteria, threshold=threshold))
    matching = _claim_ids(session, criteria).where(*_flag_conditions(criteria, threshold))
    return int(session.scalar(select(func.count()).select_from(matching.subquery())) or 0)


def flagged_page(
    session: Session,
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
    if criteria.include_retracted:
        return claim_views(session, criteria, threshold=threshold)[offset : offset + limit]
    matching = (
        _claim_ids(session, criteria)
        .where(*_flag_conditions(criteria, threshold))
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .order_by(ArticleRow.slug, ClaimRow.id)
    )
    if criteria.article is not None or criteria.source is not None:
        ids = list(session.scalars(matching.offset(offset).limit(limit)))
    else:
        ids = walk_articles(session, matching, offset + limit)[offset:]
    if not ids:
        return []
    return _views(
        session,
        select(ClaimRow.id).where(ClaimRow.id.in_(ids)),
        threshold=threshold,
        accept=criteria.accepts,
        include_retracted=False,
    )


STREAM_FIRST = 16  # articles judged before the first claim of a ledger-wide stream is out
STREAM_MAX = 512


def iter_claim_views(
    session: Session, criteria: ClaimFilter = ClaimFilter(), *, threshold: int = 2
) -> Iterator[ClaimView]:
    """What `claim_views` returns, as it comes, in bounded memory, in the same order.

    Scoped to an article or a source the answer is small and is judged at once.
    Ledger-wide, articles are walked in slug order, a growing handful at a time;
    the verdict filters are asked of the SQL form of the rules first, so only
    the claims that match are loaded and judged (and judged again in Python,
    which the SQL form is held equal to).
    """
    if criteria.article is not None or criteria.source is not None:
        yield from claim_views(session, criteria, threshold=threshold)
        return
    conditions = [] if criteria.include_retracted else _flag_conditions(criteria, threshold)
    for chunk in iter_claim_chunks(session, criteria, *conditions, threshold=threshold):
        yield from chunk


def iter_claim_chunks(
    session: Session,
    criteria: ClaimFilter,
    *conditions: Any,
    threshold: int = 2,
    first: int = STREAM_FIRST,
    most: int = STREAM_MAX,
) -> Iterator[list[ClaimView]]:
    """The claims of the whole ledger matching `criteria` and the SQL `conditions` (on
    `ClaimRow`), judged, a growing handful of articles at a time in slug order: the
    claims of one step are all in memory together, never the ledger's."""
    matching = _claim_ids(session, criteria).where(*conditions)
    for article_ids in _article_steps(session, first, most):
        chunk = _views(
            session,
            matching.where(ClaimRow.article_id.in_(article_ids)),
            threshold=threshold,
            accept=criteria.accepts,
            include_retracted=criteria.include_retracted,
        )
        session.expunge_all()
        if chunk:
            yield chunk


def walk_articles(session: Session, matching: Select[tuple[int]], wanted: int) -> list[int]:
    """The first `wanted` ids of `matching`, reading articles in slug order, step by step."""
    ids: list[int] = []
    if wanted <= 0:
        return ids
    for article_ids in _article_steps(session, PAGE_WALK_FIRST, PAGE_WALK_MAX):
        scoped = matching.where(ClaimRow.article_id.in_(article_ids))
        ids += session.scalars(scoped.limit(wanted - len(ids)))
        if len(ids) >= wanted:
            break
    return ids


def _article_steps(session: Session, first: int, most: int) -> Iterator[list[int]]:
    """The ids of every article in slug order: `first` of them, then twice as many each
    step up to `most`; each step is read when the one before it has been used."""
    after: str | None = None
    step = first
    while True:
        articles = select(ArticleRow.id, ArticleRow.slug).order_by(ArticleRow.slug).limit(step)
        if after is not None:
            articles = articles.where(ArticleRow.slug > after)
        chunk = session.execute(articles).all()
        if not chunk:
            return
        yield [row.id for row in chunk]
        after = chunk[-1].slug
        step = min(step * 2, most)
