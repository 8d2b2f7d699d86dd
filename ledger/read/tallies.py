"""Ledger-wide figures kept as tallies: a few rows per article, refreshed by every write.

The editor's desk and `report --all` open on figures of the whole ledger: how
many claims, facts, corroborated, uncorroborated, on unnamed sources only,
contradicted. Asking the SQL form of the rules (`ledger.read.rules_sql`) of a
million claims takes tens of seconds. So each write transaction, before it
commits, works out which articles' verdicts it may have changed and counts
their live claims again by verdict shape (`claim_tallies`: fact or not, support,
anonymous only, contradicted, a flag of the chains); figures for any threshold are then sums over
those rows. The rules stay in one place: the tallies are their SQL form,
grouped, and tests hold them equal to judging every claim.

Which articles a write may have changed: those it names (claims, articles,
links at both ends), those citing a source it changed or any source of that
source's party (a party's members are counted as one), and, one step out,
those holding a claim linked to a claim of theirs (support lent, contradictions).
The step out is taken only from articles whose claims' own standing may have
moved (their chains, kind, liveness, or their sources' parties): a write that
only adds (a new article, new claims, links) moves nothing beyond the articles
it names, since a new claim had no link before this write, and every link
written or removed names both its ends. An import of a thousand new articles,
each linking to a few earlier ones, so counts each file's article and the
articles its links reach, not every article linked to those.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from ledger.read import rules_sql
from ledger.storage.schema import (
    ArticleRow,
    ClaimRow,
    ClaimTallyRow,
    HopRow,
    LinkRow,
    SourceAliasRow,
    SourceRow,
)
from ledger.vocab import ClaimKind, Relation

CHUNK = 500
SOURCE_CHANGES = frozenset({"source.edit", "source.merge", "source.delete"})
"""What done to a source may move verdicts in articles the write does not name. A new
source (added, or brought by an import) is cited only by the claims written with it."""
ADDITIONS = frozenset({"import", "import.merge", "article.add", "claim.add"})
"""What done to an article or a claim only adds one: a new claim has no link yet but those
written with it (each names both its ends), so no claim of another article leans on it."""
VERDICT_RELATIONS = frozenset({Relation.CORROBORATES.value, Relation.CONTRADICTS.value})
"""The links the rules read (support lent, contradictions); `refines` moves no verdict, so
the far end of such a link is not counted again for it."""
PENDING = "ledger_tally_changes"
"""`session.info` key: the article slugs the transaction's changes named, those of them whose
claims' own standing may have moved (counted, and one step out along links), and the source
keys it changed."""


def note(session: Session, changes: Iterable[Any]) -> None:
    """Remember what a write changed (`ledger.audit.trail.record` calls this for each batch):
    three sets, whatever the size of the write (a million claims name a few thousand articles)."""
    slugs, moved, sources = session.info.setdefault(PENDING, (set(), set(), set()))
    for change in changes:
        if change.article:
            slugs.add(change.article)
            if not _adds_only(change):
                moved.add(change.article)
        if change.entity == "link":  # FROM RELATION TO: the far end's article too
            _from, relation, to = change.key.rsplit(" ", 2)
            if relation in VERDICT_RELATIONS:
                slugs.add(to.partition("/")[0])
        elif change.entity in ("source", "alias") and change.action in SOURCE_CHANGES:
            sources.add(change.key)


def _adds_only(change: Any) -> bool:
    """A link written or removed (both ends named), or a new article or claim: nothing in
    another article than those named leans on what it changed."""
    if change.entity == "link":
        return True
    return change.entity in ("article", "claim") and change.action in ADDITIONS


@event.listens_for(Session, "before_commit")
def refresh_pending(session: Session) -> None:
    """Count again the articles the transaction's changes may have touched (before commit)."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()
    articles = _touched_articles(session, *pending)
    for start in range(0, len(articles), CHUNK):
        _count(session, articles[start : start + CHUNK])


def rebuild(session: Session) -> None:
    """Count every article again (after an upgrade to the schema that brought the tallies)."""
    session.execute(delete(ClaimTallyRow))
    ids = list(session.scalars(select(ArticleRow.id).order_by(ArticleRow.id)))
    for start in range(0, len(ids), CHUNK):
        _count(session, ids[start : start + CHUNK])


def _touched_articles(
    session: Session, slugs: set[str], moved: set[str], sources: set[str]
) -> list[int]:
    """The ids of the articles named, of those citing the changed sources' parties, and of
    those linked to a claim of an article whose claims' own standing moved (`moved`, and
    the articles citing the sources)."""
    named: set[int] = set()
    articles: set[int] = set()  # those whose linked articles are counted too
    for chunk in _chunks(sorted(slugs)):
        for article_id, slug in session.execute(
            select(ArticleRow.id, ArticleRow.slug).where(ArticleRow.slug.in_(chunk))
        ):
            named.add(article_id)
            if slug in moved:
                articles.add(article_id)
    if sources:
        claims = sorted(_claims_citing_parties(session, sources))
        for chunk in _chunks(claims):
            articles.update(
                session.scalars(
                    select(ClaimRow.article_id).where(ClaimRow.id.in_(chunk)).distinct()
                )
            )
    linked = named | articles
    here, there = aliased(ClaimRow), aliased(ClaimRow)
    for chunk in _chunks(sorted(articles)):
        for near, far in (
            (LinkRow.from_claim_id, LinkRow.to_claim_id),
            (LinkRow.to_claim_id, LinkRow.from_claim_id),
        ):
            linked.update(
                session.scalars(
                    select(there.article_id)
                    .select_from(LinkRow)
                    .join(here, here.id == near)
                    .join(there, there.id == far)
                    .where(here.article_id.in_(chunk))
                    .distinct()
                )
            )
    return sorted(linked)


