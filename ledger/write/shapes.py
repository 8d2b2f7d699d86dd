"""New claims' verdict shapes worked out from the rows an import holds, by `ledger.rules`.

The kept tallies (`ledger.read.tallies`) shape each claim a write names by the rules'
SQL form, before the commit: for an import of new articles that asked SQLite about
each of a hundred thousand claims the import had just written, and held in hand.
A claim of a new article whose links all join it to other claims of the same batch
depends only on what the batch wrote: its chains, its sources (their kind, anonymity
and party, read once for the batch), and the batch's links between its claims (new
claims are live). Those claims are judged here by the rules' one Python form
(`ledger.rules`), and their shapes kept at once (`tallies.put_shapes`); a claim with a
link to a claim outside the batch is left to the SQL form at commit, as before. A later
write of the same transaction that touches a claim shaped here names it, as every
write does, and it is shaped again at commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from sqlalchemy.orm import Session

from ledger import rules
from ledger.read import tallies
from ledger.rules import ClaimFacts, SourceFacts
from ledger.storage.driver import rows_by_keys
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind
from ledger.write.entries import ClaimEntry

CHUNK = 500
CORROBORATES, CONTRADICTS = Relation.CORROBORATES.value, Relation.CONTRADICTS.value
KINDS = {kind.value: kind for kind in SourceKind}
ANONYMITIES = {anonymity.value: anonymity for anonymity in Anonymity}


def shape_new_claims(
    session: Session,
    entries: Sequence[ClaimEntry],
    ids: Mapping[tuple[int, str], int],
    new_articles: Mapping[int, str],
    links: Iterable[tuple[int | None, str, int | None]],
) -> None:
    """Shape the claims of `new_articles` (id -> slug) among `entries` whose every link
    (from id, relation, to id; None for a claim outside the batch) stays in the batch."""
    claims = {
        ids[entry.article_id, entry.claim.key]: entry
        for entry in entries
        if entry.article_id in new_articles
    }
    lent: dict[int, list[int]] = {}
    contradicted: set[int] = set()
    outside: set[int | None] = set()
    for start, relation, end in links:
        if relation not in (CORROBORATES, CONTRADICTS):
            continue  # `refines` moves no verdict
        if start not in claims or end not in claims:
            outside.update((start, end))
        elif relation == CORROBORATES:
            lent.setdefault(end, []).append(start)
        elif relation == CONTRADICTS:
            contradicted.update((start, end))
    judged = [claim for claim in claims if claim not in outside]
    if not judged:
        return
    keys = {
        claim: tuple(tuple(hop.source for hop in chain) for chain in entry.chains)
        for claim, entry in claims.items()
    }
    facts = _source_facts(session, {key for chains in keys.values() for c in chains for key in c})
    shaped = {}
    for claim in judged:
        entry = claims[claim]
        given = tuple(chain for giver in lent.get(claim, ()) for chain in keys[giver])
        kept = _shape(facts, entry.claim.kind, keys[claim], given, claim in contradicted)
        slug, key = new_articles[entry.article_id], entry.claim.key
        shaped[f"{slug}/{key}"] = (claim, (entry.article_id, *kept, slug, key))
    tallies.put_shapes(session, shaped)


def _shape(
    facts: Mapping[str, SourceFacts],
    kind: ClaimKind,
    chains: tuple[tuple[str, ...], ...],
    given: tuple[tuple[str, ...], ...],
    contradicted: bool,
) -> tuple[bool, int, bool, bool, bool, bool, bool, int]:
    """A claim's kept shape but its article, slug and key (`tallies.KEPT`), by the rules of
    `ledger.rules` that a shape holds (support, its parties, anonymity, the two chain flags,
    how many of its flags no threshold decides): what `rules.evaluate` gives, without the
    sorted lists of a `Verdict`."""
    own = tuple(tuple([facts[key] for key in chain]) for chain in chains)
    lent = tuple(tuple([facts[key] for key in chain]) for chain in given)
    supporting = rules.support(ClaimFacts(kind, own, lent, contradicted))
    single, borrowed = rules.single_intermediary(own), rules.borrowed_anonymity(own)
    anonymous = rules.anonymous_only(supporting)
    fixed_flags = sum((anonymous, contradicted, single, borrowed))  # `tallies.FIXED_FLAGS`
    return (
        kind is ClaimKind.FACT,
        len(rules.parties(supporting)),
        anonymous,
        contradicted,
        single or borrowed,
        single,
        borrowed,
        fixed_flags,
    )


def _source_facts(session: Session, keys: Collection[str]) -> dict[str, SourceFacts]:
    """What the rules need of each of these sources, as the ledger holds it now."""
    wanted = sorted(keys)
    facts = {}
    for start in range(0, len(wanted), CHUNK):
        rows = rows_by_keys(
            session,
            "sources",
            ("key", "kind", "anonymity", "party"),
            "key",
            wanted[start : start + CHUNK],
        )
        facts.update(
            (key, SourceFacts(key, KINDS[kind], ANONYMITIES[anonymity], party))
            for key, kind, anonymity, party in rows
        )
    return facts
