"""The ledger-wide pages and the source pages, as data for a template and for JSON.

Everything comes from the query layer and the report model, so a page says
exactly what `ledger claims`, `ledger report` and `ledger check` say: verdicts
from `ledger.rules`, findings from `ledger.checks`, chains worded by
`ledger.wording`. Notes pass through `privacy` before anything is kept.
No SQL lives here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from ledger.read import queries
from ledger.read.details import source_detail
from ledger.read.queries import ClaimView
from ledger.report.model import build_report
from ledger.vocab import Status
from ledger.web import privacy
from ledger.web.rows import (
    ClaimRow,
    Page,
    Settings,
    article_url,
    audit_trail,
    codes_by_claim,
    figure_tiles,
    source_url,
    waived_by_claim,
)

STATUS_RANK = {Status.UNATTRIBUTED: 0, Status.SINGLE_SOURCE: 1, Status.CORROBORATED: 2}
"""Worst first, for sorting by status."""


# --- the ledger overview -----------------------------------------------------------------------

SORTS = {
    "article": lambda row: row.view.article,
    "claim": lambda row: row.view.key,
    "status": lambda row: STATUS_RANK[row.view.verdict.status],
    "flags": lambda row: len(row.flags),
    "findings": lambda row: len(row.codes),
}
"""Columns of the flagged-claims list an editor can sort by; the first is the default.
The sort is stable, so ties keep article order and, within an article, entry order."""
MOST_FIRST = {"flags", "findings"}
"""Counts read best from the most: a first click on them sorts in descending order."""


def _order(params: Mapping[str, str]) -> tuple[str, bool]:
    """The column to sort by and whether in descending order, from `?sort=` and `?order=`."""
    sort = params.get("sort", "article")
    sort = sort if sort in SORTS else "article"
    order = params.get("order")
    return sort, order == "desc" if order in ("asc", "desc") else sort in MOST_FIRST


def overview(session: Session, settings: Settings, params: Mapping[str, str]) -> Page:
    """Every article with its figures, then every flagged claim across the ledger."""
    report = privacy.report(
        build_report(session, None, threshold=settings.threshold, policy=settings.policy),
        settings.internal,
    )
    codes = codes_by_claim(report.findings)
    waived = waived_by_claim(report.findings)
    numbers: dict[str, int] = {}
    rows = []
    for view in report.claims:
        numbers[view.article] = numbers.get(view.article, 0) + 1
        row = ClaimRow(
            numbers[view.article], view, codes.get(view.ref, []), waived=waived.get(view.ref, [])
        )
        if row.flags:
            rows.append(row)
    sort, descending = _order(params)
    rows.sort(key=SORTS[sort], reverse=descending)
    columns = []
    for name in SORTS:
        flip = name == sort
        first = "desc" if name in MOST_FIRST else "asc"
        order = ("asc" if descending else "desc") if flip else first
        columns.append(
            {
                "name": name,
                "active": flip,
                "descending": descending,
                "href": "?" + urlencode({"sort": name, "order": order}),
            }
        )
    articles = [
        {
            "slug": item.article.slug,
            "title": item.article.title,
            "outlet": item.article.outlet,
            "published": item.article.published.isoformat() if item.article.published else None,
            "href": article_url(item.article.slug),
            "figures": item.figures.to_json(),
        }
        for item in report.articles
    ]
    data = {
        "threshold": report.threshold,
        "figures": report.figures.to_json(),
        "articles": articles,
        "flagged": [row.to_json() for row in rows],
        "sort": {"by": sort, "order": "desc" if descending else "asc"},
    }
    context = {"report": report, "articles": articles, "rows": rows, "columns": columns}
    context["figures"] = figure_tiles(report)
    return Page("overview.html", "Ledger overview", context, data)


def source_list(session: Session, settings: Settings) -> Page:
    summaries = privacy.summaries(queries.list_sources(session), settings.internal)
    data = {
        "sources": [
            {
                **item.source.model_dump(mode="json"),
                "originates": item.originates,
                "relays": item.relays,
                "href": source_url(item.source.key),
            }
            for item in summaries
        ]
    }
    return Page("sources.html", "Sources", {"summaries": summaries}, data)


# --- one source --------------------------------------------------------------------------------


def _role(view: ClaimView, key: str) -> str:
    origin = any(chain and chain[-1].key == key for chain in view.chains)
    relays = any(hop.key == key for chain in view.chains for hop in chain[:-1])
    return " and ".join(name for name, on in (("origin", origin), ("intermediary", relays)) if on)


def source_page(session: Session, settings: Settings, key: str) -> Page:
    """A source, its party and aliases, its sealed status and clearances, and every claim it
    is anywhere in: the `SourceDetail` that `ledger source show` prints."""
    detail = source_detail(session, key, threshold=settings.threshold)
    key = detail.source.key  # an alias names the source it was merged into
    summary = privacy.summaries([detail.summary], settings.internal)[0]
    views = privacy.claims(detail.claims, settings.internal)
    cleared = [item.state() for item in detail.clearances]
    history = audit_trail(session, "source", key, settings.internal)
    rows = [ClaimRow(0, view, role=_role(view, key), current=key) for view in views]
    source = summary.source
    fields = [
        (name.replace("_", " "), value)
        for name, value in source.model_dump(mode="json", exclude={"aliases", "speaks_for"}).items()
        if name not in ("key", "label") and (value is not None or name != "notes")
    ]
    if detail.party is not None:
        fields.append(("speaks for", f"{detail.party.label} ({detail.party.key}): one party"))
    if detail.speakers:
        fields.append(
            ("spoken for by", ", ".join(f"{item.label} ({item.key})" for item in detail.speakers))
        )
    if source.aliases:
        fields.append(("aliases", ", ".join(source.aliases)))
    for item in detail.duplicates:
        other = item.keep if item.duplicate == key else item.duplicate
        fields.append(
            (
                "probable duplicate",
                f"{other}: {item.why} (ledger source merge {item.duplicate} {item.keep})",
            )
        )
    data = {**detail.to_json(), "source": source.model_dump(mode="json")}
    data["claims"] = [row.to_json() for row in rows]
    data["history"] = history
    context = {
        "summary": summary,
        "source": source,
        "fields": fields,
        "sealed": detail.sealed,
        "clearances": cleared,
        "rows": rows,
        "history": history,
    }
    return Page("source.html", f"Source: {source.label}", context, data)
