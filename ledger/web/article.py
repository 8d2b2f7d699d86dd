"""The article page, its report downloads, and the claim page, as data for a template and JSON.

Filters reuse `query.ClaimFilter.accepts`, so "uncorroborated" here is what
`ledger claims --uncorroborated` finds. Numbers are a claim's place in its
article and stay the same whatever is filtered, so the numbers in the text,
in the flags and in the table always agree. No SQL lives here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy.orm import Session

from ledger.errors import NotFound
from ledger.read.queries import ClaimFilter, ClaimView
from ledger.read.screens import quote_spans
from ledger.report.model import Report, build_report
from ledger.report.svg import render_svg
from ledger.web import marks, privacy
from ledger.web.rows import (
    ClaimRow,
    Page,
    Settings,
    audit_trail,
    claim_url,
    codes_by_claim,
    figure_tiles,
    report_url,
    waived_by_claim,
)
from ledger.wording import link_phrases

FILTERS = (
    ("uncorroborated", "Uncorroborated facts"),
    ("anonymous_only", "Unnamed sources only"),
    ("contradicted", "Contradicted"),
)
"""The article page's filters: a `ClaimFilter` field each, with its button label."""

REPORT_FORMATS = {
    "md": ("Markdown", "text/markdown", "md"),
    "html": ("HTML page", "text/html", "html"),
    "json": ("JSON", "application/json", "json"),
    "csv": ("CSV spreadsheet", "text/csv", "csv"),
    "prov-json": ("W3C PROV-JSON", "application/json", "prov.json"),
    "prov-n": ("W3C PROV-N", "text/provenance-notation", "provn"),
    "dot": ("Graphviz DOT", "text/vnd.graphviz", "dot"),
}
"""Report format → (label, media type, file extension) for the download links."""


# --- one article -------------------------------------------------------------------------------


def active_filters(params: Mapping[str, str]) -> dict[str, bool]:
    return {name: params.get(name, "").lower() in ("1", "true", "yes", "on") for name, _ in FILTERS}


def _filter_links(views: Sequence[ClaimView], active: dict[str, bool]) -> list[dict[str, Any]]:
    links = []
    for name, label in FILTERS:
        toggled = {**active, name: not active[name]}
        on = [item for item, value in toggled.items() if value]
        links.append(
            {
                "name": name,
                "label": label,
                "count": sum(bool(getattr(view.verdict, name)) for view in views),
                "active": active[name],
                "href": "?" + urlencode({item: "1" for item in on}) if on else "?",
            }
        )
    return links


def _flag_groups(report: Report, numbers: dict[str, int]) -> list[dict[str, Any]]:
    groups = []
    for check, found in report.findings_by_check():
        refs = list(dict.fromkeys(ref for item in found for ref in item.claims or (item.subject,)))
        groups.append(
            {
                "check": check,
                "findings": found,
                "numbers": [(numbers[ref], ref) for ref in refs if ref in numbers],
            }
        )
    return groups


def article_page(
    session: Session, settings: Settings, slug: str, params: Mapping[str, str]
) -> Page:
    """The text with quotes marked, flags first, the filtered claims table, graph, downloads."""
    report = privacy.report(
        build_report(session, slug, threshold=settings.threshold, policy=settings.policy),
        settings.internal,
    )
    article = report.article
    assert article is not None
    numbers = {view.ref: number for number, view in enumerate(report.claims, start=1)}
    codes = codes_by_claim(report.findings)
    waived = waived_by_claim(report.findings)
    active = active_filters(params)
    wanted = ClaimFilter(**active)
    rows = [
        ClaimRow(numbers[view.ref], view, codes.get(view.ref, []), waived=waived.get(view.ref, []))
        for view in report.claims
    ]
    shown = [row for row in rows if wanted.accepts(row.view.verdict)]
    segments: list[marks.Segment] = []
    missing: list[int] = []
    if article.text:
        placed, missing = marks.place_quotes(
            article.text,
            [(row.number, row.view.key, row.view.quote) for row in rows],
            quote_spans(session, slug),
        )
        segments = marks.segments(article.text, placed)
    downloads = [
        {
            "format": fmt,
            "label": label,
            "href": report_url(slug, fmt),
            "public": report_url(slug, fmt, public=True),
        }
        for fmt, (label, _media, _ext) in REPORT_FORMATS.items()
    ]
    data = {
        "article": article.to_json(),
        "threshold": report.threshold,
        "figures": report.figures.to_json(),
        "filters": active,
        "claims": [row.to_json() for row in shown],
        "findings": [item.to_json() for item in report.findings],
        "sources": [
            {
                **item.source.model_dump(mode="json"),
                "originates": item.originates,
                "relays": item.relays,
            }
            for item in report.sources
        ],
        "reports": {item["format"]: item["href"] for item in downloads},
    }
    context = {
        "report": report,
        "article": article,
        "figures": figure_tiles(report.figures),
        "flags": _flag_groups(report, numbers),
        "filters": _filter_links(report.claims, active),
        "filtering": any(active.values()),
        "rows": rows,
        "shown": shown,
        "shown_numbers": {row.number for row in shown},
        "by_number": {row.number: row for row in rows},
        "segments": segments,
        "missing": [rows[number - 1] for number in missing],
        "graph": Markup(render_svg(report)),  # svg.py escapes every text it draws
        "downloads": downloads,
    }
    return Page("article.html", article.title, context, data)


def report_download(
    session: Session, settings: Settings, slug: str, fmt: str, *, public: bool
) -> tuple[str, str, str]:
    """(content, media type, file name) of the article's report in `fmt`."""
    from ledger.report import render

    if fmt not in REPORT_FORMATS:
        raise NotFound(f"no report format {fmt!r}: use one of {', '.join(REPORT_FORMATS)}")
    report = build_report(
        session, slug, threshold=settings.threshold, public=public, policy=settings.policy
    )
    report = privacy.report(report, settings.internal and not public)
    _label, media, extension = REPORT_FORMATS[fmt]
    suffix = "-public" if public else ""
    return render(report, fmt), media, f"{slug}{suffix}.{extension}"


# --- one claim ---------------------------------------------------------------------------------


def claim_page(session: Session, settings: Settings, slug: str, key: str) -> Page:
    """A claim's verdict, chains, links both ways, the findings about it, and its history."""
    report = privacy.report(
        build_report(session, slug, threshold=settings.threshold, policy=settings.policy),
        settings.internal,
    )
    found = [
        (number, view) for number, view in enumerate(report.claims, start=1) if view.key == key
    ]
    if not found:
        raise NotFound(f"no claim {slug}/{key} in the ledger")
    number, view = found[0]
    findings = [item for item in report.findings if view.ref in (item.claims or (item.subject,))]
    texts = {other.ref: other.text for other in report.claims}
    links = [
        {"phrase": phrase, "ref": other, "href": claim_url(other), "text": texts.get(other)}
        for phrase, other in link_phrases(view.links_out, view.links_in)
    ]
    origins = [(origin, report.source(origin)) for origin in view.verdict.independent_origins]
    history = audit_trail(session, "claim", view.ref, settings.internal)
    row = ClaimRow(
        number,
        view,
        list(dict.fromkeys(item.code for item in findings)),
        waived=waived_by_claim(findings).get(view.ref, []),
    )
    data = {
        **row.to_json(),
        "article_title": report.title,
        "findings": [item.to_json() for item in findings],
        "history": history,
    }
    context = {
        "report": report,
        "row": row,
        "view": view,
        "findings": findings,
        "links": links,
        "origins": origins,
        "history": history,
    }
    return Page("claim.html", f"Claim {view.ref}", context, data)
