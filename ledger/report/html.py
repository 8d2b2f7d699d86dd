"""The sourcing report as one self-contained HTML page: flags first, prints cleanly.

Everything is inline (style sheet, SVG graph) and a Content-Security-Policy
forbids the page from fetching anything at all, so the file can be mailed,
archived, or opened offline. All text from the ledger is escaped: claim text
and source labels are untrusted input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from html import escape
from typing import TYPE_CHECKING

from ledger.checks import Check, Finding
from ledger.claimview import ClaimView
from ledger.report.model import ArticleRow, Figures, Report
from ledger.report.svg import render_svg
from ledger.vocab import ClaimKind
from ledger.wording import (
    FIGURE_HEADINGS,
    FIGURE_LABELS,
    article_facts,
    describe_chain,
    flag_names,
    link_phrases,
    percent,
    plain,
)

if TYPE_CHECKING:
    from ledger.report.wide import WideReport

WARNING_FIGURES = {
    "uncorroborated_facts",
    "anonymous_only",
    "contradicted",
    "unattributed_facts",
    "unnamed_share",
}

STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --rule: #dadce0; --paper: #ffffff;
  --green: #2e7d32; --amber: #b26a00; --red: #c62828; --blue: #1565c0; --violet: #8e24aa; }
* { box-sizing: border-box; }
html { background: #f4f4f2; font-size: 16px; }
body { margin: 0 auto; max-width: 62rem; padding: 2rem 2.25rem 3rem; background: var(--paper);
  color: var(--ink); font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: .2rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.02rem; margin: 0 0 .35rem; }
.eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .78rem;
  color: var(--muted); font-weight: 600; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0;
  font-size: .92rem; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.missing { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: .9rem; }
nav { margin: 1.2rem 0 0; font-size: .9rem; }
nav a { margin-right: 1rem; color: var(--blue); }
code, .key { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: .88em; }
.flag { border: 1px solid var(--rule); border-left: 5px solid var(--red); border-radius: 6px;
  padding: .8rem 1rem; margin: 0 0 .9rem; }
.flag .code { display: inline-block; min-width: 3.6rem; font-family: ui-monospace, Menlo,
  Consolas, monospace; color: var(--red); }
.flag .why { margin: 0 0 .5rem; color: var(--muted); font-size: .88rem; }
.flag ul { margin: 0; padding-left: 1.1rem; }
.flag li { margin: .3rem 0; }
.flag .claim-text { display: block; color: var(--muted); font-size: .88rem; }
.flag li.waived { color: var(--muted); }
.flag .waiver, .flag .level { font-size: .8rem; border: 1px solid var(--rule); border-radius: 3px;
  padding: 0 .3rem; margin-left: .3rem; }
ul.index { list-style: none; padding: 0; margin: 0 0 1.2rem; columns: 2 20rem;
  font-size: .92rem; }
ul.index li { break-inside: avoid; padding: .1rem 0; }
ul.index a { color: var(--ink); text-decoration: none; }
ul.index .code { color: var(--red); font-family: ui-monospace, Menlo, Consolas, monospace;
  margin-right: .3rem; }
.count { font-weight: normal; color: var(--muted); font-size: .9rem; }
.clean { border-left-color: var(--green); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
  gap: .6rem; }
.figure { border: 1px solid var(--rule); border-radius: 6px; padding: .55rem .7rem; }
.figure .n { display: block; font-size: 1.6rem; font-weight: 700; line-height: 1.1; }
.figure .l { display: block; font-size: .82rem; color: var(--muted); }
.figure.warn { border-color: #f0b8b8; background: #fff6f6; }
.figure.warn .n { color: var(--red); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid var(--rule); }
th { border-bottom: 2px solid var(--ink); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.unnamed { color: var(--violet); font-weight: 600; }
.claim { border: 1px solid var(--rule); border-left: 5px solid var(--muted); border-radius: 6px;
  padding: .75rem 1rem; margin: 0 0 .8rem; }
.claim.corroborated { border-left-color: var(--green); }
.claim.single-source { border-left-color: var(--amber); }
.claim.unattributed { border-left-color: var(--red); }
.claim.opinion { border-left-color: var(--blue); }
.claim header { display: flex; flex-wrap: wrap; gap: .35rem; align-items: baseline; }
.claim header .key { font-weight: 700; margin-right: .3rem; }
.claim .text { margin: .35rem 0 .4rem; font-size: 1.02rem; }
.claim dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .9rem;
  margin: 0; font-size: .88rem; }
.claim dt { color: var(--muted); }
.claim dd { margin: 0; }
.badge { display: inline-block; border: 1px solid currentColor; border-radius: 999px;
  padding: 0 .5rem; font-size: .76rem; font-weight: 600; white-space: nowrap; }
.badge.corroborated { color: var(--green); }
.badge.single-source { color: var(--amber); }
.badge.unattributed, .badge.flagged { color: var(--red); }
.badge.opinion { color: var(--blue); }
.graph-box, .wide { overflow-x: auto; }
table.articles { font-size: .8rem; }
table.articles th, table.articles td { padding: .3rem .3rem; }
table.articles td:first-child { min-width: 9rem; }
svg.graph { max-width: 100%; height: auto; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
@media (max-width: 40rem) { body { padding: 1rem; } dl.meta { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm 13mm 15mm; }
  html { background: none; font-size: 9.5pt; }
  body { max-width: none; padding: 0; font-size: 1rem; }
  nav { display: none; }
  h2 { break-after: avoid; margin-top: 1.4rem; }
  h3, .flag .why { break-after: avoid; }
  .flag li, .claim, .figure, tr { break-inside: avoid; }
  .claim { padding: .45rem .7rem; margin-bottom: .5rem; }
  a { color: inherit; text-decoration: none; }
  .figure.warn { background: none; }
  #graph { break-before: page; }
  #graph figure { margin: 0; break-inside: avoid; }
  svg.graph { width: auto; max-height: 215mm; }
  footer { margin-top: .8rem; break-before: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(text: object) -> str:
    """Escape anything for HTML text and attribute values; control characters written out
    (`\\x1b`), as on the terminal, so that the page shows what is stored."""
    return escape(plain(str(text)), quote=True)


def _claim_anchor(report: Report, ref: str, known: set[str] | None = None) -> str:
    """A claim named in the report: a link to its entry when the report shows it."""
    if known is None:
        known = {view.ref for view in report.claims}
    name = ref if report.ledger_wide else ref.split("/", 1)[1]
    if ref in known and not report.ledger_wide:
        return f'<a class="key" href="#claim-{e(name)}">{e(name)}</a>'
    return f'<span class="key">{e(name)}</span>'


def _weighed(finding: Finding) -> tuple[str, str]:
    """The list item's opening tag and the mark after the message: waived, warning, or none."""
    if finding.waived is not None:
        waiver = finding.waived
        return '<li class="waived">', (
            f' <span class="waiver">waived by {e(waiver.by)} on {e(waiver.at[:10])}: '
            f"{e(waiver.reason)}</span>"
        )
    if finding.level == "warning":
        return '<li class="warning">', ' <span class="level">warning</span>'
    return "<li>", ""


