"""The corroboration rules of `ledger.rules`, stated again in SQL text.

Questions asked of the whole ledger ("how many facts are uncorroborated?") cannot
gather `ClaimFacts` for a million claims. For them, the rules are written
again here as SQL expressions on a claim of an enclosing query, named by its
alias (`claim`, "c" unless said), that SQLite and PostgreSQL both read: the
same text runs through `sqlite3` on a SQLite file and through the driver of a
session otherwise (`ledger.storage.reader`), so a ledger-wide read command
needs no more than a scoped one. tests/test_rules_sql.py checks on random
ledgers that, claim by claim, they give exactly what `rules.evaluate` gives.

Retracted claims lend no support and contradict nothing, as in
`queries.claim_views` without `include_retracted`. Each expression probes the
indexes of one claim (hops by claim, links by either end), so a query stops as
soon as it has its page. The subqueries' own aliases all begin with `rule_`,
which the enclosing query's alias must not.
"""

from __future__ import annotations

from ledger.rules import DEFAULT_THRESHOLD
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind, Status

ORIGIN = "is_origin = TRUE"
"""A chain's last hop. `= TRUE` rather than the bare column: SQLite then searches the
(claim_id, is_origin) index by both columns, as PostgreSQL does with its boolean."""
PER_CLAIM = "LIMIT (SELECT 1)"
"""Ends every EXISTS of the rules. A LIMIT that is not a constant changes no answer, but it
keeps PostgreSQL from planning a correlated EXISTS as a hash of the whole subquery, built
once per query: it did so for a batch of 500 claims (reading every hop and link of the
ledger for each batch, so that an import's per-claim cost grew with the ledger, and a
ledger-wide read waited for the hashes before its first row). Each EXISTS then probes one
claim's rows by index, as SQLite always does."""
_NAMED = f"'{Anonymity.NAMED.value}'"
_FACT = f"'{ClaimKind.FACT.value}'"


def _party(source: str) -> str:
    """Rule 3's unit: the party a source speaks for (its derived `party`), else itself."""
    return f"COALESCE({source}.party, {source}.key)"


def exists(query: str) -> str:
    """EXISTS (SELECT 1 `query`), probed claim by claim on both engines (`PER_CLAIM`): for
    every rule, and for any other question asked of each claim of a ledger-wide read."""
    return f"EXISTS (SELECT 1 {query} {PER_CLAIM})"


def _own_parties(claim: str) -> str:
    """The parties of the claim's own origins (rule 1's sources, as rule 3 counts them)."""
    return (
        f"SELECT {_party('rule_os')} FROM hops rule_oh"
        f" JOIN sources rule_os ON rule_os.id = rule_oh.source_id"
        f" WHERE rule_oh.claim_id = {claim}.id AND rule_oh.{ORIGIN}"
    )


def _lent_origins(claim: str, *, then: str = "") -> str:
    """Rule 2's second half: the hops (`rule_lh`) ending the chains of live claims linked
    `corroborates` to the claim; `then` joins or filters further."""
    return (
        "FROM links rule_l"
        " JOIN claims rule_sc ON rule_sc.id = rule_l.from_claim_id"
        f" JOIN hops rule_lh ON rule_lh.claim_id = rule_l.from_claim_id AND rule_lh.{ORIGIN}"
        f"{then}"
        f" WHERE rule_l.to_claim_id = {claim}.id"
        f" AND rule_l.relation = '{Relation.CORROBORATES.value}'"
        " AND rule_sc.retracted_reason IS NULL"
    )


def support_size(claim: str = "c") -> str:
    """Rules 2 and 3: |parties|, the distinct parties behind the claim's own origins and
    its corroborators' origins. Counted as own parties plus lent parties that are not
    also own parties, so that neither engine has to build and de-duplicate a union per
    claim. NOT IN a list of the claim's own parties, rather than a NOT EXISTS correlated
    with the lent hop too: SQLite would answer that one through the hops-by-source index,
    reading every hop of a busy source for each claim."""
    own = (
        f"SELECT COUNT(DISTINCT {_party('rule_os')}) FROM hops rule_oh"
        " JOIN sources rule_os ON rule_os.id = rule_oh.source_id"
        f" WHERE rule_oh.claim_id = {claim}.id AND rule_oh.{ORIGIN}"
    )
    lent = (
        f"SELECT COUNT(DISTINCT {_party('rule_ls')}) "
        + _lent_origins(claim, then=" JOIN sources rule_ls ON rule_ls.id = rule_lh.source_id")
        + f" AND {_party('rule_ls')} NOT IN ({_own_parties(claim)})"
    )
    return f"(({own}) + ({lent}))"


