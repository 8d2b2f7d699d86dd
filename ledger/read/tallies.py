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
from typing import TYPE_CHECKING, Any

from ledger.read import rules_sql
from ledger.storage.reader import in_ids, in_params, reader_of, scalar
from ledger.vocab import ClaimKind, Relation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ledger.storage.reader import Readable, Reader

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


def refresh_pending(session: Session) -> None:
    """Count again the articles the transaction's changes may have touched (before commit:
    `ledger.audit.trail` listens with this to every session's commit)."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()
    articles = _touched_articles(reader_of(session), *pending)
    if len(articles) > CHUNK:
        _refresh_statistics(session)
    for start in range(0, len(articles), CHUNK):
        _count(session, articles[start : start + CHUNK])


def rebuild(session: Session) -> None:
    """Count every article again (after an upgrade to the schema that brought the tallies)."""
    _write(session, "DELETE FROM claim_tallies")
    ids = [row[0] for row in reader_of(session).rows("SELECT id FROM articles ORDER BY id")]
    for start in range(0, len(ids), CHUNK):
        _count(session, ids[start : start + CHUNK])


def _touched_articles(
    reader: Reader, slugs: set[str], moved: set[str], sources: set[str]
) -> list[int]:
    """The ids of the articles named, of those citing the changed sources' parties, and of
    those linked to a claim of an article whose claims' own standing moved (`moved`, and
    the articles citing the sources)."""
    named: set[int] = set()
    articles: set[int] = set()  # those whose linked articles are counted too
    for chunk in _chunks(sorted(slugs)):
        condition, params = in_params("slug", "slug", chunk)
        for article_id, slug in reader.rows(
            f"SELECT id, slug FROM articles WHERE {condition}", params
        ):
            named.add(article_id)
            if slug in moved:
                articles.add(article_id)
    if sources:
        for chunk in _chunks(sorted(_claims_citing_parties(reader, sources))):
            statement = f"SELECT DISTINCT article_id FROM claims WHERE {in_ids('id', chunk)}"
            articles.update(_column(reader, statement))
    linked = named | articles
    for chunk in _chunks(sorted(articles)):
        for near, far in (("from_claim_id", "to_claim_id"), ("to_claim_id", "from_claim_id")):
            statement = (
                "SELECT DISTINCT there.article_id FROM links l"
                f" JOIN claims here ON here.id = l.{near} JOIN claims there ON there.id = l.{far}"
                f" WHERE {in_ids('here.article_id', chunk)}"
            )
            linked.update(_column(reader, statement))
    return sorted(linked)


def _claims_citing_parties(reader: Reader, keys: set[str]) -> set[int]:
    """Claims with a hop on any source of the parties of `keys` (aliases resolved)."""
    wanted = set(keys)
    for chunk in _chunks(sorted(keys)):
        condition, params = in_params("key", "key", chunk)
        wanted.update(
            _column(reader, f"SELECT source FROM source_aliases WHERE {condition}", params)
        )
    parties = set(wanted)
    for chunk in _chunks(sorted(wanted)):
        condition, params = in_params("key", "key", chunk)
        statement = f"SELECT COALESCE(party, key) FROM sources WHERE {condition}"
        parties.update(_column(reader, statement, params))
    members: set[int] = set()
    for chunk in _chunks(sorted(parties)):
        listed = [in_params(column, "key", chunk) for column in ("key", "party", "speaks_for")]
        either = " OR ".join(condition for condition, _params in listed)
        members.update(_column(reader, f"SELECT id FROM sources WHERE {either}", listed[0][1]))
    claims: set[int] = set()
    for chunk in _chunks(sorted(members)):
        statement = f"SELECT DISTINCT claim_id FROM hops WHERE {in_ids('source_id', chunk)}"
        claims.update(_column(reader, statement))
    return claims


SHAPE = ("article_id", "fact", "support", "anonymous_only", "contradicted", "chain_flag")
"""The columns that make a verdict shape, then `claims`: how many live claims have it."""


def counted(article_ids: Sequence[int] | None) -> str:
    """The live claims of these articles (every article: None) counted by verdict shape, in
    `SHAPE` order and then the count: the rules' SQL form asked of each claim, grouped."""
    where = "c.retracted_reason IS NULL"
    if article_ids is not None:
        where += f" AND {in_ids('c.article_id', article_ids)}"
    per_claim = (
        f"SELECT c.article_id AS article_id, c.kind = '{ClaimKind.FACT.value}' AS fact,"
        f" {rules_sql.support_size('c')} AS support,"
        f" {rules_sql.anonymous_only('c')} AS anonymous_only,"
        f" {rules_sql.contradicted('c')} AS contradicted,"
        f" ({rules_sql.single_intermediary('c')} OR {rules_sql.borrowed_anonymity('c')})"
        f" AS chain_flag FROM claims c WHERE {where}"
    )
    shape = ", ".join(SHAPE)
    return f"SELECT {shape}, COUNT(*) FROM ({per_claim}) per_claim GROUP BY {shape}"