def _flags(report: Report) -> str:
    groups = report.findings_by_check()
    total = sum(len(found) for _check, found in groups)
    parts = [
        f'<section id="flags"><h2>Editor flags <span class="count">{total} findings</span></h2>'
    ]
    if not groups:
        parts.append('<div class="flag clean"><h3>No standards check found anything.</h3></div>')
    else:
        parts.append(
            '<ul class="index">'
            + "".join(
                f'<li><a href="#{e(check.code)}"><span class="code">{e(check.code)}</span> '
                f'{e(check.title)}</a> <span class="count">{len(found)}</span></li>'
                for check, found in groups
            )
            + "</ul>"
        )
    texts = {view.ref: view.text for view in report.claims}
    known = {view.ref for view in report.claims}

    def anchor(ref: str) -> str:
        return _claim_anchor(report, ref, known)

    for check, found in groups:
        parts.append(_group_head(check, len(found)))
        for finding in found:
            parts.append(_flag_item(finding, anchor, texts.get(finding.subject, "")))
        parts.append("</ul></div>")
    parts.append("</section>")
    return "".join(parts)


def _group_head(check: Check, count: int) -> str:
    return (
        f'<div class="flag" id="{e(check.code)}"><h3><span class="code">{e(check.code)}</span> '
        f'{e(check.title)} <span class="count">({count})</span></h3>'
        f'<p class="why">{e(check.why)}</p><ul>'
    )