def _claims_citing_parties(session: Session, keys: set[str]) -> set[int]:
    """Claims with a hop on any source of the parties of `keys` (aliases resolved)."""
    wanted = set(keys)
    for chunk in _chunks(sorted(keys)):
        wanted.update(
            session.scalars(select(SourceAliasRow.source).where(SourceAliasRow.key.in_(chunk)))
        )
    parties = set(wanted)
    for chunk in _chunks(sorted(wanted)):
        parties.update(
            session.scalars(
                select(func.coalesce(SourceRow.party, SourceRow.key)).where(
                    SourceRow.key.in_(chunk)
                )
            )
        )
    members: set[int] = set()
    for chunk in _chunks(sorted(parties)):
        members.update(
            session.scalars(
                select(SourceRow.id).where(
                    or_(
                        SourceRow.key.in_(chunk),
                        SourceRow.party.in_(chunk),
                        SourceRow.speaks_for.in_(chunk),
                    )
                )
            )
        )
    claims: set[int] = set()
    for chunk in _chunks(sorted(members)):
        claims.update(
            session.scalars(select(HopRow.claim_id).where(HopRow.source_id.in_(chunk)).distinct())
        )
    return claims


SHAPE = ("article_id", "fact", "support", "anonymous_only", "contradicted", "chain_flag")
"""The columns that make a verdict shape, then `claims`: how many live claims have it."""


def _counted(article_ids: list[int] | None) -> Any:
    """The live claims of these articles (every article: None) counted by verdict shape, in
    `SHAPE` order and then the count: the rules' SQL form asked of each claim, grouped."""
    where = [ClaimRow.retracted_reason.is_(None)]
    if article_ids is not None:
        where.append(ClaimRow.article_id.in_(article_ids))
    per_claim = (
        select(
            ClaimRow.article_id.label("article_id"),
            (ClaimRow.kind == ClaimKind.FACT.value).label("fact"),
            rules_sql.sql_support_size(ClaimRow).label("support"),
            rules_sql.sql_anonymous_only(ClaimRow).label("anonymous_only"),
            rules_sql.sql_contradicted(ClaimRow).label("contradicted"),
            or_(
                rules_sql.sql_single_intermediary(ClaimRow),
                rules_sql.sql_borrowed_anonymity(ClaimRow),
            ).label("chain_flag"),
        )
        .where(*where)
        .subquery()
    )
    shape = [per_claim.c[name] for name in SHAPE]
    return select(*shape, func.count()).group_by(*shape)


def _count(session: Session, article_ids: list[int]) -> None:
    """Replace the tallies of these articles by a count of their live claims."""
    remove, add = _recount()
    connection = session.connection()
    connection.execute(remove, {"article_ids": article_ids})
    connection.execute(add, {"article_ids": article_ids})


@cache
def _recount() -> tuple[Any, Any]:
    """`_count`'s two statements, built once: building the rules' expression for every
    write took longer than SQLite took to answer it for an article of a hundred claims."""
    ids = bindparam("article_ids", expanding=True)
    return (
        delete(ClaimTallyRow).where(ClaimTallyRow.article_id.in_(ids)),
        insert(ClaimTallyRow).from_select([*SHAPE, "claims"], _counted(ids)),  # type: ignore[arg-type]
    )


def disagreeing_articles(session: Session) -> list[int]:
    """The articles whose kept tallies are not what counting their claims now gives
    (`ledger verify`: nothing a write does leaves them so; an edit past the ledger may)."""

    def shapes(rows: Iterable[Sequence[Any]]) -> dict[tuple[Any, ...], int]:
        return {(row[0], *(int(value) for value in row[1:-1])): int(row[-1]) for row in rows}

    kept = shapes(
        session.execute(select(*(getattr(ClaimTallyRow, n) for n in SHAPE), ClaimTallyRow.claims))
    )
    counted = shapes(session.execute(_counted(None)))
    return sorted(
        {key[0] for key in kept.keys() ^ counted.keys()}
        | {key[0] for key in kept.keys() & counted.keys() if kept[key] != counted[key]}
    )


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- reading ------------------------------------------------------------------------------------


def figure_counts(session: Session, threshold: int) -> dict[int, tuple[int, ...]]:
    """Article id -> its live claims' counts in `ledger.read.wide.FIGURE_NAMES` order (claims,
    facts, corroborated, uncorroborated facts, anonymous only, contradicted, unattributed
    facts); articles with no live claim are absent."""
    t = ClaimTallyRow
    fact = cast(t.fact, Integer) == 1

    def total(condition: Any) -> Any:
        return func.sum(case((condition, t.claims), else_=0))

    statement = select(
        t.article_id,
        func.sum(t.claims),
        total(fact),
        total(t.support >= threshold),
        total(and_(fact, t.support < threshold)),
        total(cast(t.anonymous_only, Integer) == 1),
        total(cast(t.contradicted, Integer) == 1),
        total(and_(fact, t.support < 1)),
    ).group_by(t.article_id)
    return {
        article_id: tuple(int(value or 0) for value in counts)
        for article_id, *counts in session.execute(statement)
    }


def count_flagged(session: Session, threshold: int) -> int:
    """How many live claims have at least one flag (`ledger.read.wide.flagged_condition`)."""
    t = ClaimTallyRow
    flagged = or_(
        and_(cast(t.fact, Integer) == 1, t.support < threshold),
        cast(t.anonymous_only, Integer) == 1,
        cast(t.contradicted, Integer) == 1,
        cast(t.chain_flag, Integer) == 1,
    )
    return int(session.scalar(select(func.sum(case((flagged, t.claims), else_=0)))) or 0)
