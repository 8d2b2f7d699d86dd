"""The building blocks every page shares: settings, addresses, claim rows, chains, history.

A claim row carries what a table shows of a claim (its number in its
article, its colour, flags and findings) and a chain is a list of hops worded
by `ledger.wording.describe_hop`, so that the ` ← `-joined chain reads
exactly as `describe_chain` writes it, yet each source is a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session

from ledger.audit import events as trail
from ledger.checks import Finding
from ledger.claimview import ClaimView, HopView
from ledger.policy import DEFAULT as DEFAULT_POLICY
from ledger.policy import Policy
from ledger.report.html import WARNING_FIGURES
from ledger.report.model import Figures
from ledger.vocab import ClaimKind
from ledger.web import privacy
from ledger.wording import FIGURE_LABELS, describe_hop, flag_names


@dataclass(frozen=True)
class Settings:
    """What the server was started with: whether notes show, the two-source threshold,
    and the newsroom's policy (which checks are errors, warnings or off)."""

    internal: bool
    threshold: int
    policy: Policy = DEFAULT_POLICY


@dataclass
class Page:
    """A page ready to render: its template and context for HTML, its data for JSON."""

    template: str
    title: str
    context: dict[str, Any]
    data: dict[str, Any]


def article_url(slug: str) -> str:
    return f"/articles/{quote(slug)}"


def source_url(key: str) -> str:
    return f"/sources/{quote(key)}"


def claim_url(ref: str) -> str:
    slug, _, key = ref.partition("/")
    return f"/claims/{quote(slug)}/{quote(key)}"


def report_url(slug: str, fmt: str, *, public: bool = False) -> str:
    return f"{article_url(slug)}/report/{quote(fmt)}" + ("?public=1" if public else "")


def tone(view: ClaimView) -> str:
    """The colour class of a claim: `opinion`, else its status."""
    return "opinion" if view.kind is ClaimKind.OPINION else view.verdict.status.value


@dataclass(frozen=True)
class Hop:
    """One source of a chain as shown: its words (from `describe_hop`) and where it links."""

    key: str
    words: str
    href: str
    unnamed: bool
    current: bool = False


def chain_hops(chain: Sequence[HopView], current: str | None = None) -> list[Hop]:
    """A chain's hops, nearest first; joined by ` ← ` they read as `describe_chain` does."""
    return [
        Hop(
            hop.key,
            describe_hop(hop),
            source_url(hop.key),
            hop.facts().unnamed,
            hop.key == current,
        )
        for hop in chain
    ]


@dataclass
class ClaimRow:
    """A claim as a row of a table: its number in its article, colour, flags, findings."""

    number: int
    view: ClaimView
    codes: list[str] = field(default_factory=list)
    role: str = ""
    current: str | None = None
    waived: list[str] = field(default_factory=list)
    """Codes among `codes` whose every finding about this claim an editor has waived."""

    @property
    def tone(self) -> str:
        return tone(self.view)

    @property
    def flags(self) -> list[str]:
        return flag_names(self.view.verdict)

    @property
    def href(self) -> str:
        return claim_url(self.view.ref)

    @property
    def chains(self) -> list[list[Hop]]:
        return [chain_hops(chain, self.current) for chain in self.view.chains]

    def to_json(self) -> dict[str, Any]:
        data = {**self.view.to_json(), "findings": self.codes, "waived": self.waived}
        if self.number:  # a claim's place in its article; 0 where rows span articles
            data = {"number": self.number, **data}
        return {**data, "role": self.role} if self.role else data


def codes_by_claim(findings: Sequence[Finding]) -> dict[str, list[str]]:
    codes: dict[str, list[str]] = {}
    for finding in findings:
        for ref in finding.claims or (finding.subject,):
            found = codes.setdefault(ref, [])
            if finding.code not in found:
                found.append(finding.code)
    return codes


def waived_by_claim(findings: Sequence[Finding]) -> dict[str, list[str]]:
    """Per claim, the codes whose findings about it are all waived (marked so on the desk)."""
    open_codes: dict[str, set[str]] = {}
    waived: dict[str, list[str]] = {}
    for finding in findings:
        for ref in finding.claims or (finding.subject,):
            if finding.waived is None:
                open_codes.setdefault(ref, set()).add(finding.code)
            elif finding.code not in waived.setdefault(ref, []):
                waived[ref].append(finding.code)
    return {
        ref: [code for code in codes if code not in open_codes.get(ref, set())]
        for ref, codes in waived.items()
    }


def figure_tiles(figures: Figures) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "label": FIGURE_LABELS[name],
            "value": f"{round(value * 100)}%" if name == "unnamed_share" else value,
            "warn": bool(name in WARNING_FIGURES and value),
        }
        for name, value in figures.items()
    ]


def audit_trail(session: Session, entity: str, key: str, internal: bool) -> list[dict[str, Any]]:
    """The entity's audit trail, each event summed up as created, changed or deleted."""
    versions = privacy.history(trail.history(session, entity, key), internal)
    for event in versions:
        changes = event["changes"]
        if event["state"] is None:
            event["summary"] = "deleted"
        elif changes and all(old is None for _name, old, _new in changes):
            event["summary"] = "created"
        else:
            event["summary"] = "changed"
    return versions
