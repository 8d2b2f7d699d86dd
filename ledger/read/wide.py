"""Ledger-wide questions in bounded memory: figures in SQL, sources and their uses by batch.

`check --all`, `report --all` and the desk's overview read the whole ledger.
Nothing here holds it: the figures are counted by the database with the SQL
form of the rules (`ledger.read.rules_sql`); articles and sources are read in
key order a batch at a time; for the source checks, the claims that use each
source are gathered a batch of sources at a time (`source_uses`); for the claim
checks, `CLAIM_CANDIDATES` names the claims each check can find something
about, so that only those are loaded and judged (`queries.iter_claim_chunks`).
The answers are those of `report.model.build_report` over the whole ledger:
tests/test_wide.py holds them equal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    TextClause,
    and_,
    bindparam,
    case,
    func,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from ledger.checks import SourceUses
from ledger.claimview import ArticleView, SourceView
from ledger.read import queries, rules_sql
from ledger.read.scoped import judged
from ledger.read.sources import SourceSummary, list_sources, sources_by_key
from ledger.storage.schema import ArticleRow, ClaimRow, EventRow, HopRow, SourceRow
from ledger.vocab import Anonymity, ClaimKind

BATCH = 500
"""Articles, sources or source pairs read at a time."""
CHUNK_FIRST = 8
CHUNK_ARTICLES = 64
"""The most articles whose claims are judged together (a few thousand claims)."""

FIGURE_NAMES = (
    "claims",
    "facts",
    "corroborated",
    "uncorroborated_facts",
    "anonymous_only",
    "contradicted",
    "unattributed_facts",
)
"""The counts behind `report.model.Figures` (opinion and the unnamed share follow from them)."""


def figure_counts(session: Session, threshold: int) -> dict[int, tuple[int, ...]]:
    """Article id -> its live claims' counts, in `FIGURE_NAMES` order, in one statement.

    The rules asked of every claim: what `ledger.read.tallies` keeps counted, so that
    the desk and `report --all` need not; tests and benchmarks hold the two equal.

    Each claim's support is worked out once (a subquery), then summed per
    article; articles with no live claim are absent.
    """
    fact = ClaimRow.kind == ClaimKind.FACT.value
    per_claim = (
        select(
            ClaimRow.article_id.label("article_id"),
            case((fact, 1), else_=0).label("fact"),
            rules_sql.sql_support_size(ClaimRow).label("size"),
            case((rules_sql.sql_anonymous_only(ClaimRow), 1), else_=0).label("anonymous"),
            case((rules_sql.sql_contradicted(ClaimRow), 1), else_=0).label("contradicted"),
        )
        .where(ClaimRow.retracted_reason.is_(None))
        .subquery()
    )
    size, facts = per_claim.c.size, per_claim.c.fact
    statement = select(
        per_claim.c.article_id,
        func.count(),
        func.sum(facts),
        func.sum(case((size >= threshold, 1), else_=0)),
        func.sum(case((and_(facts == 1, size < threshold), 1), else_=0)),
        func.sum(per_claim.c.anonymous),
        func.sum(per_claim.c.contradicted),
        func.sum(case((and_(facts == 1, size < 1), 1), else_=0)),
    ).group_by(per_claim.c.article_id)
    return {
        article_id: tuple(int(value or 0) for value in counts)
        for article_id, *counts in session.execute(statement)
    }


ARTICLE_COLUMNS = ("slug", "title", "outlet", "url", "published", "byline", "text_sha256")


def iter_articles(session: Session) -> Iterator[tuple[int, ArticleView]]:
    """(id, article) of every article in slug order, without their texts, a batch at a time."""
    columns = [ArticleRow.id, *(getattr(ArticleRow, name) for name in ARTICLE_COLUMNS)]
    after: str | None = None
    while True:
        statement = select(*columns).order_by(ArticleRow.slug).limit(BATCH)
        if after is not None:
            statement = statement.where(ArticleRow.slug > after)
        rows = session.execute(statement).all()
        if not rows:
            return
        for article_id, *values in rows:
            yield article_id, _article(values)
        after = rows[-1].slug


def iter_cited_sources(session: Session) -> Iterator[SourceSummary]:
    """`queries.list_sources` of the sources in some chain, in its order, a batch at a time."""
    after: str | None = None
    while True:
        statement = select(SourceRow.key).order_by(SourceRow.key).limit(BATCH)
        if after is not None:
            statement = statement.where(SourceRow.key > after)
        keys = list(session.scalars(statement))
        if not keys:
            return
        for item in list_sources(session, keys=keys):
            if item.originates or item.relays:
                yield item
        after = keys[-1]
        session.expunge_all()


# --- the claims each check can find something about ---------------------------------------------


def _unnamed_origin(claim: Any) -> ColumnElement[bool]:
    return (
        select(HopRow.claim_id)
        .join(SourceRow, SourceRow.id == HopRow.source_id)
        .where(
            HopRow.claim_id == claim.id,
            HopRow.is_origin,
            SourceRow.anonymity != Anonymity.NAMED.value,
        )
        .exists()
    )


def _fact(claim: Any) -> ColumnElement[bool]:
    return claim.kind == ClaimKind.FACT.value


CLAIM_CANDIDATES: dict[str, Callable[[Any, int], ColumnElement[bool]]] = {
    "LS103": lambda claim, _threshold: and_(
        claim.kind == ClaimKind.OPINION.value, _unnamed_origin(claim)
    ),
    "LS106": lambda claim, threshold: and_(
        _fact(claim),
        rules_sql.sql_anonymous_only(claim),
        not_(rules_sql.sql_uncorroborated(claim, threshold)),
    ),
    "LS201": lambda claim, threshold: and_(
        rules_sql.sql_single_intermediary(claim),
        rules_sql.sql_support_size(claim) >= threshold,
    ),
    "LS202": lambda claim, threshold: and_(
        rules_sql.sql_uncorroborated(claim, threshold), rules_sql.sql_support_size(claim) >= 1
    ),
    "LS203": lambda claim, _threshold: and_(_fact(claim), rules_sql.sql_support_size(claim) < 1),
    "LS301": lambda claim, _threshold: rules_sql.sql_contradicted(claim),
}
"""Claim check code -> the SQL condition on a claim that the check needs to find anything:
only those claims are loaded and given to it (the check itself still decides). A check
not named here is given every claim."""

SOURCE_CANDIDATES: dict[str, ColumnElement[bool]] = {
    "LS101": SourceRow.anonymity == Anonymity.ANONYMOUS.value,
    "LS102": SourceRow.anonymity != Anonymity.NAMED.value,
    "LS105": SourceRow.anonymity != Anonymity.NAMED.value,
    "LS107": SourceRow.anonymity.in_([Anonymity.ANONYMOUS.value, Anonymity.PSEUDONYM.value]),
    "LS108": SourceRow.anonymity.in_([Anonymity.ANONYMOUS.value, Anonymity.PSEUDONYM.value]),
}
"""Source check code -> the sources it can find something about (the check still decides).
A check not named here looks at every source."""


def claim_chunks(
    session: Session, code: str | None, threshold: int
) -> Iterator[list[queries.ClaimView]]:
    """The live claims check `code` can find something about (every claim when `code` is
    None or has no SQL condition), judged, a few articles at a time in ledger order."""
    condition = CLAIM_CANDIDATES.get(code or "")
    conditions = [] if condition is None else [condition(ClaimRow, threshold)]
    return queries.iter_claim_chunks(
        session,
        queries.ClaimFilter(),
        *conditions,
        threshold=threshold,
        first=CHUNK_FIRST,
        most=CHUNK_ARTICLES,
    )


def candidate_sources(session: Session, code: str) -> list[str]:
    """The keys of the sources check `code` can find something about, in Python's order
    (the order of `Evidence.cited`, whatever the database's collation)."""
    condition = SOURCE_CANDIDATES.get(code)
    statement = select(SourceRow.key)
    if condition is not None:
        statement = statement.where(condition)
    return sorted(session.scalars(statement))


def batches(items: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- how the sources are used --------------------------------------------------------------------

_CITED = """
SELECT s.key, a.slug || '/' || c.key
FROM hops h JOIN sources s ON s.id = h.source_id
JOIN claims c ON c.id = h.claim_id JOIN articles a ON a.id = c.article_id
WHERE s.key IN :keys AND c.retracted_reason IS NULL
ORDER BY a.slug, c.id
"""
_OWN_UNNAMED = """
SELECT s.key, a.slug || '/' || c.key
FROM hops h JOIN sources s ON s.id = h.source_id
JOIN claims c ON c.id = h.claim_id JOIN articles a ON a.id = c.article_id
WHERE s.key IN :keys AND c.retracted_reason IS NULL
  AND s.anonymity IN ('anonymous', 'pseudonym')
  AND NOT EXISTS (
    SELECT 1 FROM hops r JOIN sources rs ON rs.id = r.source_id
    WHERE r.claim_id = h.claim_id AND r.chain = h.chain AND r.position < h.position
      AND rs.kind = 'outlet')
ORDER BY a.slug, c.id
"""
_GRANTED = """
SELECT s.key, a.slug || '/' || c.key, (
    SELECT rs.label FROM hops r JOIN sources rs ON rs.id = r.source_id
    WHERE r.claim_id = h.claim_id AND r.chain = h.chain AND r.position < h.position
      AND rs.kind = 'outlet'
    ORDER BY r.position DESC LIMIT 1) AS outlet
FROM hops h JOIN sources s ON s.id = h.source_id
JOIN claims c ON c.id = h.claim_id JOIN articles a ON a.id = c.article_id
WHERE s.key IN :keys AND c.retracted_reason IS NULL AND h.is_origin
  AND s.anonymity <> 'named'
ORDER BY a.slug, c.id, h.chain
"""


def _statement(sql: str) -> TextClause:
    return text(sql).bindparams(bindparam("keys", expanding=True))


def source_uses(session: Session, keys: Sequence[str]) -> SourceUses:
    """`SourceUses` of these sources over every live claim of the ledger (`checks.SourceUses.of`
    over all claims, limited to `keys`): each list in ledger order, without repeats.

    The granted anonymity is that of rule 9 (`rules.borrowed_anonymity`): an unnamed
    origin with an outlet before it, the nearest such outlet being the one named.
    """
    if not keys:
        return SourceUses({}, {}, {})
    listed = {"keys": list(keys)}

    def grouped(statement: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, ref in session.execute(_statement(statement), listed):
            refs = found.setdefault(key, [])
            if not refs or refs[-1] != ref:  # a claim's hops come together
                refs.append(ref)
        return dict(sorted(found.items()))

    granted: dict[str, dict[str, list[str]]] = {}
    for key, ref, outlet in session.execute(_statement(_GRANTED), listed):
        if outlet is None:
            continue
        refs = granted.setdefault(key, {}).setdefault(outlet, [])
        if ref not in refs[-1:]:
            refs.append(ref)
    return SourceUses(grouped(_CITED), grouped(_OWN_UNNAMED), granted)


def sources_with_parties(session: Session, keys: Iterable[str]) -> dict[str, SourceView]:
    """The sources of `keys`, and the parties they speak for, transitively (`build_report`'s
    `known` for those keys)."""
    known = sources_by_key(session, keys)
    wanted = {s.speaks_for for s in known.values() if s.speaks_for} - known.keys()
    while wanted:
        found = sources_by_key(session, wanted)
        known.update(found)
        wanted = {s.speaks_for for s in found.values() if s.speaks_for} - known.keys()
    return known


def claim_sources(session: Session, views: Iterable[queries.ClaimView]) -> dict[str, SourceView]:
    """The sources a chunk of claims names: in its chains, and lending it an origin."""
    keys: set[str] = set()
    for view in views:
        keys.update(hop.key for chain in view.chains for hop in chain)
        keys.update(view.verdict.independent_origins)
        keys.update(view.verdict.supporting)
    return sources_with_parties(session, keys)


def flagged_condition(claim: Any, threshold: int) -> ColumnElement[bool]:
    """A claim with at least one flag of `wording.FLAG_LABELS` (what the desk lists)."""
    return or_(
        rules_sql.sql_uncorroborated(claim, threshold),
        rules_sql.sql_anonymous_only(claim),
        rules_sql.sql_contradicted(claim),
        rules_sql.sql_single_intermediary(claim),
        rules_sql.sql_borrowed_anonymity(claim),
    )


# --- the desk: pages of the ledger-wide lists ----------------------------------------------------


def ledger_head(session: Session) -> int:
    """The last event of the audit trail: every change to the ledger moves it, so figures
    worked out at one head hold until it moves."""
    return int(session.scalar(select(func.max(EventRow.seq))) or 0)


def sources_changed_since(session: Session, head: int) -> bool:
    """Whether a source or alias was added, changed or removed after event `head` (or the
    trail is shorter than `head`: another ledger, or one restored from a copy)."""
    if ledger_head(session) < head:
        return True
    changed = select(EventRow.seq).where(
        EventRow.seq > head, EventRow.entity.in_(("source", "alias"))
    )
    return session.scalar(changed.limit(1)) is not None


def count_flagged(session: Session, threshold: int) -> int:
    """How many live claims have at least one flag, asked of every claim (the reference
    `ledger.read.tallies.count_flagged` is held to)."""
    statement = select(func.count()).where(
        ClaimRow.retracted_reason.is_(None), flagged_condition(ClaimRow, threshold)
    )
    return int(session.scalar(statement) or 0)


def _status_rank(claim: Any, threshold: int) -> ColumnElement[int]:
    """Worst first: unattributed 0, single source 1, corroborated 2."""
    size = rules_sql.sql_support_size(claim)
    return case((size < 1, 0), (size < threshold, 1), else_=2)


def _flag_count(claim: Any, threshold: int) -> ColumnElement[int]:
    flags = [
        rules_sql.sql_uncorroborated(claim, threshold),
        rules_sql.sql_anonymous_only(claim),
        rules_sql.sql_contradicted(claim),
        rules_sql.sql_single_intermediary(claim),
        rules_sql.sql_borrowed_anonymity(claim),
    ]
    total: ColumnElement[int] = case((flags[0], 1), else_=0)
    for flag in flags[1:]:
        total = total + case((flag, 1), else_=0)
    return total


SQL_SORTS = ("article", "claim", "status", "flags")
"""The desk's sort columns the database orders (ties in ledger order)."""


def flagged_page(
    session: Session,
    threshold: int,
    *,
    sort: str = "article",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> list[queries.ClaimView]:
    """One page of the flagged live claims, sorted by a column of `SQL_SORTS`, ties in
    ledger order (article slug, then entry), as a stable sort of the ledger's claims gives.

    In ledger order the articles are walked a few at a time and the walk stops once the
    page is full; other orders rank every flagged claim in the database.
    """
    flagged = flagged_condition(ClaimRow, threshold)
    if sort == "article" and not descending:
        criteria = queries.ClaimFilter()
        matching = (
            select(ClaimRow.id)
            .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
            .where(ClaimRow.retracted_reason.is_(None), flagged)
            .order_by(ArticleRow.slug, ClaimRow.id)
        )
        ids = queries.walk_articles(session, matching, offset + limit)[offset:]
    else:
        keys = {
            "article": ArticleRow.slug,
            "claim": ClaimRow.key,
            "status": _status_rank(ClaimRow, threshold),
            "flags": _flag_count(ClaimRow, threshold),
        }
        first = keys[sort].desc() if descending else keys[sort]
        statement = (
            select(ClaimRow.id)
            .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
            .where(ClaimRow.retracted_reason.is_(None), flagged)
            .order_by(first, ArticleRow.slug, ClaimRow.id)
            .offset(offset)
            .limit(limit)
        )
        ids = list(session.scalars(statement))
        criteria = queries.ClaimFilter()
    if not ids:
        return []
    views = {
        view.ref: view
        for view in judged(session, ids, threshold=threshold, accept=criteria.accepts)
    }
    refs = dict(
        session.execute(
            select(ClaimRow.id, ArticleRow.slug + "/" + ClaimRow.key)
            .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
            .where(ClaimRow.id.in_(ids))
        ).all()
    )
    return [views[refs[claim_id]] for claim_id in ids if refs[claim_id] in views]


def claim_numbers(session: Session, refs: Sequence[str]) -> dict[str, int]:
    """Each claim's number in its article (1 for its first live claim), by `SLUG/KEY`."""
    numbers: dict[str, int] = {}
    for ref in refs:
        slug, _, key = ref.partition("/")
        article = select(ArticleRow.id).where(ArticleRow.slug == slug).scalar_subquery()
        own = (
            select(ClaimRow.id)
            .where(ClaimRow.article_id == article, ClaimRow.key == key)
            .scalar_subquery()
        )
        numbers[ref] = int(
            session.scalar(
                select(func.count()).where(
                    ClaimRow.article_id == article,
                    ClaimRow.retracted_reason.is_(None),
                    ClaimRow.id <= own,
                )
            )
            or 0
        )
    return numbers


def article_page(session: Session, offset: int, limit: int) -> list[tuple[int, ArticleView]]:
    """(id, article) of one page of the articles in slug order, without their texts."""
    columns = [ArticleRow.id, *(getattr(ArticleRow, name) for name in ARTICLE_COLUMNS)]
    rows = session.execute(select(*columns).order_by(ArticleRow.slug).offset(offset).limit(limit))
    return [(article_id, _article(values)) for article_id, *values in rows]


def _article(values: Sequence[Any]) -> ArticleView:
    """An article of `ARTICLE_COLUMNS` (no text)."""
    return ArticleView(**dict(zip(ARTICLE_COLUMNS, values, strict=True)))


def count_rows(session: Session, table: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def source_page(session: Session, offset: int, limit: int) -> list[SourceSummary]:
    """One page of `queries.list_sources`, in its order (by key)."""
    keys = list(
        session.scalars(select(SourceRow.key).order_by(SourceRow.key).offset(offset).limit(limit))
    )
    return list_sources(session, keys=keys) if keys else []
