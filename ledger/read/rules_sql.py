"""The corroboration rules of `ledger.rules`, stated again in SQL.

Questions asked of the whole ledger ("how many facts are uncorroborated?") cannot
gather `ClaimFacts` for a million claims. For them, the rules are written
again here as SQLAlchemy Core expressions, correlated with the claim of an
enclosing query (`claim`: `ClaimRow` or an alias of it), valid on SQLite and
PostgreSQL. tests/test_rules_sql.py checks on random ledgers that, claim by
claim, they give exactly what `rules.evaluate` gives. Retracted claims lend no
support and contradict nothing, as in `queries.claim_views` without
`include_retracted`. Each expression probes the indexes of one claim (hops by
claim, links by either end), so a query stops as soon as it has its page.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from ledger.rules import DEFAULT_THRESHOLD
from ledger.storage.schema import ClaimRow, HopRow, LinkRow, SourceRow
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind, Status


def _own_origins(claim: Any) -> Select[tuple[int]]:
    """Rule 1: the sources ending the claim's own chains."""
    return (
        select(HopRow.source_id)
        .where(HopRow.claim_id == claim.id, HopRow.is_origin)
        .correlate_except(HopRow)
    )


def _lent_origins(claim: Any) -> tuple[Select[tuple[int]], Any]:
    """Rule 2's second half: origins of live claims linked `corroborates` to the claim.
    Returns the select and its hop alias, whose `source_id` is the lent origin.
    """
    supporter, lent = aliased(ClaimRow), aliased(HopRow)
    statement = (
        select(lent.source_id)
        .select_from(LinkRow)
        .join(supporter, supporter.id == LinkRow.from_claim_id)
        .join(lent, and_(lent.claim_id == LinkRow.from_claim_id, lent.is_origin))
        .where(
            LinkRow.to_claim_id == claim.id,
            LinkRow.relation == Relation.CORROBORATES.value,
            supporter.retracted_reason.is_(None),
        )
        .correlate(claim)
    )
    return statement, lent


def _party(source: Any) -> ColumnElement[str]:
    """Rule 3's unit: the party a source speaks for (its derived `party`), else itself."""
    return func.coalesce(source.party, source.key)


def _own_parties(claim: Any) -> Select[tuple[str]]:
    """The parties of the claim's own origins."""
    own_source = aliased(SourceRow)
    return (
        select(_party(own_source))
        .select_from(HopRow)
        .join(own_source, own_source.id == HopRow.source_id)
        .where(HopRow.claim_id == claim.id, HopRow.is_origin)
        .correlate(claim)
    )


def sql_support_size(claim: Any) -> ColumnElement[int]:
    """Rules 2 and 3: |parties|, the distinct parties behind the claim's own origins and
    its corroborators' origins. Counted as own parties plus lent parties that are not
    also own parties, so that neither engine has to build and de-duplicate a union per
    claim.
    """
    own_source = aliased(SourceRow)
    own = (
        select(func.count(func.distinct(_party(own_source))))
        .select_from(HopRow)
        .join(own_source, own_source.id == HopRow.source_id)
        .where(HopRow.claim_id == claim.id, HopRow.is_origin)
        .correlate(claim)
    )
    lent_select, lent = _lent_origins(claim)
    lent_source = aliased(SourceRow)
    # NOT IN a list of the claim's own parties, rather than a NOT EXISTS correlated with
    # the lent hop too: SQLite would answer that one through the hops-by-source index,
    # reading every hop of a busy source for each claim.
    lent_only = (
        lent_select.with_only_columns(func.count(func.distinct(_party(lent_source))))
        .join(lent_source, lent_source.id == lent.source_id)
        .where(_party(lent_source).not_in(_own_parties(claim)))
    )
    return own.scalar_subquery() + lent_only.scalar_subquery()


def sql_status(claim: Any, threshold: int = DEFAULT_THRESHOLD) -> ColumnElement[str]:
    """Rule 4."""
    size = sql_support_size(claim)
    return case(
        (size >= threshold, Status.CORROBORATED.value),
        (size >= 1, Status.SINGLE_SOURCE.value),
        else_=Status.UNATTRIBUTED.value,
    )


