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

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ledger.checks import SourceUses
from ledger.claimview import ArticleView, SourceView
from ledger.read import flagged, queries, rules_sql
from ledger.read.scoped import judged, where_clause
from ledger.read.sources import SourceSummary, list_sources, sources_by_key
from ledger.storage.reader import in_ids, in_params, reader_of, scalar
from ledger.vocab import Anonymity, ClaimKind

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

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
_FACT = f"c.kind = '{ClaimKind.FACT.value}'"


def figure_counts(db: Readable, threshold: int) -> dict[int, tuple[int, ...]]:
    """Article id -> its live claims' counts, in `FIGURE_NAMES` order, in one statement.

    The rules asked of every claim: what `ledger.read.tallies` keeps counted, so that
    the desk and `report --all` need not; tests and benchmarks hold the two equal.

    Each claim's support is worked out once (a subquery), then summed per
    article; articles with no live claim are absent.
    """
    t = int(threshold)
    per_claim = (
        f"SELECT c.article_id AS article_id, CASE WHEN {_FACT} THEN 1 ELSE 0 END AS fact,"
        f" {rules_sql.support_size('c')} AS size,"
        f" CASE WHEN {rules_sql.anonymous_only('c')} THEN 1 ELSE 0 END AS anonymous,"
        f" CASE WHEN {rules_sql.contradicted('c')} THEN 1 ELSE 0 END AS contradicted"
        " FROM claims c WHERE c.retracted_reason IS NULL"
    )
    statement = (
        "SELECT article_id, COUNT(*), SUM(fact),"
        f" SUM(CASE WHEN size >= {t} THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN fact = 1 AND size < {t} THEN 1 ELSE 0 END),"
        " SUM(anonymous), SUM(contradicted),"
        " SUM(CASE WHEN fact = 1 AND size < 1 THEN 1 ELSE 0 END)"
        f" FROM ({per_claim}) per_claim GROUP BY article_id"
    )
    return {
        article_id: tuple(int(value or 0) for value in counts)
        for article_id, *counts in reader_of(db).rows(statement)
    }


ARTICLE_COLUMNS = ("slug", "title", "outlet", "url", "published", "byline", "text_sha256")
_ARTICLE_SELECT = f"SELECT id, {', '.join(ARTICLE_COLUMNS)} FROM articles"


def iter_articles(db: Readable) -> Iterator[tuple[int, ArticleView]]:
    """(id, article) of every article in slug order, without their texts, a batch at a time."""
    reader = reader_of(db)
    after: str | None = None
    while True:
        after_clause = "" if after is None else " WHERE slug > :after"
        statement = f"{_ARTICLE_SELECT}{after_clause} ORDER BY slug LIMIT {BATCH}"
        rows = list(reader.rows(statement, {"after": after}))
        if not rows:
            return
        for article_id, *values in rows:
            yield article_id, _article(values)
        after = rows[-1][1]


def iter_cited_sources(db: Readable) -> Iterator[SourceSummary]:
    """`queries.list_sources` of the sources in some chain, in its order, a batch at a time."""
    reader = reader_of(db)
    after: str | None = None
    while True:
        after_clause = "" if after is None else " WHERE key > :after"
        statement = f"SELECT key FROM sources{after_clause} ORDER BY key LIMIT {BATCH}"
        keys = [row[0] for row in reader.rows(statement, {"after": after})]
        if not keys:
            return
        for item in list_sources(reader, keys=keys):
            if item.originates or item.relays:
                yield item
        after = keys[-1]


# --- the claims each check can find something about ---------------------------------------------

_UNNAMED_ORIGIN = rules_sql.exists(
    "FROM hops uh JOIN sources us ON us.id = uh.source_id"
    f" WHERE uh.claim_id = c.id AND uh.{rules_sql.ORIGIN}"
    f" AND us.anonymity <> '{Anonymity.NAMED.value}'"
)

CLAIM_CANDIDATES: dict[str, Callable[[int], str]] = {
    "LS103": lambda _threshold: f"c.kind = '{ClaimKind.OPINION.value}' AND {_UNNAMED_ORIGIN}",
    "LS106": lambda threshold: (
        f"{_FACT} AND {rules_sql.anonymous_only('c')}"
        f" AND NOT {rules_sql.uncorroborated('c', threshold)}"
    ),
    "LS201": lambda threshold: (
        f"{rules_sql.single_intermediary('c')}"
        f" AND {rules_sql.support_size('c')} >= {int(threshold)}"
    ),
    "LS202": lambda threshold: (
        f"{rules_sql.uncorroborated('c', threshold)} AND {rules_sql.support_size('c')} >= 1"
    ),
    "LS203": lambda _threshold: f"{_FACT} AND {rules_sql.support_size('c')} < 1",
    "LS301": lambda _threshold: rules_sql.contradicted("c"),
}
"""Claim check code -> the SQL condition on a claim `c`, at a threshold, that the check
needs to find anything: only those claims are loaded and given to it (the check itself
still decides). A check not named here is given every claim."""

