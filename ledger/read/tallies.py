"""Ledger-wide figures kept as tallies: a few rows per article, refreshed by every write.

The editor's desk and `report --all` open on figures of the whole ledger: how
many claims, facts, corroborated, uncorroborated, on unnamed sources only,
contradicted. Asking the SQL form of the rules (`ledger.read.rules_sql`) of a
million claims takes tens of seconds. So each live claim's verdict shape is kept
(`claim_shapes`: fact or not, support, anonymous only, contradicted, a flag of
the chains) and each article's claims are counted by shape (`claim_tallies`);
figures for any threshold are then sums over those rows. Each write transaction,
before it commits, works out which claims' verdicts it may have changed and
shapes them again. The rules stay in one place: the shapes are their SQL form,
and tests hold the tallies equal to judging every claim.

Which claims a write may have changed. A write that only adds (a new article,
new claims, links written or removed) changes the claims it names and, for a
`corroborates` or `contradicts` link, the claim at its far end: a new claim had
no link before this write, and every link names both its ends. Those claims are
shaped again one by one: each one's old shape is taken off its article's tallies
and its new one put on, so an import of a thousand new articles, each linking to
a few earlier claims, shapes each file's claims and the few it links to, not
every claim of every article it reached. Any other write (an edit, a retraction,
a replacement, a waiver, a change to a source) moves whole articles: those it
names, those citing a source it changed or any source of that source's party (a
party's members are counted as one), and, one step out, those holding a claim
linked to a claim of theirs (support lent, contradictions). Those are counted
again whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ledger.read import rules_sql
from ledger.storage.pending import kept, taken
from ledger.storage.reader import LAST_ID, in_ids, in_params, reader_of, scalar
from ledger.vocab import ClaimKind, Relation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ledger.storage.reader import Readable, Reader

CHUNK = 500
LARGE = 50_000
"""Claims shaped again one by one in a transaction beyond which PostgreSQL's statistics are
refreshed first (`_refresh_statistics`): a JSON Lines import of a hundred thousand."""
SOURCE_CHANGES = frozenset({"source.edit", "source.merge", "source.delete"})
"""What done to a source may move verdicts in articles the write does not name. A new
source (added, or brought by an import) is cited only by the claims written with it."""
ADDITIONS = frozenset({"import", "import.merge", "article.add", "claim.add"})
"""What done to an article or a claim only adds one: a new claim has no link yet but those
written with it (each names both its ends), so no claim of another article leans on it."""
VERDICT_RELATIONS = frozenset({Relation.CORROBORATES.value, Relation.CONTRADICTS.value})
"""The links the rules read (support lent, contradictions); `refines` moves no verdict, so
the far end of such a link is not shaped again for it."""
PENDING = "ledger_tally_changes"
"""`session.info` key: what the transaction's changes named: the slugs of the articles whose
claims' own standing may have moved, the claims (`slug/key`) it only added or linked, and
the source keys it changed."""


def note(session: Session, changes: Iterable[Any]) -> None:
    """Remember what a write changed (`ledger.audit.trail.record` calls this for each batch):
    three sets, whatever the size of the write."""
    moved, claims, sources = kept(session, PENDING, lambda: (set(), set(), set()))
    for change in changes:
        if change.entity == "link":  # FROM RELATION TO: both ends' verdicts may move
            start, relation, end = change.key.rsplit(" ", 2)
            claims.add(start)
            if relation in VERDICT_RELATIONS:
                claims.add(end)
        elif change.entity == "claim" and change.action in ADDITIONS:
            claims.add(change.key)
        elif change.entity == "article" and change.action in ADDITIONS:
            continue  # a new article moves nothing but its claims, each named
        elif change.entity in ("source", "alias"):
            if change.action in SOURCE_CHANGES:
                sources.add(change.key)
        elif change.article:
            moved.add(change.article)


def refresh_pending(session: Session) -> None:
    """Shape again the claims the transaction's changes may have touched (before commit:
    `ledger.audit.trail` listens with this to every session's commit).

    SQLAlchemy calls this on releasing a savepoint too (each file of a many-file import):
    the notes then wait for the transaction's own commit (`ledger.storage.pending`), so
    the claims of a group of files are shaped and their tallies moved once, not once a
    file, and a savepoint undone around a released one takes no tallies with it. What a
    savepoint rolled back had noted is harmless: its claims are no longer in the ledger
    (passed over), and the far ends of its links are shaped again to what they already were.
    """
    pending = taken(session, PENDING)
    if not pending:
        return
    moved, claim_refs, sources = pending
    session.flush()
    reader = reader_of(session)
    articles = _touched_articles(reader, moved, sources)
    claims = _claim_ids(reader, claim_refs, set(articles))
    if len(articles) > CHUNK or len(claims) > LARGE:
        _refresh_statistics(session)
    for chunk in _chunks(articles):
        _count_articles(session, chunk)
    moves: Counter[Shape] = Counter()
    for chunk in _chunks(claims):
        moves.update(_shape_claims(session, reader, chunk))  # adds, negative counts too
    if any(moves.values()):
        _move_tallies(session, moves)


def rebuild(session: Session) -> None:
    """Shape and count every claim again (after an upgrade to a schema that brought the
    shapes or the tallies, or `ledger init --recount`)."""
    _write(session, "DELETE FROM claim_tallies")
    _write(session, "DELETE FROM claim_shapes")
    _write(session, "DELETE FROM ledger_tallies")
    ids = [row[0] for row in reader_of(session).rows("SELECT id FROM articles ORDER BY id")]
    for chunk in _chunks(ids):
        _count_articles(session, chunk)


def _touched_articles(reader: Reader, moved: set[str], sources: set[str]) -> list[int]:
    """The ids of the articles whose claims' own standing may have moved (`moved`, and those
    citing the changed sources' parties) and of those linked to a claim of theirs."""
    articles: set[int] = set()
    for chunk in _chunks(sorted(moved)):
        condition, params = in_params("slug", "slug", chunk)
        articles.update(_column(reader, f"SELECT id FROM articles WHERE {condition}", params))
    if sources:
        for chunk in _chunks(sorted(_claims_citing_parties(reader, sources))):
            statement = f"SELECT DISTINCT article_id FROM claims WHERE {in_ids('id', chunk)}"
            articles.update(_column(reader, statement))
    linked = set(articles)
    for chunk in _chunks(sorted(articles)):
        for near, far in (("from_claim_id", "to_claim_id"), ("to_claim_id", "from_claim_id")):
            statement = (
                "SELECT DISTINCT there.article_id FROM links l"
                f" JOIN claims here ON here.id = l.{near} JOIN claims there ON there.id = l.{far}"
                f" WHERE {in_ids('here.article_id', chunk)}"
            )
            linked.update(_column(reader, statement))
    return sorted(linked)