def _plain_anchor(ref: str) -> str:
    """A claim of the ledger-wide report, which lists no claim to link to."""
    return f'<span class="key">{e(ref)}</span>'


def _flag_item(finding: Finding, anchor: Callable[[str], str], text: str) -> str:
    """One finding as a list item: a source's with the claims it concerns, a claim's with its
    text."""
    opening, mark = _weighed(finding)
    if finding.subject_kind == "source":
        concerned = ", ".join(anchor(ref) for ref in finding.claims)
        return (
            f'{opening}source <span class="key">{e(finding.subject)}</span>: '
            f'{e(finding.message)}{mark}<span class="claim-text">claims: {concerned}</span></li>'
        )
    return (
        f"{opening}{anchor(finding.subject)}: {e(finding.message)}{mark}"
        f'<span class="claim-text">{e(text)}</span></li>'
    )


def _meta_value(label: str, value: str) -> str:
    if value == "not recorded":
        return f'<dd class="missing">{e(value)}</dd>'
    if label in ("Slug", "Text SHA-256"):
        return f"<dd><code>{e(value)}</code></dd>"
    return f"<dd>{e(value)}</dd>"


def _figure_value(name: str, value: int | float) -> str:
    return percent(value) if name == "unnamed_share" else str(value)


def _summary(figures: Figures) -> str:
    tiles = "".join(
        f'<div class="figure{" warn" if name in WARNING_FIGURES and value else ""}">'
        f'<span class="n">{_figure_value(name, value)}</span>'
        f'<span class="l">{e(FIGURE_LABELS[name])}</span></div>'
        for name, value in figures.items()
    )
    return f'<section id="summary"><h2>Summary</h2><div class="figures">{tiles}</div></section>'


def _sources(report: Report) -> str:
    head = "".join(
        f'<th class="num">{name}</th>' if name in ("Originates", "Relays") else f"<th>{name}</th>"
        for name in (
            "Source",
            "Kind",
            "Anonymity",
            "Stated reason",
            "Description",
            "Originates",
            "Relays",
        )
    )
    rows = []
    for item in report.sources:
        source = item.source
        unnamed = source.anonymity.value != "named"
        reason = e(source.anonymity_reason) if source.anonymity_reason else "—"
        rows.append(
            f"<tr><td><strong>{e(source.label)}</strong><br><code>{e(source.key)}</code>"
            + (f"<br>speaks for <code>{e(source.speaks_for)}</code>" if source.speaks_for else "")
            + "</td>"
            f"<td>{e(source.kind.value)}</td>"
            f"<td{' class=unnamed' if unnamed else ''}>{e(source.anonymity.value)}</td>"
            f"<td>{reason}</td><td>{e(source.description or '—')}</td>"
            f'<td class="num">{item.originates}</td><td class="num">{item.relays}</td></tr>'
        )
    body = "".join(rows) or '<tr><td colspan="7">No claim cites a source.</td></tr>'
    return (
        f'<section id="sources"><h2>Sources</h2><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></section>"
    )