_UNNAMED = f"s.anonymity <> '{Anonymity.NAMED.value}'"
_HIDDEN = f"s.anonymity IN ('{Anonymity.ANONYMOUS.value}', '{Anonymity.PSEUDONYM.value}')"
SOURCE_CANDIDATES: dict[str, str] = {
    "LS101": f"s.anonymity = '{Anonymity.ANONYMOUS.value}'",
    "LS102": _UNNAMED,
    "LS105": _UNNAMED,
    "LS107": _HIDDEN,
    "LS108": _HIDDEN,
}
"""Source check code -> the sources `s` it can find something about (the check still
decides). A check not named here looks at every source."""


def claim_chunks(
    db: Readable, code: str | None, threshold: int
) -> Iterator[list[queries.ClaimView]]:
    """The live claims check `code` can find something about (every claim when `code` is
    None or has no SQL condition), judged, a few articles at a time in ledger order."""
    condition = CLAIM_CANDIDATES.get(code or "")
    conditions = [] if condition is None else [condition(threshold)]
    return queries.iter_claim_chunks(
        db,
        queries.ClaimFilter(),
        *conditions,
        threshold=threshold,
        first=CHUNK_FIRST,
        most=CHUNK_ARTICLES,
    )


def candidate_sources(db: Readable, code: str) -> list[str]:
    """The keys of the sources check `code` can find something about, in Python's order
    (the order of `Evidence.cited`, whatever the database's collation)."""
    condition = SOURCE_CANDIDATES.get(code)
    statement = f"SELECT s.key FROM sources s{where_clause([condition] if condition else [])}"
    return sorted(row[0] for row in reader_of(db).rows(statement))


def batches(items: Sequence[Any], size: int | None = None) -> Iterator[Sequence[Any]]:
    size = size or BATCH
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- how the sources are used --------------------------------------------------------------------

_CITED = """
SELECT s.key, a.slug || '/' || c.key
FROM hops h JOIN sources s ON s.id = h.source_id
JOIN claims c ON c.id = h.claim_id JOIN articles a ON a.id = c.article_id
WHERE {keys} AND c.retracted_reason IS NULL
ORDER BY a.slug, c.id
"""
_OWN_UNNAMED = """
SELECT s.key, a.slug || '/' || c.key
FROM hops h JOIN sources s ON s.id = h.source_id
JOIN claims c ON c.id = h.claim_id JOIN articles a ON a.id = c.article_id
WHERE {keys} AND c.retracted_reason IS NULL
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
WHERE {keys} AND c.retracted_reason IS NULL AND h.is_origin = TRUE
  AND s.anonymity <> 'named'
ORDER BY a.slug, c.id, h.chain
"""