def _claim_ids(reader: Reader, refs: set[str], counted_whole: set[int]) -> list[int]:
    """The ids of the claims `refs` (`slug/key`) names that are still in the ledger, but for
    those of articles counted whole."""
    by_article: dict[str, list[str]] = {}
    for ref in refs:
        slug, _, key = ref.partition("/")
        by_article.setdefault(slug, []).append(key)
    ids: set[int] = set()
    for slug, keys in sorted(by_article.items()):
        for chunk in _chunks(sorted(keys)):
            condition, params = in_params("c.key", "key", chunk)
            statement = (
                "SELECT c.id, c.article_id FROM claims c JOIN articles a ON a.id = c.article_id"
                f" WHERE a.slug = :slug AND {condition}"
            )
            for claim_id, article_id in reader.rows(statement, {**params, "slug": slug}):
                if article_id not in counted_whole:
                    ids.add(claim_id)
    return sorted(ids)


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
"""The columns that make a verdict shape: kept for each live claim in `claim_shapes` (after
its `claim_id`), and counted in `claim_tallies` (then `claims`: how many have it)."""
CHAIN_FLAGS = ("single_intermediary", "borrowed_anonymity")
"""The two flags `chain_flag` joins, kept apart for each claim beside its shape (not counted
in the tallies): with them a claim's flags can be counted and ranked from its kept row."""
ORDER_KEYS = ("fixed_flags", "slug", "claim_key")
"""What orders the desk's flagged claims, kept for each claim after its flags: how many of
its flags no threshold decides, its article's slug and its key (`ledger.read.flagged`)."""
KEPT = (*SHAPE, *CHAIN_FLAGS, *ORDER_KEYS)
"""The columns of `claim_shapes` after its `claim_id`."""

