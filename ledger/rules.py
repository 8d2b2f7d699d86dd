"""The corroboration rules of DESIGN.md, implemented once.

Every command, report and export asks this module, and only this module, what a
claim's status and flags are. The rules work on `ClaimFacts`: the few facts about
a claim they need (its kind, its chains with each source's kind and anonymity,
the origins of the claims that corroborate it, whether it is contradicted). The
query layer gathers those facts in bulk; the functions on facts touch no database.

`ledger.read.rules_sql` states the same rules in SQL, for questions about the whole
ledger that must not load it into Python; a property test holds the two to agreement.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ledger.vocab import Anonymity, ClaimKind, SourceKind, Status
from ledger.wording import excerpt

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

        raise InvalidInput(
            f"${THRESHOLD_ENV}: expected a whole number of at least 1, got {excerpt(raw)}"
        )
    return value


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What the rules need to know about a source."""

    key: str
    kind: SourceKind
    anonymity: Anonymity
    party: str | None = None
    """The key at the end of the source's `speaks_for` path; None when it speaks for itself."""

    @property
    def party_key(self) -> str:
        """The party whose words these are: the source itself unless it speaks for another."""
        return self.party or self.key

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
    """The parties of the support (rule 3), sorted: what the two-source rule counts."""
    supporting: tuple[str, ...] = field(default=())
    """The sources of the support (rule 2), sorted: the speakers, before parties."""


def origins(chains: tuple[Chain, ...]) -> dict[str, SourceFacts]:
    """Rule 1: the distinct origins (last sources) of the chains, by key."""
    return {chain[-1].key: chain[-1] for chain in chains if chain}


def support(facts: ClaimFacts) -> dict[str, SourceFacts]:
    """Rule 2: the claim's own origins plus those of the claims corroborating it."""
    result = origins(facts.corroborating_chains)
    result.update(origins(facts.chains))
    return result


def parties(supporting: dict[str, SourceFacts]) -> tuple[str, ...]:
    """Rule 3: the distinct parties behind the support, sorted.

    The ministry and its spokeswoman are one party: two chains ending at them are
    one independent origin, however different their intermediaries.
    """
    return tuple(sorted({source.party_key for source in supporting.values()}))


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
    """Rule 6: there is support, and none of it comes from a named source.

    It looks at the speakers, not their parties: an anonymous official who speaks
    for a named ministry is still unnamed.
    """
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
    independent = parties(supporting)
    return Verdict(
        status=status(len(independent), threshold),
        uncorroborated=uncorroborated(facts.kind, len(independent), threshold),
        anonymous_only=anonymous_only(supporting),
        contradicted=facts.contradicted,
        single_intermediary=single_intermediary(facts.chains),
        borrowed_anonymity=borrowed_anonymity(facts.chains),
        origins=tuple(sorted(origins(facts.chains))),
        independent_origins=independent,
        supporting=tuple(sorted(supporting)),
    )
