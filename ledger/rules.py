"""The corroboration rules of DESIGN.md, implemented once.

Every command, report and export asks this module, and only this module, what a
claim's status and flags are. The rules work on `ClaimFacts`: the few facts about
a claim they need (its kind, its chains with each source's kind and anonymity,
the origins of the claims that corroborate it, whether it is contradicted). The
query layer gathers those facts in bulk; the functions on facts touch no database.

The last section states the same rules in SQL, for questions about the whole
ledger that must not load it into Python; a property test holds the two to agreement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind, Status

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Select

DEFAULT_THRESHOLD = 2
THRESHOLD_ENV = "LEDGER_THRESHOLD"


def threshold_from_env() -> int:
    """The two-source rule's threshold: `$LEDGER_THRESHOLD`, else 2."""
    raw = os.environ.get(THRESHOLD_ENV)
    if raw is None or raw.strip() == "":
        return DEFAULT_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        from ledger.errors import InvalidInput

        raise InvalidInput(f"${THRESHOLD_ENV}: expected a whole number of at least 1, got {raw!r}")
    return value


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What the rules need to know about a source."""

    key: str
    kind: SourceKind
    anonymity: Anonymity

    @property
    def unnamed(self) -> bool:
        """Pseudonymous, anonymous and unknown sources all count as unnamed."""
        return self.anonymity is not Anonymity.NAMED


Chain = tuple[SourceFacts, ...]


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    """The inputs of the rules for one claim.

    `corroborating_chains` holds the chains of every claim A with a link
    `A corroborates C`: only their origins count (support is one level deep).
    """

    kind: ClaimKind
    chains: tuple[Chain, ...] = ()
    corroborating_chains: tuple[Chain, ...] = ()
    contradicted: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """A claim's status and flags, as the editor's questions ask for them."""

    status: Status
    uncorroborated: bool
    anonymous_only: bool
    contradicted: bool
    single_intermediary: bool
    borrowed_anonymity: bool
    origins: tuple[str, ...] = field(default=())
    independent_origins: tuple[str, ...] = field(default=())


def origins(chains: tuple[Chain, ...]) -> dict[str, SourceFacts]:
    """Rule 1 and 3: the distinct origins (last sources) of the chains, by key."""
    return {chain[-1].key: chain[-1] for chain in chains if chain}


def support(facts: ClaimFacts) -> dict[str, SourceFacts]:
    """Rule 2: the claim's own origins plus those of the claims corroborating it."""
    result = origins(facts.corroborating_chains)
    result.update(origins(facts.chains))
    return result


def status(support_size: int, threshold: int = DEFAULT_THRESHOLD) -> Status:
    """Rule 4: corroborated at the threshold, single-source at one, else unattributed."""
    if support_size >= threshold:
        return Status.CORROBORATED
    if support_size >= 1:
        return Status.SINGLE_SOURCE
    return Status.UNATTRIBUTED