Shape = tuple[int, bool, int, bool, bool, bool]
Kept = tuple[int, bool, int, bool, bool, bool, bool, bool, int, str, str]
"""A claim's `Shape` with its two chain flags and its `ORDER_KEYS`."""
LedgerShape = tuple[bool, int, bool, bool, bool]
"""A `Shape` without its article: a row of `ledger_tallies`."""


def shapes(where: str) -> str:
    """`claim_id` and the `KEPT` columns of the live claims (alias `c`) meeting `where`: the
    rules' SQL form asked of each claim. The rules are asked once a claim (a materialized
    step): `fixed_flags` adds up flags already worked out, where a flattened subquery would
    have both engines ask them again."""
    inner = (
        f"SELECT c.id AS claim_id, c.article_id AS article_id,"
        f" c.kind = '{ClaimKind.FACT.value}' AS fact,"
        f" {rules_sql.support_size('c')} AS support,"
        f" {rules_sql.anonymous_only('c')} AS anonymous_only,"
        f" {rules_sql.contradicted('c')} AS contradicted,"
        f" {rules_sql.single_intermediary('c')} AS single_intermediary,"
        f" {rules_sql.borrowed_anonymity('c')} AS borrowed_anonymity,"
        " a.slug AS slug, c.key AS claim_key"
        " FROM claims c JOIN articles a ON a.id = c.article_id"
        f" WHERE c.retracted_reason IS NULL AND {where}"
    )
    fixed = " + ".join(f"(CASE WHEN {flag} THEN 1 ELSE 0 END)" for flag in FIXED_FLAGS)
    return (
        f"WITH shaped AS MATERIALIZED ({inner})"
        " SELECT claim_id, article_id, fact, support, anonymous_only, contradicted,"
        " (single_intermediary OR borrowed_anonymity) AS chain_flag,"
        f" single_intermediary, borrowed_anonymity, {fixed} AS fixed_flags, slug, claim_key"
        " FROM shaped"
    )


FIXED_FLAGS = ("anonymous_only", "contradicted", *CHAIN_FLAGS)
"""The flags no threshold decides: `fixed_flags` counts them."""


def _shape(row: Sequence[Any]) -> Shape:
    """A row's `SHAPE` values as both engines agree on them (SQLite gives 0 and 1)."""
    return (int(row[0]), *_ledger_shape(row[1:]))


def _kept(row: Sequence[Any]) -> Kept:
    """A row's `KEPT` values as both engines agree on them."""
    *shape, single_intermediary, borrowed_anonymity, fixed_flags, slug, claim_key = row
    return (
        *_shape(shape),
        bool(single_intermediary),
        bool(borrowed_anonymity),
        int(fixed_flags),
        slug,
        claim_key,
    )


def _ledger_shape(row: Sequence[Any]) -> LedgerShape:
    """A row's `SHAPE` values but the article, as both engines agree on them."""
    fact, support, anonymous_only, contradicted, chain_flag = row
    return bool(fact), int(support), bool(anonymous_only), bool(contradicted), bool(chain_flag)


def _count_articles(session: Session, article_ids: Sequence[int]) -> None:
    """Shape every live claim of these articles again and count their tallies anew."""
    articles = in_ids("article_id", article_ids)
    columns = ", ".join(SHAPE)
    _write(session, f"DELETE FROM claim_shapes WHERE {articles}")
    _write(
        session,
        f"INSERT INTO claim_shapes (claim_id, {', '.join(KEPT)})"
        f" {shapes(in_ids('c.article_id', article_ids))}",
    )
    before = _article_totals(session, articles)
    _write(session, f"DELETE FROM claim_tallies WHERE {articles}")
    _write(
        session,
        f"INSERT INTO claim_tallies ({columns}, claims) SELECT {columns}, COUNT(*)"
        f" FROM claim_shapes WHERE {articles} GROUP BY {columns}",
    )
    moves = _article_totals(session, articles)
    moves.subtract(before)
    _move_ledger_tallies(session, moves)