def source_uses(db: Readable, keys: Sequence[str]) -> SourceUses:
    """`SourceUses` of these sources over every live claim of the ledger (`checks.SourceUses.of`
    over all claims, limited to `keys`): each list in ledger order, without repeats.

    The granted anonymity is that of rule 9 (`rules.borrowed_anonymity`): an unnamed
    origin with an outlet before it, the nearest such outlet being the one named.
    """
    if not keys:
        return SourceUses({}, {}, {})
    reader = reader_of(db)
    condition, params = in_params("s.key", "key", list(keys))

    def grouped(statement: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for key, ref in reader.rows(statement.format(keys=condition), params):
            refs = found.setdefault(key, [])
            if not refs or refs[-1] != ref:  # a claim's hops come together
                refs.append(ref)
        return dict(sorted(found.items()))

    granted: dict[str, dict[str, list[str]]] = {}
    for key, ref, outlet in reader.rows(_GRANTED.format(keys=condition), params):
        if outlet is None:
            continue
        refs = granted.setdefault(key, {}).setdefault(outlet, [])
        if ref not in refs[-1:]:
            refs.append(ref)
    return SourceUses(grouped(_CITED), grouped(_OWN_UNNAMED), granted)


def sources_with_parties(db: Readable, keys: Iterable[str]) -> dict[str, SourceView]:
    """The sources of `keys`, and the parties they speak for, transitively (`build_report`'s
    `known` for those keys)."""
    reader = reader_of(db)
    known = sources_by_key(reader, keys)
    wanted = {s.speaks_for for s in known.values() if s.speaks_for} - known.keys()
    while wanted:
        found = sources_by_key(reader, wanted)
        known.update(found)
        wanted = {s.speaks_for for s in found.values() if s.speaks_for} - known.keys()
    return known


def claim_sources(db: Readable, views: Iterable[queries.ClaimView]) -> dict[str, SourceView]:
    """The sources a chunk of claims names: in its chains, and lending it an origin."""
    keys: set[str] = set()
    for view in views:
        keys.update(hop.key for chain in view.chains for hop in chain)
        keys.update(view.verdict.independent_origins)
        keys.update(view.verdict.supporting)
    return sources_with_parties(db, keys)


# --- the desk: pages of the ledger-wide lists ----------------------------------------------------


def ledger_head(db: Readable) -> int:
    """The last event of the audit trail: every change to the ledger moves it, so figures
    worked out at one head hold until it moves."""
    return int(scalar(reader_of(db), "SELECT MAX(seq) FROM events") or 0)


def count_flagged(db: Readable, threshold: int) -> int:
    """How many live claims have at least one flag, asked of every claim (the reference
    `ledger.read.tallies.count_flagged` is held to)."""
    statement = (
        "SELECT COUNT(*) FROM claims c"
        f" WHERE c.retracted_reason IS NULL AND {rules_sql.flagged('c', threshold)}"
    )
    return int(scalar(reader_of(db), statement) or 0)


SQL_SORTS = tuple(flagged.ORDERS)
"""The desk's sort columns the database orders (ties in ledger order)."""


def flagged_page(
    db: Readable,
    threshold: int,
    *,
    sort: str = "article",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> list[queries.ClaimView]:
    """One page of the flagged live claims, sorted by a column of `SQL_SORTS`, ties in
    ledger order (article slug, then entry), as a stable sort of the ledger's claims gives.

    Which claims are flagged, and their order, are read from what `claim_shapes` keeps of
    each, through its indexes (`ledger.read.flagged`): a page reads a page of rows, not
    every flagged claim; only the claims of the page are judged.
    """
    reader = reader_of(db)
    ids = flagged.page_ids(reader, threshold, sort, descending, offset, limit)
    if not ids:
        return []
    views = {view.ref: view for view in judged(reader, ids, threshold=threshold)}
    statement = (
        "SELECT c.id, a.slug || '/' || c.key FROM claims c"
        f" JOIN articles a ON a.id = c.article_id WHERE {in_ids('c.id', ids)}"
    )
    refs = {claim_id: ref for claim_id, ref in reader.rows(statement)}
    return [views[refs[claim_id]] for claim_id in ids if refs[claim_id] in views]


def claim_numbers(db: Readable, refs: Sequence[str]) -> dict[str, int]:
    """Each claim's number in its article (1 for its first live claim), by `SLUG/KEY`."""
    reader = reader_of(db)
    statement = (
        "SELECT COUNT(*) FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE a.slug = :slug AND c.retracted_reason IS NULL AND c.id <= ("
        " SELECT own.id FROM claims own WHERE own.article_id = a.id AND own.key = :key)"
    )
    numbers: dict[str, int] = {}
    for ref in refs:
        slug, _, key = ref.partition("/")
        numbers[ref] = int(scalar(reader, statement, {"slug": slug, "key": key}) or 0)
    return numbers


def article_page(db: Readable, offset: int, limit: int) -> list[tuple[int, ArticleView]]:
    """(id, article) of one page of the articles in slug order, without their texts."""
    statement = f"{_ARTICLE_SELECT} ORDER BY slug LIMIT :limit OFFSET :offset"
    rows = reader_of(db).rows(statement, {"limit": limit, "offset": offset})
    return [(article_id, _article(values)) for article_id, *values in rows]


def _article(values: Sequence[Any]) -> ArticleView:
    """An article of `ARTICLE_COLUMNS` (no text); SQLite keeps its date as text."""
    fields = dict(zip(ARTICLE_COLUMNS, values, strict=True))
    if isinstance(fields["published"], str):
        fields["published"] = dt.date.fromisoformat(fields["published"])
    return ArticleView(**fields)


COUNTED_TABLES = frozenset({"articles", "sources", "claims"})


def count_rows(db: Readable, table: str) -> int:
    """How many rows a table of `COUNTED_TABLES` holds."""
    if table not in COUNTED_TABLES:
        raise ValueError(f"not a table to count: {table}")
    return int(scalar(reader_of(db), f"SELECT COUNT(*) FROM {table}") or 0)


def source_page(db: Readable, offset: int, limit: int) -> list[SourceSummary]:
    """One page of `queries.list_sources`, in its order (by key)."""
    reader = reader_of(db)
    statement = "SELECT key FROM sources ORDER BY key LIMIT :limit OFFSET :offset"
    keys = [row[0] for row in reader.rows(statement, {"limit": limit, "offset": offset})]
    return list_sources(reader, keys=keys) if keys else []
