"""The editor's standards checks: newsroom rules on sourcing, each with a stable code.

Each check is a small function over `Evidence` (judged claims and the sources
they cite) that yields `Finding`s. Checks never decide corroboration
themselves: they read the verdicts of `ledger.rules` (through the claim views)
and the sources' recorded fields. Codes are stable so that newsrooms can select
and ignore them, like a linter's:

- LS1xx: unnamed sources (AP, NYT, Reuters and BBC rules on anonymity);
- LS2xx: corroboration (the two-source rule and the independence of origins);
- LS3xx: consistency between claims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ledger import rules
from ledger.errors import InvalidInput
from ledger.vocab import Anonymity, ClaimKind, Knowledge, Relation, SourceKind, Status
from ledger.wording import describe_hop, describe_parties, describe_roots, join_words, plural

if TYPE_CHECKING:
    from ledger.claimview import ClaimView, HopView
    from ledger.model import Source


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: its code, what it is about, and why it matters in plain words.

    `subject` is a claim (`SLUG/KEY`) or a source key (`subject_kind` says
    which); `claims` lists the claims the problem concerns, so that a report
    can show, for a source, where it is used.
    """

    code: str
    subject: str
    message: str
    subject_kind: str = "claim"
    claims: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        """The subject as a linter line names it: `SLUG/KEY` or `source:KEY`."""
        return self.subject if self.subject_kind == "claim" else f"source:{self.subject}"

    def line(self) -> str:
        return f"{self.where}: {self.code} {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "check": CHECKS_BY_CODE[self.code].name,
            "subject": self.subject,
            "subject_kind": self.subject_kind,
            "message": self.message,
            "claims": list(self.claims),
        }


@dataclass(frozen=True)
class Evidence:
    """What the checks look at: judged claims, and the sources by key (at least those cited)."""

    claims: Sequence[ClaimView]
    sources: Mapping[str, Source]
    threshold: int
    clearances: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    """Source key -> (kind, role) of each clearance: who knows the identity, who approved."""
    duplicates: Sequence[tuple[str, str, str]] = ()
    """Probable duplicate sources as (duplicate, keep, why): found by the read layer."""

    @cached_property
    def own_unnamed(self) -> dict[str, list[str]]:
        """Confidential sources this newsroom vetted itself, with their claims: anonymous or
        pseudonymous, reached at least once with no outlet before them (anonymity another
        outlet granted is LS105's business; a source nobody can identify is not confidential)."""
        own: dict[str, list[str]] = {}
        for view in self.claims:
            for chain in view.chains:
                for position, hop in enumerate(chain):
                    confidential = hop.anonymity in (Anonymity.ANONYMOUS, Anonymity.PSEUDONYM)
                    if confidential and not any(
                        h.kind is SourceKind.OUTLET for h in chain[:position]
                    ):
                        refs = own.setdefault(hop.key, [])
                        if view.ref not in refs:
                            refs.append(view.ref)
        return dict(sorted(own.items()))

    @cached_property
    def cited(self) -> dict[str, list[str]]:
        """Every source anywhere in a chain, sorted by key, with the claims passing through it."""
        through: dict[str, list[str]] = {}
        for view in self.claims:
            for key in dict.fromkeys(hop.key for chain in view.chains for hop in chain):
                through.setdefault(key, []).append(view.ref)
        return dict(sorted(through.items()))

    def label(self, key: str) -> str:
        source = self.sources.get(key)
        return describe_hop(source) if source is not None else key


@dataclass(frozen=True)
class Check:
    """A standards check: stable code, short name, the heading a report shows, and why."""

    code: str
    name: str
    title: str
    why: str
    run: Callable[[Evidence], Iterator[Finding]] = field(repr=False)


CHECKS: list[Check] = []


def check(code: str, name: str, title: str, why: str) -> Callable[[Any], Any]:
    """Register a check function under its code, in the order the codes are listed."""

    def register(function: Callable[[Evidence], Iterator[Finding]]) -> Callable[..., Any]:
        CHECKS.append(Check(code, name, title, why, function))
        return function

    return register


def _unnamed(source: Source | HopView) -> bool:
    """Whether the rules count this source as unnamed (pseudonyms and unknowns included)."""
    return rules.SourceFacts(source.key, source.kind, source.anonymity).unnamed


# --- LS1xx: unnamed sources --------------------------------------------------------------------


@check(
    "LS101",
    "anonymous-no-reason",
    "Anonymous source with no stated reason",
    "AP and NYT: the story must say why the source was granted anonymity.",
)
def anonymous_without_reason(evidence: Evidence) -> Iterator[Finding]:
    for key, refs in evidence.cited.items():
        source = evidence.sources[key]
        if source.anonymity is Anonymity.ANONYMOUS and not source.anonymity_reason:
            yield Finding(
                "LS101",
                key,
                f"{source.label} is anonymous and no reason for anonymity is recorded "
                f"({plural(len(refs), 'claim')})",
                "source",
                tuple(refs),
            )