def _article_totals(session: Session, articles: str) -> Counter[LedgerShape]:
    """The tallies of the articles `articles` (a condition on `article_id`) summed by shape."""
    columns = ", ".join(SHAPE[1:])
    statement = (
        f"SELECT {columns}, SUM(claims) FROM claim_tallies WHERE {articles} GROUP BY {columns}"
    )
    return Counter(
        {_ledger_shape(row[:-1]): int(row[-1]) for row in reader_of(session).rows(statement)}
    )


def _shape_claims(session: Session, reader: Reader, claim_ids: Sequence[int]) -> Counter[Shape]:
    """Shape these claims again; returns how the tallies move: each changed claim's old
    shape taken off its article's tallies, its new one (if the claim is live) put on. The
    caller moves them once for all its chunks (`_move_tallies`)."""
    columns = ", ".join(KEPT)
    kept = {
        row[0]: _kept(row[1:])
        for row in reader.rows(
            f"SELECT claim_id, {columns} FROM claim_shapes WHERE {in_ids('claim_id', claim_ids)}"
        )
    }
    now = {row[0]: _kept(row[1:]) for row in reader.rows(shapes(in_ids("c.id", claim_ids)))}
    changed = [claim for claim in claim_ids if kept.get(claim) != now.get(claim)]
    moves: Counter[Shape] = Counter()
    if not changed:
        return moves
    for claim in changed:  # the tallies count the shape, not the two chain flags apart
        if claim in kept:
            moves[kept[claim][: len(SHAPE)]] -= 1
        if claim in now:
            moves[now[claim][: len(SHAPE)]] += 1
    gone = [claim for claim in changed if claim in kept]
    if gone:
        _write(session, f"DELETE FROM claim_shapes WHERE {in_ids('claim_id', gone)}")
    _insert(
        session,
        "claim_shapes",
        [_named(("claim_id", *KEPT), (claim, *now[claim])) for claim in changed if claim in now],
    )
    return moves


def put_shapes(session: Session, shaped: Mapping[str, tuple[int, Kept]]) -> None:
    """Keep these claims' shapes (`slug/key` -> claim id and shape), worked out by the write
    from the rows in hand (`ledger.write.shapes`), and move the tallies by them now; the
    claims are no longer noted, unless a later change of the transaction names them again.
    Written in the transaction, the shapes and tallies are undone with a savepoint."""
    if not shaped:
        return
    pending = session.info.get(PENDING)
    if pending:
        pending[1].difference_update(shaped)
    _insert(
        session,
        "claim_shapes",
        [_named(("claim_id", *KEPT), (claim, *kept)) for claim, kept in shaped.values()],
    )
    _move_tallies(session, Counter(kept[: len(SHAPE)] for _claim, kept in shaped.values()))


def _move_tallies(session: Session, moves: Counter[Shape]) -> None:
    """Add each shape's count change to its article's tallies: the rows of the articles
    moved are read, changed and written again (an article has a few dozen at most)."""
    columns = ", ".join(SHAPE)
    for chunk in _chunks(sorted({shape[0] for shape in moves if moves[shape]})):
        articles = in_ids("article_id", chunk)
        tally: Counter[Shape] = Counter()
        for row in reader_of(session).rows(
            f"SELECT {columns}, claims FROM claim_tallies WHERE {articles}"
        ):
            tally[_shape(row[:-1])] = int(row[-1])
        wanted = set(chunk)
        tally.update({shape: by for shape, by in moves.items() if shape[0] in wanted})
        _write(session, f"DELETE FROM claim_tallies WHERE {articles}")
        _insert(
            session,
            "claim_tallies",
            [
                _named((*SHAPE, "claims"), (*shape, count))
                for shape, count in tally.items()
                if count > 0
            ],
        )
    ledger_moves: Counter[LedgerShape] = Counter()
    for shape, by in moves.items():
        ledger_moves[shape[1:]] += by
    _move_ledger_tallies(session, ledger_moves)


