"""The one read path: the facts a verdict needs, fetched in four statements and judged.

Every reader of claims comes here (`ledger.read.scoped` for one article,
source or claim; `ledger.read.queries` and `ledger.read.wide` for the whole
ledger), with a `ledger.storage.reader.Reader` that runs SQL through `sqlite3`
on a SQLite file or through SQLAlchemy. Each hands over the ids of the claims
it wants and a function that runs a statement; this module fetches the claims, their chains with each source's
party, the origins of the claims that corroborate them and their links, then
has `ledger.rules` judge them. The statements are written once, in SQL that
SQLite and PostgreSQL both read, and take no parameters: the ids are integers
the caller read from the database, written into the statement.

Nothing heavy is imported here: `rules`, `claimview` and `vocab` only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ledger import rules
from ledger.claimview import ClaimView, HopView, LinkView
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind

Run = Callable[[str], Iterable[Sequence[Any]]]
"""Runs one statement (no parameters) and returns its rows as tuples."""

CLAIMS = """
SELECT c.id, a.slug, c.key, c.text, c.quote, c.kind, c.cue, c.retracted_reason, c.notes,
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
WHERE l.relation = 'corroborates' AND l.to_claim_id IN ({ids}){live_supporter}
"""
LINKS = """
SELECT l.from_claim_id, l.relation, l.to_claim_id, fa.slug || '/' || fc.key, ta.slug || '/' || tc.key
FROM links l
JOIN claims fc ON l.from_claim_id = fc.id JOIN articles fa ON fc.article_id = fa.id
JOIN claims tc ON l.to_claim_id = tc.id JOIN articles ta ON tc.article_id = ta.id
WHERE (l.from_claim_id IN ({ids}) OR l.to_claim_id IN ({ids})){live_ends}
ORDER BY l.id
"""
LIVE_SUPPORTER = "\n  AND supporter.retracted_reason IS NULL"
LIVE_ENDS = "\n  AND fc.retracted_reason IS NULL AND tc.retracted_reason IS NULL"


def claim_views(
    run: Run,
    ids: Sequence[int],
    *,
    threshold: int,
    accept: Callable[[rules.Verdict], bool] = lambda _verdict: True,
    include_retracted: bool = False,
) -> list[ClaimView]:
    """The claims `ids` names, judged, in article then entry order; those `accept` takes.

    Unless `include_retracted`, a retracted claim at the other end of a link
    neither supports nor contradicts anything.
    """
    if not ids:
        return []
    listed = ",".join(str(int(claim_id)) for claim_id in ids)
    chains: dict[int, dict[int, list[HopView]]] = defaultdict(lambda: defaultdict(list))
    for claim, chain, cue, key, label, kind, anonymity, reason, party, party_label in run(
        HOPS.format(ids=listed)
    ):
        hop = HopView(
            key, label, SourceKind(kind), Anonymity(anonymity), reason, cue, party, party_label
        )
        chains[claim][chain].append(hop)
    lent: dict[int, list[rules.Chain]] = defaultdict(list)
    live_supporter = "" if include_retracted else LIVE_SUPPORTER
    for claim, key, kind, anonymity, party in run(
        LENT.format(ids=listed, live_supporter=live_supporter)
    ):
        lent[claim].append((rules.SourceFacts(key, SourceKind(kind), Anonymity(anonymity), party),))
    links_out: dict[int, list[LinkView]] = defaultdict(list)
    links_in: dict[int, list[LinkView]] = defaultdict(list)
    live_ends = "" if include_retracted else LIVE_ENDS
    for from_id, relation, to_id, from_ref, to_ref in run(
        LINKS.format(ids=listed, live_ends=live_ends)
    ):
        links_out[from_id].append(LinkView(Relation(relation), to_ref))
        links_in[to_id].append(LinkView(Relation(relation), from_ref))
    views = []
    for row in run(CLAIMS.format(ids=listed)):
        claim, slug, key, text, quote, kind, cue, retracted, notes, start, end, prefix, suffix = row
        claim_chains = tuple(tuple(chain) for _, chain in sorted(chains[claim].items()))
        outgoing, incoming = tuple(links_out[claim]), tuple(links_in[claim])
        facts = rules.ClaimFacts(
            kind=ClaimKind(kind),
            chains=tuple(tuple(hop.facts() for hop in chain) for chain in claim_chains),
            corroborating_chains=tuple(lent[claim]),
            contradicted=any(link.relation is Relation.CONTRADICTS for link in outgoing + incoming),
        )
        verdict = rules.evaluate(facts, threshold)
        if not accept(verdict):
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
                retracted=retracted,
                notes=notes,
                anchor=anchor,
            )
        )
    return views