def status(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """Rule 4."""
    size = support_size(claim)
    return (
        f"(CASE WHEN {size} >= {int(threshold)} THEN '{Status.CORROBORATED.value}'"
        f" WHEN {size} >= 1 THEN '{Status.SINGLE_SOURCE.value}'"
        f" ELSE '{Status.UNATTRIBUTED.value}' END)"
    )


def uncorroborated(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """Rule 5: a fact below the threshold."""
    return f"({claim}.kind = {_FACT} AND {support_size(claim)} < {int(threshold)})"


def anonymous_only(claim: str = "c") -> str:
    """Rule 6: some support, none of it from a named source."""
    own = f"FROM hops rule_oh WHERE rule_oh.claim_id = {claim}.id AND rule_oh.{ORIGIN}"

    def named(hop: str) -> str:
        return exists(
            f"FROM sources rule_ns WHERE rule_ns.id = {hop}.source_id"
            f" AND rule_ns.anonymity = {_NAMED}"
        )

    lent = _lent_origins(claim)
    named_own = exists(f"{own} AND {named('rule_oh')}")
    named_lent = exists(f"{lent} AND {named('rule_lh')}")
    return f"(({exists(own)} OR {exists(lent)}) AND NOT {named_own} AND NOT {named_lent})"


def contradicted(claim: str = "c") -> str:
    """Rule 7: on either end of a `contradicts` link whose other end is live."""

    def linked(near: str, far: str) -> str:
        return exists(
            f"FROM links rule_cl JOIN claims rule_other ON rule_other.id = rule_cl.{far}"
            f" WHERE rule_cl.{near} = {claim}.id"
            f" AND rule_cl.relation = '{Relation.CONTRADICTS.value}'"
            " AND rule_other.retracted_reason IS NULL"
        )

    return f"({linked('from_claim_id', 'to_claim_id')} OR {linked('to_claim_id', 'from_claim_id')})"


def single_intermediary(claim: str = "c") -> str:
    """Rule 8: two or more chains, each of two or more hops, all entering through one source.
    A chain's hops are numbered from 0, so it has a hop at position 1 exactly when it has
    two hops or more."""

    def hops_at(position: int, counted: str) -> str:
        return (
            f"(SELECT {counted} FROM hops rule_ih"
            f" WHERE rule_ih.claim_id = {claim}.id AND rule_ih.position = {position})"
        )

    chains = hops_at(0, "COUNT(*)")
    return (
        f"({chains} >= 2 AND {hops_at(1, 'COUNT(*)')} = {chains}"
        f" AND {hops_at(0, 'COUNT(DISTINCT rule_ih.source_id)')} = 1)"
    )


def borrowed_anonymity(claim: str = "c") -> str:
    """Rule 9: an unnamed origin with an outlet before it in the same chain."""
    return exists(
        "FROM hops rule_bh"
        " JOIN sources rule_bs ON rule_bs.id = rule_bh.source_id"
        " JOIN hops rule_rh ON rule_rh.claim_id = rule_bh.claim_id"
        " AND rule_rh.chain = rule_bh.chain AND rule_rh.position < rule_bh.position"
        " JOIN sources rule_rs ON rule_rs.id = rule_rh.source_id"
        f" WHERE rule_bh.claim_id = {claim}.id AND rule_bh.{ORIGIN}"
        f" AND rule_bs.anonymity <> {_NAMED} AND rule_rs.kind = '{SourceKind.OUTLET.value}'"
    )


def flags(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> list[str]:
    """The five flags a claim can carry (`wording.FLAG_LABELS`), in that order."""
    return [
        uncorroborated(claim, threshold),
        anonymous_only(claim),
        contradicted(claim),
        single_intermediary(claim),
        borrowed_anonymity(claim),
    ]


def flagged(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """A claim with at least one flag (what the desk lists)."""
    return "(" + " OR ".join(flags(claim, threshold)) + ")"


def flag_count(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """How many flags a claim carries."""
    return (
        "("
        + " + ".join(f"(CASE WHEN {flag} THEN 1 ELSE 0 END)" for flag in flags(claim, threshold))
        + ")"
    )


def status_rank(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """Worst first: unattributed 0, single source 1, corroborated 2."""
    size = support_size(claim)
    return f"(CASE WHEN {size} < 1 THEN 0 WHEN {size} < {int(threshold)} THEN 1 ELSE 2 END)"


def verdict_columns(claim: str = "c", threshold: int = DEFAULT_THRESHOLD) -> str:
    """Every rule as a column for a SELECT list: the size of the claim's support, then
    `Verdict`'s status and flags in the order of its fields."""
    return ", ".join(
        [
            support_size(claim),
            status(claim, threshold),
            uncorroborated(claim, threshold),
            anonymous_only(claim),
            contradicted(claim),
            single_intermediary(claim),
            borrowed_anonymity(claim),
        ]
    )