def _move_ledger_tallies(session: Session, moves: Counter[LedgerShape]) -> None:
    """Add the count changes to the ledger's tallies (a row per shape, a few hundred at most:
    read, changed and written again whole)."""
    if not any(moves.values()):
        return
    columns = ", ".join(SHAPE[1:])
    tally: Counter[LedgerShape] = Counter()
    for row in reader_of(session).rows(f"SELECT {columns}, claims FROM ledger_tallies"):
        tally[_ledger_shape(row[:-1])] = int(row[-1])
    tally.update(moves)
    _write(session, "DELETE FROM ledger_tallies")
    _insert(
        session,
        "ledger_tallies",
        [
            _named((*SHAPE[1:], "claims"), (*shape, count))
            for shape, count in sorted(tally.items())
            if count > 0
        ],
    )


def _named(columns: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(columns, values, strict=True))


def _refresh_statistics(session: Session) -> None:
    """Before counting many claims on PostgreSQL, let its planner see the rows the
    transaction wrote (ANALYZE may run in a transaction, and counts the rows it
    inserted): planned from the statistics of an emptier ledger, the rules' SQL form
    reads whole tables for each claim, and the tallies of a million imported claims
    took minutes for every 500 articles. SQLite plans from its indexes."""
    if session.get_bind().dialect.name == "postgresql":
        _write(session, "ANALYZE articles, sources, claims, hops, links")


def _write(session: Session, statement: str) -> None:
    session.connection().exec_driver_sql(statement)


def _insert(session: Session, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows into a table of the schema as one executemany."""
    from ledger.storage.driver import insert_rows
    from ledger.storage.schema import Base

    insert_rows(session, Base.metadata.tables[table], rows)


def disagreeing_articles(db: Readable, first: int = 0, last: int = LAST_ID) -> list[int]:
    """The articles, with ids from `first` to `last`, whose kept shapes or tallies are not
    what shaping their claims now gives (`ledger verify`: nothing a write does leaves them
    so; an edit past the ledger may). Compared in SQL, so only the disagreeing articles are
    held; `ledger verify` asks ranges of articles in worker processes."""
    reader = reader_of(db)
    within = {"first": first, "last": last}
    differing = " OR ".join(f"kept.{column} <> now.{column}" for column in KEPT)
    now_shapes = shapes("c.article_id BETWEEN :first AND :last")
    statements = [
        f"SELECT now.article_id FROM ({now_shapes}) now"
        " LEFT JOIN claim_shapes kept ON kept.claim_id = now.claim_id"
        f" WHERE kept.claim_id IS NULL OR {differing}",
        "SELECT kept.article_id FROM claim_shapes kept"
        " LEFT JOIN claims c ON c.id = kept.claim_id AND c.retracted_reason IS NULL"
        " WHERE c.id IS NULL AND kept.article_id BETWEEN :first AND :last",
    ]
    columns = ", ".join(SHAPE)
    tallied = (
        f"SELECT {columns}, claims FROM claim_tallies WHERE article_id BETWEEN :first AND :last"
    )
    counted = (
        f"SELECT {columns}, COUNT(*) FROM claim_shapes"
        f" WHERE article_id BETWEEN :first AND :last GROUP BY {columns}"
    )
    statements += [
        f"SELECT differing.article_id FROM ({one} EXCEPT {other}) differing"
        for one, other in ((tallied, counted), (counted, tallied))
    ]
    return sorted(
        {article for statement in statements for article in _column(reader, statement, within)}
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
    statement = f"SELECT {FLAGGED_SUM} FROM ledger_tallies"
    return int(scalar(reader_of(db), statement, {"threshold": threshold}) or 0)


def ledger_tallies_disagree(db: Readable) -> bool:
    """Whether the kept ledger tallies are not the sum of the articles' (`ledger verify`)."""
    reader = reader_of(db)
    columns = ", ".join(SHAPE[1:])

    def counts(statement: str) -> dict[LedgerShape, int]:
        rows = reader.rows(statement)
        return {_ledger_shape(row[:-1]): int(row[-1]) for row in rows if int(row[-1])}

    kept = counts(f"SELECT {columns}, claims FROM ledger_tallies")
    return kept != counts(f"SELECT {columns}, SUM(claims) FROM claim_tallies GROUP BY {columns}")