def _claim(report: Report, view: ClaimView) -> str:
    status = view.verdict.status.value
    css = "opinion" if view.kind is ClaimKind.OPINION else status
    badges = '<span class="badge opinion">opinion</span>' if css == "opinion" else ""
    badges += f'<span class="badge {e(status)}">{e(status)}</span>'
    badges += "".join(
        f'<span class="badge flagged">{e(name)}</span>' for name in flag_names(view.verdict)
    )
    rows = [("Kind", e(view.kind.value))]
    if view.cue:
        rows.append(("Cue", e(view.cue)))
    if view.quote:
        rows.append(("Quote", f"“{e(view.quote)}”"))
    for number, chain in enumerate(view.chains, start=1):
        rows.append((f"Chain {number}", e(describe_chain(chain))))
    if not view.chains:
        rows.append(("Chains", "none: the article asserts it in its own voice"))
    origins = ", ".join(f"<code>{e(key)}</code>" for key in view.verdict.independent_origins)
    rows.append(("Independent origins", origins or "none"))
    for phrase, other in link_phrases(view.links_out, view.links_in):
        rows.append(("Link", f"{e(phrase)} {_claim_anchor(report, other)}"))
    codes: dict[str, bool] = {}  # code -> waived
    for finding in report.findings_for(view.ref):
        codes[finding.code] = codes.get(finding.code, True) and finding.waived is not None
    if codes:
        rows.append(
            (
                "Findings",
                ", ".join(
                    f'<a href="#{e(c)}">{e(c)}</a>' + (" (waived)" if waived else "")
                    for c, waived in codes.items()
                ),
            )
        )
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return (
        f'<article class="claim {e(css)}" id="claim-{e(view.key)}"><header>'
        f'<span class="key">{e(view.key)}</span>{badges}</header>'
        f'<p class="text">{e(view.text)}</p><dl>{details}</dl></article>'
    )


def _articles(report: Report) -> str:
    return "".join(_article_parts(report.figures, report.articles))


def _article_parts(figures: Figures, articles: Iterable[ArticleRow]) -> Iterator[str]:
    names = [name for name, _ in figures.items()]
    head = "<th>Article</th>" + "".join(
        f'<th class="num" title="{e(FIGURE_LABELS[n])}">{e(FIGURE_HEADINGS[n])}</th>' for n in names
    )
    yield (
        f'<section id="articles"><h2>Articles</h2><div class="wide"><table class="articles">'
        f"<thead><tr>{head}</tr></thead><tbody>"
    )
    for row in articles:
        yield (
            f"<tr><td><strong>{e(row.article.title)}</strong><br>"
            f"<code>{e(row.article.slug)}</code></td>"
            + "".join(f'<td class="num">{_figure_value(n, v)}</td>' for n, v in row.figures.items())
            + "</tr>"
        )
    yield (
        "<tr><th>All articles</th>"
        + "".join(f'<th class="num">{_figure_value(n, v)}</th>' for n, v in figures.items())
        + "</tr>"
    )
    yield "</tbody></table></div></section>"


