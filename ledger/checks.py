"""The editor's standards checks: newsroom rules on sourcing, each with a stable code.

Each check is a small function over `Evidence` (judged claims and the sources
they cite) that yields `Finding`s. Checks never decide corroboration
themselves: they read the verdicts of `ledger.rules` (through the claim views)
and the sources' recorded fields. Codes are stable so that newsrooms can select
and ignore them, like a linter's:

- LS1xx: unnamed sources (AP, NYT, Reuters and BBC rules on anonymity);
- LS2xx: corroboration (the two-source rule and the independence of origins);
- LS3xx: consistency between claims.

One cause, one finding: where two checks would say the same thing about one
claim, one of them stands back (an uncorroborated fact on unnamed sources is
LS202's, not LS106's too). A code that stopped making sense is retired, never
reused: `RETIRED` says what became of it. Each check states its rule, the
newsroom standard it comes from and how to fix what it finds (`explain`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ledger import rules
from ledger.errors import InvalidInput
from ledger.vocab import Anonymity, ClaimKind, GroundRules, Knowledge, Relation, SourceKind, Status
from ledger.wording import (
    describe_hop,
    describe_parties,
    describe_roots,
    did_you_mean,
    join_words,
    plural,
)

if TYPE_CHECKING:
    from ledger.claimview import ClaimView, HopView, SourceView


@dataclass(frozen=True, slots=True)
class Waiver:
    """An editor's decision that a finding may stand: who, when (UTC, ISO 8601) and why."""

    by: str
    at: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"by": self.by, "at": self.at, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: its code, what it is about, and why it matters in plain words.

    `subject` is a claim (`SLUG/KEY`) or a source key (`subject_kind` says
    which); `claims` lists the claims the problem concerns, so that a report
    can show, for a source, where it is used. `level` is what the newsroom's
    policy makes of the check (error or warning); `waived` the editor's
    waiver, if any: a waived finding stays listed but no longer fails `check`.
    """

    code: str
    subject: str
    message: str
    subject_kind: str = "claim"
    claims: tuple[str, ...] = ()
    level: str = "error"
    waived: Waiver | None = None

    @property
    def blocking(self) -> bool:
        """Whether it should stop publication: an error nobody has waived."""
        return self.level == "error" and self.waived is None

    @property
    def key(self) -> tuple[str, str]:
        """(code, subject): what a waiver names."""
        return (self.code, self.subject)

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
            "level": self.level,
            "waived": self.waived.to_json() if self.waived else None,
        }


@dataclass(frozen=True)
class SourceUses:
    """Per source key, the claims that use it in the ways the source checks look at.

    Worked out from the judged claims (`Evidence.uses`) for an article; given
    ready-made for the whole ledger, where the read layer gathers them source by
    source so that no check needs every claim in memory at once. Each list of
    claims is in ledger order (article, then entry), without repeats.
    """

    cited: Mapping[str, Sequence[str]]
    """Every source anywhere in a chain, with the claims passing through it."""
    own_unnamed: Mapping[str, Sequence[str]]
    """Confidential sources this newsroom vetted itself, with their claims: anonymous or
    pseudonymous, reached at least once with no outlet before them (anonymity another
    outlet granted is LS105's business; a source nobody can identify is not confidential)."""
    granted: Mapping[str, Mapping[str, Sequence[str]]]
    """Unnamed origins that reached us through another outlet, in the claims the rules
    judge `borrowed_anonymity`: source key -> the nearest outlet's label -> claims."""

    @classmethod
    def of(cls, claims: Iterable[ClaimView]) -> SourceUses:
        cited: dict[str, list[str]] = {}
        own: dict[str, list[str]] = {}
        granted: dict[str, dict[str, list[str]]] = {}
        for view in claims:
            for key in dict.fromkeys(hop.key for chain in view.chains for hop in chain):
                cited.setdefault(key, []).append(view.ref)
            for chain in view.chains:
                for position, hop in enumerate(chain):
                    confidential = hop.anonymity in (Anonymity.ANONYMOUS, Anonymity.PSEUDONYM)
                    if confidential and not any(
                        h.kind is SourceKind.OUTLET for h in chain[:position]
                    ):
                        refs = own.setdefault(hop.key, [])
                        if view.ref not in refs:
                            refs.append(view.ref)
            if not view.verdict.borrowed_anonymity:
                continue
            for chain in view.chains:
                outlets = [hop.label for hop in chain[:-1] if hop.kind is SourceKind.OUTLET]
                if outlets and _unnamed(chain[-1]):
                    refs = granted.setdefault(chain[-1].key, {}).setdefault(outlets[-1], [])
                    if view.ref not in refs:
                        refs.append(view.ref)
        return cls(dict(sorted(cited.items())), dict(sorted(own.items())), granted)


@dataclass(frozen=True)
class Evidence:
    """What the checks look at: judged claims, and the sources by key (at least those cited)."""

    claims: Sequence[ClaimView]
    sources: Mapping[str, SourceView]
    threshold: int
    clearances: Mapping[str, Sequence[tuple[str, str]]] = field(default_factory=dict)
    """Source key -> (kind, role) of each clearance: who knows the identity, who approved."""
    duplicates: Sequence[tuple[str, str, str]] = ()
    """Probable duplicate sources as (duplicate, keep, why): found by the read layer."""
    shown: Mapping[str, SourceView] | None = None
    """How messages name sources, when not as `sources` records them: a public report
    judges the full records but names each source only as it may show it."""

    given: SourceUses | None = None
    """How the sources are used, when the claims are not all here (the ledger-wide stream)."""

    @cached_property
    def uses(self) -> SourceUses:
        return self.given if self.given is not None else SourceUses.of(self.claims)

    @property
    def own_unnamed(self) -> Mapping[str, Sequence[str]]:
        """Confidential sources this newsroom vetted itself, sorted by key, with their claims."""
        return self.uses.own_unnamed

    @property
    def cited(self) -> Mapping[str, Sequence[str]]:
        """Every source anywhere in a chain, sorted by key, with the claims passing through it."""
        return self.uses.cited

    def label(self, key: str) -> str:
        source = (self.shown if self.shown is not None else self.sources).get(key)
        return describe_hop(source) if source is not None else key


@dataclass(frozen=True)
class Check:
    """A standards check: stable code, short name, the heading a report shows, and why.

    `why` is the newsroom standard it comes from, `rule` exactly when it finds
    something, `fix` what an editor does about it; `about` says whether its
    findings are about claims or about sources (what a waiver must name).
    """

    code: str
    name: str
    title: str
    why: str
    rule: str
    fix: str
    about: str
    run: Callable[[Evidence], Iterator[Finding]] = field(repr=False)


@dataclass(frozen=True)
class Retired:
    """A code no longer used, and never to be reused: what it was and what became of it."""

    code: str
    name: str
    title: str
    note: str


CHECKS: list[Check] = []

RETIRED: dict[str, Retired] = {
    "LS104": Retired(
        "LS104",
        "single-unnamed-source",
        "Fact resting on a single unnamed source",
        "It said again what LS202 (too few independent origins, none named on the record) "
        "and LS106 (no named source) said about the same claim. A fact on one unnamed source "
        "is now found once, by LS202.",
    ),
}


def check(
    code: str, name: str, title: str, why: str, *, rule: str, fix: str, about: str = "claim"
) -> Callable[[Any], Any]:
    """Register a check function under its code, in the order the codes are listed."""
    assert code not in RETIRED, f"{code} is retired and may not be reused"

    def register(function: Callable[[Evidence], Iterator[Finding]]) -> Callable[..., Any]:
        CHECKS.append(Check(code, name, title, why, rule, fix, about, function))
        return function

    return register


def _unnamed(source: SourceView | HopView) -> bool:
    """Whether the rules count this source as unnamed (pseudonyms and unknowns included)."""
    return rules.SourceFacts(source.key, source.kind, source.anonymity).unnamed


def _on_record(source: SourceView | None) -> bool:
    """A named source speaking on the record (a named source with no ground rules
    recorded is on the record: its name is published)."""
    return (
        source is not None
        and source.anonymity is Anonymity.NAMED
        and source.ground_rules in (None, GroundRules.ON_RECORD)
    )


def _named_statement(view: ClaimView, evidence: Evidence) -> bool:
    """One of the claim's own chains ends at a named source on the record: the claim is
    what that source said, reported as its statement."""
    return any(_on_record(evidence.sources.get(chain[-1].key)) for chain in view.chains if chain)


# --- LS1xx: unnamed sources --------------------------------------------------------------------


@check(
    "LS101",
    "anonymous-no-reason",
    "Anonymous source with no stated reason",
    "AP and NYT: the story must say why the source was granted anonymity.",
    rule="An anonymous source that a claim cites has no recorded reason for its anonymity.",
    fix="Record the reason the story gives on the source (`ledger source edit`), or give "
    "one in the story first.",
    about="source",
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
    rule="An unnamed source (anonymous, pseudonymous or unknown) that a claim cites has "
    "no recorded knowledge basis, or an unknown one.",
    fix="Record how the source knows (direct or secondhand) as the reporting established it "
    "(`ledger source edit`); if nobody can say, weigh whether to use the source at all.",
    about="source",
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
    rule="An opinion or characterisation has an unnamed origin in one of its own chains.",
    fix="Attribute the opinion to a named source or cut it; if it is in fact information, "
    "correct the claim's kind (`ledger claim edit`).",
)
def anonymous_opinion(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        unnamed = [chain for chain in view.chains if _unnamed(chain[-1])]
        if view.kind is ClaimKind.OPINION and unnamed:
            yield _about(
                "LS103", view, f"opinion from an unnamed source: {describe_roots(unnamed)}"
            )


@check(
    "LS105",
    "borrowed-anonymity",
    "Borrowed anonymity",
    "AP: anonymity granted by another outlet was vetted there, not by this newsroom.",
    rule="An unnamed origin reached us through another outlet, which granted the anonymity "
    "(one finding per source, naming the outlets).",
    fix="Say in the story that the other outlet granted the anonymity and credit it, or "
    "reach the source ourselves and record our own chain.",
    about="source",
)
def borrowed_anonymity(evidence: Evidence) -> Iterator[Finding]:
    """One finding per unnamed source, since the vetting (not each claim) is the problem.

    Only claims the rules judge `borrowed_anonymity` count; their chains show
    which outlet granted the anonymity (the nearest outlet before the origin).
    """
    granted = evidence.uses.granted
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
    rule="A source this newsroom granted anonymity (no outlet before it in a chain) has no "
    "editor recorded as knowing who it is.",
    fix="Have an editor learn the identity and record it (`ledger source knows`).",
    about="source",
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
    rule="A source this newsroom granted anonymity has no recorded approval of its use.",
    fix="Have the editor the policy names approve it, and record it (`ledger source approve`).",
    about="source",
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
    rule="A fact with enough independent origins, none of them named. (An uncorroborated "
    "fact on unnamed sources is LS202's; an opinion from one, LS103's.)",
    fix="Find a named source, or say in the story that several unnamed sources independently "
    "confirmed it; waive when the story already says so.",
)
def anonymous_only(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        verdict = view.verdict
        if view.kind is ClaimKind.FACT and verdict.anonymous_only and not verdict.uncorroborated:
            yield _about("LS106", view, f"no named source behind it: {_roots(view, evidence)}")


# --- LS2xx: corroboration ----------------------------------------------------------------------


@check(
    "LS201",
    "single-intermediary",
    "All chains through one intermediary",
    "Circular reporting: several sources reached us through one outlet, which we cannot check.",
    rule="A claim that counts as corroborated, but every chain came in through the same "
    "intermediary. (When the roots are too few, LS202 says so.)",
    fix="Confirm one of the origins without that intermediary, or record why the origins "
    "are independent and waive.",
)
def single_intermediary(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        if view.verdict.single_intermediary and view.verdict.status is Status.CORROBORATED:
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
    rule="A fact with at least one origin but fewer independent origins (parties) than the "
    "threshold. A named source's statement on the record is reported as that source's word "
    "and is not held to the rule, unless the claim cites more sources than it has parties "
    "(a ministry and its spokeswoman): then it only looks corroborated.",
    fix="Find a second independent origin (`ledger claim attribute`, or a corroborating "
    "claim), or attribute the fact to a named source on the record; waive when the "
    "newsroom accepts one source here.",
)
def uncorroborated_fact(evidence: Evidence) -> Iterator[Finding]:
    for view in evidence.claims:
        verdict = view.verdict
        looks_corroborated = len(verdict.supporting) > len(verdict.independent_origins)
        if (
            verdict.uncorroborated
            and verdict.status is not Status.UNATTRIBUTED
            and (looks_corroborated or not _named_statement(view, evidence))
        ):
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
    rule="A fact with no chain and no corroborating claim: the article states it in its own voice.",
    fix="Attribute it (`ledger claim attribute`); when our own staff witnessed or confirmed "
    "it, waive with that reason.",
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
    rule="The claim is at either end of a `contradicts` link.",
    fix="Make sure the story reports the denial or the conflict, and by whom; waive when it does.",
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
    rule="Two source records that nothing says differ have the same or nearly the same label "
    "(case, punctuation and a leading 'the' folded), or one is the other's alias elsewhere. "
    "The subject names both keys: DUPLICATE,KEEP.",
    fix="If they are one source, merge them (`ledger source merge DUPLICATE KEEP`); if they "
    "are two, record what tells them apart (affiliation, description), or waive.",
    about="source",
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


def check_named(code: str, *, option: str = "code") -> Check:
    """The check with this code; a retired or unknown code is refused in words."""
    wanted = code.strip().upper()
    if wanted in CHECKS_BY_CODE:
        return CHECKS_BY_CODE[wanted]
    if wanted in RETIRED:
        retired = RETIRED[wanted]
        raise InvalidInput(f"{option}: {wanted} ({retired.name}) was retired. {retired.note}")
    hint = did_you_mean(wanted, CHECKS_BY_CODE)
    raise InvalidInput(
        f"{option}: no check {code!r}{hint}; the codes are {', '.join(CHECKS_BY_CODE)}"
    )


def select_checks(
    select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
) -> list[Check]:
    """The checks chosen by code or code prefix (`LS1` is every LS1xx), minus those ignored.

    Ignoring a retired code is allowed (there is nothing left to ignore), so a
    script written before its retirement keeps working; selecting one is refused
    with what became of it.
    """

    def matching(option: str, prefixes: Iterable[str]) -> set[str]:
        chosen: set[str] = set()
        for raw in prefixes:
            for prefix in filter(None, (part.strip().upper() for part in raw.split(","))):
                found = {item.code for item in CHECKS if item.code.startswith(prefix)}
                if not found:
                    if option == "--ignore" and prefix in RETIRED:
                        continue
                    check_named(prefix, option=option)  # raises, in words
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


def judge(
    findings: Iterable[Finding],
    levels: Mapping[str, str] | None = None,
    waivers: Mapping[tuple[str, str], Waiver] | None = None,
) -> list[Finding]:
    """Findings as the newsroom weighs them: each at its check's level (a check that is
    `off` finds nothing), each with its waiver, if an editor gave one."""
    judged = []
    for found in findings:
        level = (levels or {}).get(found.code, "error")
        if level == "off":
            continue
        waiver = (waivers or {}).get(found.key)
        judged.append(replace(found, level=level, waived=waiver))
    return judged


def explain(code: str) -> Check | Retired:
    """What `ledger check --explain CODE` shows: the check, or what became of a retired code."""
    wanted = code.strip().upper()
    if wanted in RETIRED:
        return RETIRED[wanted]
    return check_named(code)
