"""The sourcing report in Markdown: for a pull request, a wiki page or an e-mail to the desk.

Claim text and source labels are the journalist's input: every piece of it is
escaped so that it can neither break a table nor inject markup.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ledger.checks import Finding
from ledger.claimview import ClaimView
from ledger.report.graph import render_mermaid
from ledger.report.model import ArticleRow, Figures, Report
from ledger.wording import (
    FIGURE_HEADINGS,
    FIGURE_LABELS,
    article_facts,
    describe_chain,
    link_phrases,
    percent,
    plain,
    verdict_words,
)

if TYPE_CHECKING:
    from ledger.report.wide import WideReport

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
_LEADING_LIST = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")


def md(text: str | None) -> str:
    """Inline text safe in Markdown: special characters escaped, on one line, control
    characters written out (`\\x1b`: the report is often read in a terminal)."""
    flat = plain(" ".join((text or "").split()))
    return _LEADING_LIST.sub(lambda m: f"{m[1]}\\{m[2]}{m[3]}", _SPECIAL.sub(r"\\\1", flat))


def code(text: str) -> str:
    """A key or slug as inline code (keys are `[a-z0-9-]`, so they never contain backticks)."""
    return f"`{text}`"


def _table(header: list[str], rows: list[list[str]], right: int = 0) -> list[str]:
    """A pipe table; the last `right` columns are numbers, aligned right."""
    aligns = ["---"] * (len(header) - right) + ["---:"] * right
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def _figure(name: str, value: int | float) -> str:
    return percent(value) if name == "unnamed_share" else str(value)


def _summary(figures: Figures) -> list[str]:
    rows = [
        [FIGURE_LABELS[name].capitalize(), _figure(name, value)] for name, value in figures.items()
    ]
    return ["## Summary", "", *_table(["Figure", "Value"], rows, right=1)]


def _flags(report: Report) -> list[str]:
    lines = ["## Editor flags", ""]
    groups = report.findings_by_check()
    if not groups:
        return [*lines, "No standards check found anything.", ""]
    texts = {view.ref: view.text for view in report.claims}
    for check, found in groups:
        lines += [f"### {check.code} {check.title} ({len(found)})", "", f"*{md(check.why)}*", ""]
        for finding in found:
            mark = _mark(finding)
            if finding.subject_kind == "source":
                concerned = ", ".join(code(_name(report, ref)) for ref in finding.claims)
                lines.append(
                    f"- source {code(finding.subject)}: {md(finding.message)}; "
                    f"claims: {concerned}{mark}"
                )
                continue
            lines.append(f"- {code(_name(report, finding.subject))}: {md(finding.message)}{mark}")
            if report.ledger_wide:
                lines.append(f"  “{md(texts[finding.subject])}”")
        lines.append("")
    return lines


def _mark(finding: Finding) -> str:
    """` (warning)`, or ` — **waived** by alice on 2026-12-01: reason`: how a finding is weighed."""
    if finding.waived is not None:
        waiver = finding.waived
        return f" — **waived** by {md(waiver.by)} on {waiver.at[:10]}: {md(waiver.reason)}"
    return " (warning)" if finding.level == "warning" else ""


def _name(report: Report, ref: str) -> str:
    """A claim as the reader of this report knows it: its key, or SLUG/KEY ledger-wide."""
    return ref if report.ledger_wide else ref.split("/", 1)[1]


def _sources(report: Report) -> list[str]:
    header = ["Source", "Label", "Kind", "Anonymity", "Stated reason", "Description"]
    rows = [
        [
            code(item.source.key),
            md(item.source.label)
            + (f" (speaks for {code(item.source.speaks_for)})" if item.source.speaks_for else ""),
            item.source.kind.value,
            item.source.anonymity.value,
            md(item.source.anonymity_reason) or "—",
            md(item.source.description) or "—",
            str(item.originates),
            str(item.relays),
        ]
        for item in report.sources
    ]
    if not rows:
        return ["## Sources", "", "No claim cites a source.", ""]
    return ["## Sources", "", *_table([*header, "Originates", "Relays"], rows, right=2)]


def _claim(report: Report, view: ClaimView) -> list[str]:
    lines = [
        f"### {code(view.key)}: {' · '.join(verdict_words(view.kind, view.verdict))}",
        "",
        f"> {md(view.text)}",
        "",
    ]
    facts = [f"Kind: {view.kind.value}"]
    if view.cue:
        facts.append(f"cue: {md(view.cue)}")
    lines.append(f"- {' · '.join(facts)}")
    if view.quote:
        lines.append(f"- Quote: “{md(view.quote)}”")
    for number, chain in enumerate(view.chains, start=1):
        lines.append(f"- Chain {number}: {md(describe_chain(chain))}")
    if not view.chains:
        lines.append("- No chain: the article asserts it in its own voice")
    origins = ", ".join(code(key) for key in view.verdict.independent_origins) or "none"
    lines.append(f"- Independent origins: {origins}")
    links = link_phrases(view.links_out, view.links_in)
    if links:
        phrases = "; ".join(f"{phrase} {code(_short(view, other))}" for phrase, other in links)
        lines.append(f"- Links: {phrases}")
    findings = report.findings_for(view.ref)
    if findings:
        named = dict.fromkeys(f.code + (" (waived)" if f.waived else "") for f in findings)
        lines.append(f"- Findings: {', '.join(named)}")
    return [*lines, ""]


def _short(view: ClaimView, other: str) -> str:
    """A linked claim: a bare key within the same article, SLUG/KEY otherwise."""
    prefix = f"{view.article}/"
    return other[len(prefix) :] if other.startswith(prefix) else other


def _articles(report: Report) -> list[str]:
    return list(_article_lines(report.figures, report.articles))


def _article_lines(figures: Figures, articles: Iterable[ArticleRow]) -> Iterator[str]:
    names = [name for name, _ in figures.items()]
    header = ["Article", "Title", *(FIGURE_HEADINGS[name].capitalize() for name in names)]
    rows = (
        [code(row.article.slug), md(row.article.title)]
        + [_figure(name, value) for name, value in row.figures.items()]
        for row in articles
    )
    total = [["**All articles**", ""] + [_figure(n, v) for n, v in figures.items()]]
    yield from ["## Articles", ""]
    aligns = ["---"] * 2 + ["---:"] * len(names)
    yield "| " + " | ".join(header) + " |"
    yield "| " + " | ".join(aligns) + " |"
    for row in itertools.chain(rows, total):
        yield "| " + " | ".join(row) + " |"
    yield ""


def render(report: Report) -> str:
    """The whole report; ledger-wide it is the article table then the flags."""
    threshold = f"A fact is corroborated with {report.threshold} independent origins."
    if report.ledger_wide:
        lines = [f"# Sourcing report: {md(report.title)}", "", threshold, ""]
        lines += _articles(report) + _flags(report)
        return "\n".join(lines).rstrip("\n") + "\n"
    assert report.article is not None
    lines = [f"# Sourcing report: {md(report.article.title)}", ""]
    facts = [[f"**{label}**", md(value)] for label, value in article_facts(report.article)]
    lines += _table(["Article", ""], facts)
    lines += [threshold, ""]
    lines += _summary(report.figures) + _flags(report) + _sources(report)
    lines += ["## Claims", ""]
    for view in report.claims:
        lines += _claim(report, view)
    if not report.claims:
        lines += ["No claim recorded.", ""]
    lines += ["## Attribution graph", "", "```mermaid", render_mermaid(report).rstrip("\n")]
    lines += ["```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _joined(lines: Iterable[str]) -> Iterator[str]:
    """`"\\n".join(lines).rstrip("\\n") + "\\n"`, written as the lines come."""
    first, pending = True, 0
    for line in lines:
        if not line:
            pending += 1
            continue
        yield ("\n" * pending if first else "\n" * (pending + 1)) + line
        first, pending = False, 0
    yield "\n"


def _wide_flag_lines(report: WideReport) -> Iterator[str]:
    from ledger.report.wide import grouped_findings

    yield from ["## Editor flags", ""]
    found_any = False
    for check, spool in grouped_findings(report):
        found_any = True
        yield from [f"### {check.code} {check.title} ({spool.count})", "", f"*{md(check.why)}*", ""]
        for item in spool:
            finding, mark = item.finding, _mark(item.finding)
            if finding.subject_kind == "source":
                concerned = ", ".join(code(ref) for ref in finding.claims)
                yield (
                    f"- source {code(finding.subject)}: {md(finding.message)}; "
                    f"claims: {concerned}{mark}"
                )
                continue
            yield f"- {code(finding.subject)}: {md(finding.message)}{mark}"
            yield f"  “{md(item.text)}”"
        yield ""
    if not found_any:
        yield from ["No standards check found anything.", ""]


def wide_chunks(report: WideReport) -> Iterator[str]:
    """`render` of the ledger-wide report, byte for byte, written as it comes."""
    threshold = f"A fact is corroborated with {report.threshold} independent origins."

    def lines() -> Iterator[str]:
        yield from [f"# Sourcing report: {md(report.title)}", "", threshold, ""]
        yield from _article_lines(report.figures, report.articles())
        yield from _wide_flag_lines(report)

    return _joined(lines())