def _proof(proof: dict) -> str:
    """The proof, said in words and embedded as JSON for the offline checker (README)."""
    newer = proof["newer_events"]
    rows = "".join(
        f"<tr><td class=num>{item['event']['seq']}</td><td>{e(item['event']['at'][:19])}</td>"
        f"<td>{e(item['event']['actor'])}</td><td>{e(item['event']['action'])}</td>"
        f"<td>{e(item['event']['entity'])} {e(item['event']['key'])}</td></tr>"
        for item in proof["events"]
    )
    data = json.dumps(proof, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return (
        '<section id="proof"><h2>Proof</h2>'
        f"<p>The {len(proof['events'])} recorded events of this article are included in the "
        f"signed checkpoint of <code>{e(proof['origin'])}</code> at {proof['tree_size']} events "
        f"(root <code>{e(proof['root'])}</code>)"
        + (f"; {newer} later event(s) are not." if newer else ".")
        + " Anyone with the newsroom's verifier key can check it offline.</p>"
        '<div class="wide"><table><thead><tr><th class=num>event</th><th>at (UTC)</th><th>by</th>'
        f"<th>action</th><th>what</th></tr></thead><tbody>{rows}</tbody></table></div>"
        f'<pre class="note">{e(proof["checkpoint"])}</pre>'
        f'<script type="application/json" id="ledger-proof">{data}</script></section>'
    )


def _head(title: str, threshold: str, meta: str, sections: list[str]) -> str:
    nav = "".join(f'<a href="#{name}">{name.capitalize()}</a>' for name in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Sourcing report: {e(title)}</title><style>{STYLE}</style></head>\n"
        f'<body><header id="article"><p class="eyebrow">Sourcing report</p>'
        f"<h1>{e(title)}</h1>"
        + (f'<dl class="meta">{meta}</dl>' if meta else "")
        + f'<p class="note">{e(threshold)}</p><nav>{nav}</nav></header>\n<main>'
    )


FOOT = (
    "</main>\n<footer>Written by claim ledger from the claims, sources and links "
    "recorded for this report. Nothing on this page is fetched from the network.</footer>"
    "</body></html>\n"
)


def wide_chunks(report: WideReport) -> Iterator[str]:
    """`render` of the ledger-wide report, byte for byte: the flags, then one row per article.

    The flags open with their counts, so every check runs (its findings spooled to
    a temporary file) before the first flag is written.
    """
    from ledger.report.wide import grouped_findings

    threshold = f"A fact counts as corroborated with {report.threshold} independent origins."
    yield _head(report.title, threshold, "", ["flags", "articles"])
    groups = list(grouped_findings(report))
    total = sum(spool.count for _check, spool in groups)
    yield f'<section id="flags"><h2>Editor flags <span class="count">{total} findings</span></h2>'
    if not groups:
        yield '<div class="flag clean"><h3>No standards check found anything.</h3></div>'
    else:
        yield (
            '<ul class="index">'
            + "".join(
                f'<li><a href="#{e(check.code)}"><span class="code">{e(check.code)}</span> '
                f'{e(check.title)}</a> <span class="count">{spool.count}</span></li>'
                for check, spool in groups
            )
            + "</ul>"
        )
    for check, spool in groups:
        yield _group_head(check, spool.count)
        for item in spool:
            yield _flag_item(item.finding, _plain_anchor, item.text)
        yield "</ul></div>"
    yield "</section>\n"
    yield from _article_parts(report.figures, report.articles())
    yield FOOT


def render(report: Report) -> str:
    """The whole page; for the ledger-wide report, the flags and then one row per article."""
    threshold = f"A fact counts as corroborated with {report.threshold} independent origins."
    if report.article is not None:
        meta = "".join(
            f"<dt>{e(label)}</dt>" + _meta_value(label, value)
            for label, value in article_facts(report.article)
            if label != "Title"
        )
        sections = ["flags", "summary", "sources", "claims", "graph"]
        body = [_flags(report), _summary(report.figures), _sources(report)]
        claims = "".join(_claim(report, view) for view in report.claims) or "<p>No claim.</p>"
        body.append(f'<section id="claims"><h2>Claims</h2>{claims}</section>')
        svg = render_svg(report)
        body.append(
            '<section id="graph"><h2>Attribution graph</h2><figure class="graph-box">'
            f"{svg}<figcaption class=note>Arrows run from each origin through its "
            "intermediaries to the claim as published; dashed purple boxes are unnamed "
            "sources; arcs on the right are links between claims.</figcaption></figure></section>"
        )
        if report.proof is not None:
            sections.append("proof")
            body.append(_proof(report.proof))
    else:
        meta = ""
        sections = ["flags", "articles"]
        body = [_flags(report), _articles(report)]
    return _head(report.title, threshold, meta, sections) + "\n".join(body) + FOOT