def _count(session: Session, article_ids: list[int]) -> None:
    """Replace the tallies of these articles by a count of their live claims."""
    _write(session, f"DELETE FROM claim_tallies WHERE {in_ids('article_id', article_ids)}")
    _write(
        session,
        f"INSERT INTO claim_tallies ({', '.join(SHAPE)}, claims) {counted(article_ids)}",
    )


def _refresh_statistics(session: Session) -> None:
    """Before counting many articles on PostgreSQL, let its planner see the rows the
    transaction wrote (ANALYZE may run in a transaction, and counts the rows it
    inserted): planned from the statistics of an emptier ledger, the rules' SQL form
    reads whole tables for each claim, and the tallies of a million imported claims
    took minutes for every 500 articles. SQLite plans from its indexes."""
    if session.get_bind().dialect.name == "postgresql":
        _write(session, "ANALYZE articles, sources, claims, hops, links")


def _write(session: Session, statement: str) -> None:
    session.connection().exec_driver_sql(statement)


def disagreeing_articles(db: Readable) -> list[int]:
    """The articles whose kept tallies are not what counting their claims now gives
    (`ledger verify`: nothing a write does leaves them so; an edit past the ledger may)."""
    reader = reader_of(db)

    def shapes(rows: Iterable[Sequence[Any]]) -> dict[tuple[Any, ...], int]:
        return {(row[0], *(int(value) for value in row[1:-1])): int(row[-1]) for row in rows}

    kept = shapes(reader.rows(f"SELECT {', '.join(SHAPE)}, claims FROM claim_tallies"))
    now = shapes(reader.rows(counted(None)))
    return sorted(
        {key[0] for key in kept.keys() ^ now.keys()}
        | {key[0] for key in kept.keys() & now.keys() if kept[key] != now[key]}
    )


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _column(reader: Reader, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
    return [row[0] for row in reader.rows(statement, params)]


# --- reading ------------------------------------------------------------------------------------

_TRUE = "CASE WHEN {} THEN claims ELSE 0 END"
FIGURE_SUMS = ", ".join(
    f"SUM({_TRUE.format(condition)})"
    for condition in (
        "1 = 1",  # claims
        "fact",
        "support >= :threshold",  # corroborated
        "fact AND support < :threshold",  # uncorroborated facts
        "anonymous_only",
        "contradicted",
        "fact AND support < 1",  # unattributed facts
    )
)
"""The counts of `ledger.read.wide.FIGURE_NAMES`, in order, summed over tally rows (with a
`:threshold` parameter)."""
FLAGGED_SUM = "SUM({})".format(
    _TRUE.format("(fact AND support < :threshold) OR anonymous_only OR contradicted OR chain_flag")
)
"""How many live claims have at least one flag (`ledger.read.rules_sql.flagged`), summed over
tally rows (with a `:threshold` parameter)."""


def figure_counts(db: Readable, threshold: int) -> dict[int, tuple[int, ...]]:
    """Article id -> its live claims' counts in `ledger.read.wide.FIGURE_NAMES` order (claims,
    facts, corroborated, uncorroborated facts, anonymous only, contradicted, unattributed
    facts); articles with no live claim are absent."""
    statement = f"SELECT article_id, {FIGURE_SUMS} FROM claim_tallies GROUP BY article_id"
    return {
        article_id: tuple(int(value or 0) for value in counts)
        for article_id, *counts in reader_of(db).rows(statement, {"threshold": threshold})
    }


def count_flagged(db: Readable, threshold: int) -> int:
    """How many live claims have at least one flag (`ledger.read.rules_sql.flagged`)."""
    statement = f"SELECT {FLAGGED_SUM} FROM claim_tallies"
    return int(scalar(reader_of(db), statement, {"threshold": threshold}) or 0)