def sql_uncorroborated(claim: Any, threshold: int = DEFAULT_THRESHOLD) -> ColumnElement[bool]:
    """Rule 5: a fact below the threshold."""
    return and_(claim.kind == ClaimKind.FACT.value, sql_support_size(claim) < threshold)


def sql_anonymous_only(claim: Any) -> ColumnElement[bool]:
    """Rule 6: some support, none of it from a named source."""
    named = select(SourceRow.id).where(
        SourceRow.id == HopRow.source_id, SourceRow.anonymity == Anonymity.NAMED.value
    )
    own_named = _own_origins(claim).where(named.exists())
    lent_select, lent = _lent_origins(claim)
    lent_named = lent_select.where(
        select(SourceRow.id)
        .where(SourceRow.id == lent.source_id, SourceRow.anonymity == Anonymity.NAMED.value)
        .exists()
    )
    return and_(
        or_(_own_origins(claim).exists(), lent_select.exists()),
        ~own_named.exists(),
        ~lent_named.exists(),
    )


def sql_contradicted(claim: Any) -> ColumnElement[bool]:
    """Rule 7: on either end of a `contradicts` link whose other end is live."""
    other = aliased(ClaimRow)
    contradicts = LinkRow.relation == Relation.CONTRADICTS.value
    live = other.retracted_reason.is_(None)
    outgoing = (
        select(LinkRow.id)
        .join(other, other.id == LinkRow.to_claim_id)
        .where(LinkRow.from_claim_id == claim.id, contradicts, live)
    )
    incoming = (
        select(LinkRow.id)
        .join(other, other.id == LinkRow.from_claim_id)
        .where(LinkRow.to_claim_id == claim.id, contradicts, live)
    )
    return or_(outgoing.exists(), incoming.exists())


def sql_single_intermediary(claim: Any) -> ColumnElement[bool]:
    """Rule 8: two or more chains, each of two or more hops, all entering through one source.
    A chain's hops are numbered from 0, so it has a hop at position 1 exactly
    when it has two hops or more.
    """
    def hops_at(position: int, counted: Any) -> ColumnElement[int]:
        return (
            select(counted)
            .where(HopRow.claim_id == claim.id, HopRow.position == position)
            .scalar_subquery()
        )
    chains = hops_at(0, func.count())
    return and_(
        chains >= 2,
        hops_at(1, func.count()) == chains,
        hops_at(0, func.count(func.distinct(HopRow.source_id))) == 1,
    )


def sql_borrowed_anonymity(claim: Any) -> ColumnElement[bool]:
    """Rule 9: an unnamed origin with an outlet before it in the same chain."""
    relay = aliased(HopRow)
    origin_source, relay_source = aliased(SourceRow), aliased(SourceRow)
    return (
        select(HopRow.claim_id)
        .join(origin_source, origin_source.id == HopRow.source_id)
        .join(
            relay,
            and_(
                relay.claim_id == HopRow.claim_id,
                relay.chain == HopRow.chain,
                relay.position < HopRow.position,
            ),
        )
        .join(relay_source, relay_source.id == relay.source_id)
        .where(
            HopRow.claim_id == claim.id,
            HopRow.is_origin,
            origin_source.anonymity != Anonymity.NAMED.value,
            relay_source.kind == SourceKind.OUTLET.value,
        )
        .exists()
    )


def sql_verdict_columns(claim: Any, threshold: int = DEFAULT_THRESHOLD) -> list[Any]:
    """Every rule as a labelled column, named as `Verdict`'s fields (plus `support_size`)."""
    return [
        sql_support_size(claim).label("support_size"),
        sql_status(claim, threshold).label("status"),
        sql_uncorroborated(claim, threshold).label("uncorroborated"),
        sql_anonymous_only(claim).label("anonymous_only"),
        sql_contradicted(claim).label("contradicted"),
        sql_single_intermediary(claim).label("single_intermediary"),
        sql_borrowed_anonymity(claim).label("borrowed_anonymity"),
    ]
