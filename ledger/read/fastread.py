"""The editor's scoped query on a SQLite ledger, with the standard library only.

`ledger claims --article X` is typed many times a day. Through `ledger.read.queries`
it imports SQLAlchemy and pydantic, which cost a fresh process several times
what the query itself costs: the ledger felt slow where a `sqlite-utils` query
on the same file did not. For a SQLite ledger this module gathers the facts
`queries.claim_views` gathers, in the same few queries, with `sqlite3`, and has
them judged by `ledger.rules` (whose rules on facts import nothing heavy).

It answers scoped questions only: the claims of an article and/or a source,
with the verdict filters. Ledger-wide questions go to `queries.count_flagged`
and `queries.flagged_page`, other engines and `--include-retracted` to
`queries.claim_views`. It builds the same `ledger.claimview.ClaimView` values as `queries`; tests/test_rules_sql.py holds the
two readers to identical output on random ledgers.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict
from pathlib import Path

from ledger import rules
from ledger.claimview import ClaimView, HopView, LinkView
from ledger.errors import NotFound
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind

SCHEMA_REVISIONS = frozenset({"0009", "0010"})
"""Schema revisions whose tables the SQL below was written for; any other falls back to
`ledger.read.queries`. A test fails when `migrate.SCHEMA_REVISION` is not among them, so that a
migration makes someone look at this SQL again."""


class Unsupported(Exception):
    """This ledger cannot be read here (another engine, an unknown schema): use `query`."""


def sqlite_file(db: str | None) -> Path | None:
    """The existing SQLite file `--db` names (as `ledger.storage.database.resolve_url` reads it), else None."""
    value = db or os.environ.get("LEDGER_DB") or "ledger.db"
    if "://" in value:
        prefix = "sqlite:///"
        if not value.startswith(prefix) or value[len(prefix) :] in ("", ":memory:"):
            return None
        value = value[len(prefix) :]
    path = Path(value).expanduser().resolve()
    return path if path.is_file() else None


def open_ledger(path: Path) -> sqlite3.Connection:
    """A connection reading one consistent snapshot; `Unsupported` for an unknown schema."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.execute("PRAGMA query_only = ON")
    connection.execute("BEGIN")
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None or row[0] not in SCHEMA_REVISIONS:
        connection.close()
        raise Unsupported(f"schema revision {row and row[0]!r} is not one this reader knows")
    return connection


def claim_views(
    connection: sqlite3.Connection,
    *,
    article: str | None = None,
    source: str | None = None,
    uncorroborated: bool = False,
    anonymous_only: bool = False,
    contradicted: bool = False,
    threshold: int = rules.DEFAULT_THRESHOLD,
) -> list[ClaimView]:
    """What `queries.claim_views` returns for the same filter (retracted claims left out)."""
    if article is None and source is None:
        raise Unsupported("a ledger-wide question: use query.count_flagged / flagged_page")
    where, params = ["c.retracted_reason IS NULL"], []
    if article is not None:
        where.append("c.article_id = ?")
        params.append(_id(connection, "articles", "slug", article, "article"))
    if source is not None:
        where.append("c.id IN (SELECT claim_id FROM hops WHERE source_id = ?)")
        params.append(_source_id(connection, source))
    ids = f"SELECT c.id FROM claims c WHERE {' AND '.join(where)}"
    claims = connection.execute(CLAIMS.format(ids=ids), params).fetchall()
    if not claims:
        return []
    chains: dict[int, dict[int, list[HopView]]] = defaultdict(lambda: defaultdict(list))
    for claim, chain, cue, key, label, kind, anonymity, reason, party, party_label in (
        connection.execute(HOPS.format(ids=ids), params)
    ):
        hop = HopView(
            key, label, SourceKind(kind), Anonymity(anonymity), reason, cue, party, party_label
        )
        chains[claim][chain].append(hop)
    lent: dict[int, list[rules.Chain]] = defaultdict(list)
    for claim, key, kind, anonymity, party in connection.execute(LENT.format(ids=ids), params):
        facts = rules.SourceFacts(key, SourceKind(kind), Anonymity(anonymity), party)
        lent[claim].append((facts,))
    links_out: dict[int, list[LinkView]] = defaultdict(list)
    links_in: dict[int, list[LinkView]] = defaultdict(list)
    for from_id, relation, to_id, from_ref, to_ref in connection.execute(
        LINKS.format(ids=ids), params * 2
    ):
        links_out[from_id].append(LinkView(Relation(relation), to_ref))
        links_in[to_id].append(LinkView(Relation(relation), from_ref))
    views = []
    for claim, slug, key, text, quote, kind, cue, notes, start, end, prefix, suffix in claims:
        claim_chains = tuple(tuple(chain) for _, chain in sorted(chains[claim].items()))
        outgoing, incoming = tuple(links_out[claim]), tuple(links_in[claim])
        facts = rules.ClaimFacts(
            kind=ClaimKind(kind),
            chains=tuple(tuple(hop.facts() for hop in chain) for chain in claim_chains),
            corroborating_chains=tuple(lent[claim]),
            contradicted=any(link.relation is Relation.CONTRADICTS for link in outgoing + incoming),
        )
        verdict = rules.evaluate(facts, threshold)
        if (
            (uncorroborated and not verdict.uncorroborated)
            or (anonymous_only and not verdict.anonymous_only)
            or (contradicted and not verdict.contradicted)
        ):
            continue
        anchor = None if start is None else dict(start=start, end=end, prefix=prefix, suffix=suffix)
        views.append(
            ClaimView(
                article=slug,
                key=key,
                text=text,
                quote=quote,
                kind=ClaimKind(kind),
                cue=cue,
                chains=claim_chains,
                verdict=verdict,
                links_out=outgoing,
                links_in=incoming,
                notes=notes,
                anchor=anchor,
            )
        )
    return views