def uncorroborated(kind: ClaimKind, support_size: int, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """Rule 5: a fact below the threshold. Opinion is never counted here."""
    return kind is ClaimKind.FACT and support_size < threshold


def anonymous_only(supporting: dict[str, SourceFacts]) -> bool:
    """Rule 6: there is support, and none of it comes from a named source."""
    return bool(supporting) and all(source.unnamed for source in supporting.values())


def single_intermediary(chains: tuple[Chain, ...]) -> bool:
    """Rule 8: two or more chains of two or more hops, all entering through one source."""
    if len(chains) < 2 or any(len(chain) < 2 for chain in chains):
        return False
    return len({chain[0].key for chain in chains}) == 1


def borrowed_anonymity(chains: tuple[Chain, ...]) -> bool:
    """Rule 9: an unnamed origin reached us through another outlet, which vetted it."""
    return any(
        chain[-1].unnamed and any(hop.kind is SourceKind.OUTLET for hop in chain[:-1])
        for chain in chains
        if chain
    )


def evaluate(facts: ClaimFacts, threshold: int = DEFAULT_THRESHOLD) -> Verdict:
    """Apply every rule to one claim."""
    supporting = support(facts)
    return Verdict(
        status=status(len(supporting), threshold),
        uncorroborated=uncorroborated(facts.kind, len(supporting), threshold),
        anonymous_only=anonymous_only(supporting),
        contradicted=facts.contradicted,
        single_intermediary=single_intermediary(facts.chains),
        borrowed_anonymity=borrowed_anonymity(facts.chains),
        origins=tuple(sorted(origins(facts.chains))),
        independent_origins=tuple(sorted(supporting)),
    )


# --- the same rules in SQL ---------------------------------------------------------------------
#
# Questions asked of the whole ledger ("how many facts are uncorroborated?") cannot
# gather `ClaimFacts` for a million claims. For them, the rules above are written
# again below as SQLAlchemy Core expressions, correlated with the claim of an
# enclosing query (`claim`: `ClaimRow` or an alias of it), valid on SQLite and
# PostgreSQL. tests/test_rules_sql.py checks on random ledgers that, claim by
# claim, they give exactly what `evaluate` gives. Retracted claims lend no
# support and contradict nothing, as in `query.claim_views` without
# `include_retracted`. Each expression probes the indexes of one claim (hops by
# claim, links by either end), so a query stops as soon as it has its page.
# SQLAlchemy is imported inside these functions: the rules on facts above must
# stay importable without it (the start-up of `ledger`, `ledger.fastread`).


def _own_origins(claim: Any) -> Select[tuple[int]]:
    """Rule 1: the sources ending the claim's own chains."""
    from sqlalchemy import select

    from ledger.schema import HopRow

    return (
        select(HopRow.source_id)
        .where(HopRow.claim_id == claim.id, HopRow.is_origin)
        .correlate_except(HopRow)
    )


def _lent_origins(claim: Any) -> tuple[Select[tuple[int]], Any]:
    """Rule 2's second half: origins of live claims linked `corroborates` to the claim.

    Returns the select and its hop alias, whose `source_id` is the lent origin.
    """
    from sqlalchemy import and_, select
    from sqlalchemy.orm import aliased

    from ledger.schema import ClaimRow, HopRow, LinkRow

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
        .correlate_except(LinkRow, supporter, lent)
    )
    return statement, lent


def sql_support_size(claim: Any) -> ColumnElement[int]:
    """Rules 2 and 3: |support|, distinct origins of the claim's chains and its corroborators.

    Counted as own origins plus lent origins that are not also own origins, so
    that neither engine has to build and de-duplicate a union per claim.
    """
    from sqlalchemy import func, select

    from ledger.schema import HopRow

    own = select(func.count(func.distinct(HopRow.source_id))).where(
        HopRow.claim_id == claim.id, HopRow.is_origin
    )
    lent_select, lent = _lent_origins(claim)
    # NOT IN a list of the claim's own origins, rather than a NOT EXISTS correlated with
    # the lent hop too: SQLite would answer that one through the hops-by-source index,
    # reading every hop of a busy source for each claim.
    lent_only = lent_select.with_only_columns(func.count(func.distinct(lent.source_id))).where(
        lent.source_id.not_in(_own_origins(claim))
    )
    return own.scalar_subquery() + lent_only.scalar_subquery()


def sql_status(claim: Any, threshold: int = DEFAULT_THRESHOLD) -> ColumnElement[str]:
    """Rule 4."""
    from sqlalchemy import case

    size = sql_support_size(claim)
    return case(
        (size >= threshold, Status.CORROBORATED.value),
        (size >= 1, Status.SINGLE_SOURCE.value),
        else_=Status.UNATTRIBUTED.value,
    )


def sql_uncorroborated(claim: Any, threshold: int = DEFAULT_THRESHOLD) -> ColumnElement[bool]:
    """Rule 5: a fact below the threshold."""
    from sqlalchemy import and_

    return and_(claim.kind == ClaimKind.FACT.value, sql_support_size(claim) < threshold)


def sql_anonymous_only(claim: Any) -> ColumnElement[bool]:
    """Rule 6: some support, none of it from a named source."""
    from sqlalchemy import and_, or_, select

    from ledger.schema import HopRow, SourceRow

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
    from sqlalchemy import or_, select
    from sqlalchemy.orm import aliased

    from ledger.schema import ClaimRow, LinkRow

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
    from sqlalchemy import and_, func, select

    from ledger.schema import HopRow

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
    from sqlalchemy import and_, select
    from sqlalchemy.orm import aliased

    from ledger.schema import HopRow, SourceRow

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