@check(
    "LS102",
    "unnamed-no-knowledge",
    "Unnamed source with no recorded knowledge basis",
    "AP, NYT, BBC: an unnamed source must be in a position to know (direct knowledge).",
)
def unnamed_without_knowledge(evidence: Evidence) -> Iterator[Finding]:
    for key, refs in evidence.cited.items():
        source = evidence.sources[key]
        if _unnamed(source) and source.knowledge in (None, Knowledge.UNKNOWN):
            basis = "unknown" if source.knowledge is Knowledge.UNKNOWN else "not recorded"
            yield Finding(
                "LS102",
                key,
                f"{describe_hop(source)}: whether this source is in a position to know is "
                f"{basis} ({plural(len(refs), 'claim')})",
                "source",
                tuple(refs),
            )


@check(
    "LS103",
    "anonymous-opinion",
    "Opinion or characterisation from an unnamed source",
    "AP, NYT, Reuters: anonymity is for information, never for opinion or personal attack.",
)
def anonymous_opinion(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        unnamed = [chain for chain in view.chains if _unnamed(chain[-1])]
        if view.kind is ClaimKind.OPINION and unnamed:
            yield _about(
                "LS103", view, f"opinion from an unnamed source: {describe_roots(unnamed)}"
            )


@check(
    "LS104",
    "single-unnamed-source",
    "Fact resting on a single unnamed source",
    "NYT, BBC: a fact that hangs on one unnamed source needs a senior editor's approval.",
)
def single_unnamed_source(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        origins = view.verdict.independent_origins
        if view.kind is ClaimKind.FACT and len(origins) == 1 and view.verdict.anonymous_only:
            yield _about("LS104", view, f"rests on one unnamed source: {_roots(view, evidence)}")


@check(
    "LS105",
    "borrowed-anonymity",
    "Borrowed anonymity",
    "AP: anonymity granted by another outlet was vetted there, not by this newsroom.",
)
def borrowed_anonymity(evidence: Evidence) -> Iterator[Finding]:
    """One finding per unnamed source, since the vetting (not each claim) is the problem.

    Only claims the rules judge `borrowed_anonymity` count; their chains show
    which outlet granted the anonymity (the nearest outlet before the origin).
    """
    granted: dict[str, dict[str, list[str]]] = {}
    for view in evidence.claims:
        if not view.verdict.borrowed_anonymity:
            continue
        for chain in view.chains:
            outlets = [hop.label for hop in chain[:-1] if hop.kind is SourceKind.OUTLET]
            if outlets and _unnamed(chain[-1]):
                refs = granted.setdefault(chain[-1].key, {}).setdefault(outlets[-1], [])
                if view.ref not in refs:
                    refs.append(view.ref)
    for key in sorted(granted):
        by_outlet = granted[key]
        outlets = join_words(
            [f"{outlet} ({plural(len(refs), 'claim')})" for outlet, refs in by_outlet.items()]
        )
        concerned = tuple(dict.fromkeys(ref for refs in by_outlet.values() for ref in refs))
        yield Finding(
            "LS105",
            key,
            f"{evidence.label(key)}: anonymity granted by {outlets}, not vetted by this newsroom",
            "source",
            concerned,
        )


@check(
    "LS107",
    "identity-unknown-to-editors",
    "Unnamed source whose identity no editor is recorded as knowing",
    "AP, NYT, BBC: at least one editor must know the identity of every confidential source.",
)
def identity_unknown_to_editors(evidence: Evidence) -> Iterator[Finding]:
    for key, refs in evidence.own_unnamed.items():
        cleared = evidence.clearances.get(key, ())
        if not any(kind == "knows" and "editor" in role.lower() for kind, role in cleared):
            yield Finding(
                "LS107",
                key,
                f"{evidence.label(key)}: no editor is recorded as knowing who this is "
                f"(`ledger source knows {key} --name … --role editor`)",
                "source",
                tuple(refs),
            )


@check(
    "LS108",
    "use-not-approved",
    "Unnamed source whose use nobody approved",
    "AP, NYT, BBC: using an unnamed source needs a senior editor's approval.",
)
def use_not_approved(evidence: Evidence) -> Iterator[Finding]:
    for key, refs in evidence.own_unnamed.items():
        if not any(kind == "approved" for kind, _role in evidence.clearances.get(key, ())):
            yield Finding(
                "LS108",
                key,
                f"{evidence.label(key)}: nobody is recorded as approving its use "
                f"({plural(len(refs), 'claim')})",
                "source",
                tuple(refs),
            )


@check(
    "LS106",
    "anonymous-only",
    "Resting only on unnamed sources",
    "BBC, Reuters: say whether a claim on unnamed sources was independently corroborated.",
)
def anonymous_only(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        if view.verdict.anonymous_only:
            yield _about("LS106", view, f"no named source behind it: {_roots(view, evidence)}")


# --- LS2xx: corroboration ----------------------------------------------------------------------


@check(
    "LS201",
    "single-intermediary",
    "All chains through one intermediary",
    "Circular reporting: several sources reached us through one outlet, which we cannot check.",
)
def single_intermediary(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        if view.verdict.single_intermediary:
            way_in = view.chains[0][0].label
            roots = list(dict.fromkeys(describe_hop(chain[-1]) for chain in view.chains))
            yield _about(
                "LS201",
                view,
                f"{plural(len(view.chains), 'chain')}, {plural(len(roots), 'root')}, "
                f"all through {way_in}: {'; '.join(roots)}",
            )


@check(
    "LS202",
    "uncorroborated-fact",
    "Uncorroborated fact",
    "Two-source rule (AP, Reuters, BBC): a fact needs independent origins.",
)
def uncorroborated_fact(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        verdict = view.verdict
        if verdict.uncorroborated and verdict.status is not Status.UNATTRIBUTED:
            count = len(verdict.independent_origins)
            yield _about(
                "LS202",
                view,
                f"{plural(count, 'independent origin')}, {evidence.threshold} needed: "
                f"{_roots(view, evidence)}",
            )


@check(
    "LS203",
    "unattributed-fact",
    "Unattributed fact",
    "AP: attribute any disputable fact not witnessed or confirmed by our own staff.",
)
def unattributed_fact(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        if view.kind is ClaimKind.FACT and view.verdict.status is Status.UNATTRIBUTED:
            yield _about("LS203", view, "no source at all: the article states it in its own voice")


# --- LS3xx: consistency ------------------------------------------------------------------------


@check(
    "LS301",
    "contradiction",
    "Contradicted claim",
    "BBC: say whether an allegation was denied, and by whom.",
)
def contradiction(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        if not view.verdict.contradicted:
            continue
        parts = [
            f"contradicts {link.other}"
            for link in view.links_out
            if link.relation is Relation.CONTRADICTS
        ] + [
            f"contradicted by {link.other}"
            for link in view.links_in
            if link.relation is Relation.CONTRADICTS
        ]
        yield _about("LS301", view, "; ".join(parts))


# --- LS4xx: the source records ------------------------------------------------------------------


@check(
    "LS401",
    "probable-duplicate-source",
    "Probable duplicate sources",
    "One party under two keys counts as two independent origins: the two-source rule then "
    "sees corroboration that is not there. Only a person decides that two records are one.",
)
def probable_duplicate(evidence: Evidence) -> Iterator[Finding]:
    for duplicate, keep, why in evidence.duplicates:
        refs = list(
            dict.fromkeys(ref for key in (duplicate, keep) for ref in evidence.cited.get(key, []))
        )
        yield Finding(
            "LS401",
            f"{duplicate},{keep}",
            f"{evidence.label(duplicate)} ({duplicate}) and {evidence.label(keep)} ({keep}) are "
            f"probably one source: {why}; if they are, merge them: "
            f"ledger source merge {duplicate} {keep}",
            "source",
            tuple(refs),
        )


# --- running them ------------------------------------------------------------------------------


def _about(code: str, view: ClaimView, message: str) -> Finding:
    return Finding(code, view.ref, message, "claim", (view.ref,))


def _roots(view: ClaimView, evidence: Evidence) -> str:
    """The claim's own roots, plus the origins that only its corroborating claims bring."""
    delegated = any(chain and chain[-1].party for chain in view.chains)
    describe = describe_parties if delegated else describe_roots
    described = describe(view.chains) if view.chains else ""
    own = {chain[-1].party or chain[-1].key for chain in view.chains if chain}
    extra = [key for key in view.verdict.independent_origins if key not in own]
    if not extra:
        return described
    through = ", ".join(
        link.other for link in view.links_in if link.relation is Relation.CORROBORATES
    )
    lent = ", ".join(evidence.label(key) for key in extra)
    lent = f"{lent} (through corroborating {through})"
    return f"{described}; plus {lent}" if described else lent


CHECKS.sort(key=lambda item: item.code)
CHECKS_BY_CODE = {item.code: item for item in CHECKS}


def select_checks(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Check]:
    """The checks chosen by code or code prefix (`LS1` is every LS1xx), minus those ignored."""

    def matching(option: str, prefixes: Iterable[str]) -> set[str]:
        chosen: set[str] = set()
        for raw in prefixes:
            for prefix in filter(None, (part.strip().upper() for part in raw.split(","))):
                found = {item.code for item in CHECKS if item.code.startswith(prefix)}
                if not found:
                    known = ", ".join(CHECKS_BY_CODE)
                    raise InvalidInput(f"{option}: no check {prefix!r}; the codes are {known}")
                chosen |= found
        return chosen

    selected = matching("--select", select) if select else set(CHECKS_BY_CODE)
    ignored = matching("--ignore", ignore) if ignore else set()
    return [item for item in CHECKS if item.code in selected - ignored]


def run_checks(evidence: Evidence, checks: Sequence[Check] | None = None) -> list[Finding]:
    """Every finding of the chosen checks (default: all), in code order then ledger order."""
    findings: list[Finding] = []
    for item in CHECKS if checks is None else checks:
        findings.extend(item.run(evidence))
    return findings