def _id(connection: sqlite3.Connection, table: str, column: str, value: str, noun: str) -> int:
    row = connection.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()
    if row is None:
        raise NotFound(f"no {noun} {value!r} in the ledger")
    return int(row[0])


def _source_id(connection: sqlite3.Connection, key: str) -> int:
    """The source a key names, directly or as an alias merged into it."""
    row = connection.execute(
        "SELECT id FROM sources WHERE key = ? UNION ALL "
        "SELECT s.id FROM source_aliases a JOIN sources s ON s.key = a.source WHERE a.key = ?",
        (key, key),
    ).fetchone()
    if row is None:
        raise NotFound(f"no source {key!r} in the ledger")
    return int(row[0])


# The statements of `queries._views`, for the claims whose ids `{ids}` selects.
CLAIMS = """
SELECT c.id, a.slug, c.key, c.text, c.quote, c.kind, c.cue, c.notes,
       c.quote_start, c.quote_end, c.quote_prefix, c.quote_suffix
FROM claims c JOIN articles a ON c.article_id = a.id
WHERE c.id IN ({ids}) ORDER BY a.slug, c.id
"""
HOPS = """
SELECT h.claim_id, h.chain, h.cue, s.key, s.label, s.kind, s.anonymity, s.anonymity_reason,
       s.party, p.label
FROM hops h JOIN sources s ON h.source_id = s.id LEFT JOIN sources p ON p.key = s.party
WHERE h.claim_id IN ({ids}) ORDER BY h.claim_id, h.chain, h.position
"""
LENT = """
SELECT l.to_claim_id, s.key, s.kind, s.anonymity, s.party
FROM links l
JOIN claims supporter ON l.from_claim_id = supporter.id
JOIN hops h ON h.claim_id = l.from_claim_id AND h.is_origin
JOIN sources s ON h.source_id = s.id
WHERE l.relation = 'corroborates' AND l.to_claim_id IN ({ids})
  AND supporter.retracted_reason IS NULL
"""
LINKS = """
SELECT l.from_claim_id, l.relation, l.to_claim_id, fa.slug || '/' || fc.key, ta.slug || '/' || tc.key
FROM links l
JOIN claims fc ON l.from_claim_id = fc.id JOIN articles fa ON fc.article_id = fa.id
JOIN claims tc ON l.to_claim_id = tc.id JOIN articles ta ON tc.article_id = ta.id
WHERE (l.from_claim_id IN ({ids}) OR l.to_claim_id IN ({ids}))
  AND fc.retracted_reason IS NULL AND tc.retracted_reason IS NULL
ORDER BY l.id
"""
