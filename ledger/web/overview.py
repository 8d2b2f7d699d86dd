"""The ledger overview and the sources list, a page at a time, whatever the ledger's size.

The figures are sums over the tallies writes keep (`ledger.read.desk`), never
the rules asked of every claim: the whole ledger's once for each state of the
ledger (`Summaries`: kept until the audit trail moves), a page of articles' for
that page. The flagged claims are listed a page
at a time in the order asked for; only the claims of the page are loaded,
judged and checked (`WideReport.chunk_findings` gives the codes the whole
ledger's checks give them). Articles and sources are listed a page at a time
too, and the JSON at the same address is paged the same way.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from ledger.read import desk, wide
from ledger.read.sourcekeys import LabelIndex, label_index, source_changes_since
from ledger.report.wide import WideReport, figures_of
from ledger.vocab import Status
from ledger.web import privacy
from ledger.web.rows import (
    ClaimRow,
    Page,
    Settings,
    article_url,
    codes_by_claim,
    figure_tiles,
    source_url,
    waived_by_claim,
)

PAGE_SIZE = 50
"""Flagged claims and articles on one page."""
SOURCES_PAGE_SIZE = 100

STATUS_RANK = {Status.UNATTRIBUTED: 0, Status.SINGLE_SOURCE: 1, Status.CORROBORATED: 2}
"""Worst first, for sorting by status."""
SORTS = ("article", "claim", "status", "flags", "findings")
"""Columns of the flagged-claims list an editor can sort by; the first is the default.
Ties keep ledger order: article, then entry."""
MOST_FIRST = {"flags", "findings"}
"""Counts read best from the most: a first click on them sorts in descending order."""
FINDINGS_SORT_MOST = 5_000
"""Flagged claims beyond which the list is not sorted by findings. No order of the
database gives it: every flagged claim is checked against the standards first, about
half a millisecond each (a ledger of 10,000 claims, 6,345 of them flagged: 3 s), so a
newsroom's ledger of a million would wait many minutes. Beyond it the list is sorted
by flags, the nearest order the database keeps, and the page says so."""


@dataclass(frozen=True)
class Summary:
    """What the overview counts over the whole ledger, at one state of it."""

    totals: tuple[int, ...]  # the ledger's counts, in `wide.FIGURE_NAMES` order
    flagged: int
    articles: int
    sources: LabelIndex  # to pair each page's sources with the ledger's, page after page


class Summaries:
    """The ledger's summary, worked out once per state of the ledger: the audit trail's
    last event names the state, and every change to the ledger moves it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[tuple[int, int], Summary] = {}
        self.sources: tuple[int, LabelIndex] | None = None
        """The label index and the head it was last brought up to date at."""

    def get(self, session: Session, threshold: int) -> Summary:
        key = (wide.ledger_head(session), threshold)
        with self.lock:
            found = self.kept.get(key)
        if found is not None:
            return found
        totals, flagged = desk.ledger_figures(session, threshold)
        summary = Summary(
            totals,
            flagged,
            wide.count_rows(session, "articles"),
            self._label_index(session, key[0]),
        )
        with self.lock:
            self.kept = {key: summary}  # only the latest state is worth keeping
        return summary

    def _label_index(self, session: Session, head: int) -> LabelIndex:
        """The sources read for pairing, brought up to date: only the sources and aliases
        the audit trail says changed since they were read are read again (a claim edited
        leaves them as they were); read whole the first time, or when the trail is
        shorter than when they were read (another ledger, or one restored from a copy)."""
        with self.lock:
            kept = self.sources
        changes = None if kept is None else source_changes_since(session, kept[0])
        if kept is None or changes is None:
            index = label_index(session)
        elif changes[0] or changes[1]:
            index = kept[1].updated(session, *changes)
        else:
            index = kept[1]
        with self.lock:
            self.sources = (head, index)
        return index


def _number(params: Mapping[str, str], name: str) -> int:
    """A 1-based page number from `?name=`; anything else is the first page."""
    try:
        return max(1, int(params.get(name, "1")))
    except ValueError:
        return 1


def _order(params: Mapping[str, str]) -> tuple[str, bool]:
    """The column to sort by and whether in descending order, from `?sort=` and `?order=`."""
    sort = params.get("sort", "article")
    sort = sort if sort in SORTS else "article"
    order = params.get("order")
    return sort, order == "desc" if order in ("asc", "desc") else sort in MOST_FIRST


def paging(
    params: Mapping[str, str], name: str, number: int, size: int, total: int
) -> dict[str, Any]:
    """Where a page is in its list, with the addresses of the pages before and after it."""
    pages = max(1, -(-total // size))

    def href(page: int) -> str | None:
        if not 1 <= page <= pages:
            return None
        query = {key: value for key, value in params.items() if key != "format"}
        return "?" + urlencode({**query, name: page})

    return {
        "number": number,
        "size": size,
        "total": total,
        "pages": pages,
        "previous": href(number - 1),
        "next": href(number + 1),
    }


def _findings_order(report: WideReport, descending: bool, wanted: int) -> list[str]:
    """The first `wanted` flagged claims by their number of finding codes, ties in ledger
    order: every flagged claim is checked, a few articles at a time, and only the first
    `wanted` are kept (the whole ledger is read: the one order the database cannot give)."""

    report.pair_every_source()  # every flagged claim is checked: pair the sources once

    def ranked() -> Iterator[tuple[int, int, str]]:
        position = 0
        for chunk in report.claim_chunks():
            flagged = [view for view in chunk if any(_flags(view))]
            codes = codes_by_claim(report.chunk_findings(flagged)) if flagged else {}
            for view in flagged:
                count = len(codes.get(view.ref, []))
                position += 1
                yield (-count if descending else count, position, view.ref)

    return [ref for _count, _position, ref in heapq.nsmallest(wanted, ranked())]


def _flags(view: Any) -> list[bool]:
    verdict = view.verdict
    return [
        verdict.uncorroborated,
        verdict.anonymous_only,
        verdict.contradicted,
        verdict.single_intermediary,
        verdict.borrowed_anonymity,
    ]


def overview(
    session: Session, settings: Settings, params: Mapping[str, str], summaries: Summaries
) -> Page:
    """The ledger's figures, a page of its articles with theirs, a page of its flagged claims."""
    summary = summaries.get(session, settings.threshold)
    report = WideReport(session, settings.threshold, settings.policy, index=summary.sources)
    figures = figures_of(summary.totals)
    sort, descending = _order(params)
    findings_sort = summary.flagged <= FINDINGS_SORT_MOST
    notice = None
    if sort == "findings" and not findings_sort:
        sort = "flags"
        notice = (
            f"Sorted by flags: sorting by findings checks every flagged claim first, offered "
            f"up to {FINDINGS_SORT_MOST:,} flagged claims (this ledger has {summary.flagged:,})."
        )
    number = _number(params, "page")
    offset = (number - 1) * PAGE_SIZE
    if sort == "findings":
        refs = _findings_order(report, descending, offset + PAGE_SIZE)[offset:]
        views = {view.ref: view for view in _views_by_ref(session, settings, refs)}
        page_views = [views[ref] for ref in refs if ref in views]
    else:
        page_views = wide.flagged_page(
            session,
            settings.threshold,
            sort=sort,
            descending=descending,
            offset=offset,
            limit=PAGE_SIZE,
        )
    page_views = privacy.claims(page_views, settings.internal)
    findings = report.chunk_findings(page_views) if page_views else []
    codes, waived = codes_by_claim(findings), waived_by_claim(findings)
    numbers = desk.claim_numbers(session, [view.ref for view in page_views])
    rows = [
        ClaimRow(numbers[view.ref], view, codes.get(view.ref, []), waived=waived.get(view.ref, []))
        for view in page_views
    ]
    columns = []
    for name in SORTS:
        flip = name == sort
        first = "desc" if name in MOST_FIRST else "asc"
        order = ("asc" if descending else "desc") if flip else first
        offered = name != "findings" or findings_sort
        columns.append(
            {
                "name": name,
                "active": flip,
                "descending": descending,
                "href": "?" + urlencode({"sort": name, "order": order}) if offered else None,
            }
        )
    article_number = _number(params, "articles_page")
    empty = (0,) * len(wide.FIGURE_NAMES)
    article_rows = wide.article_page(session, (article_number - 1) * PAGE_SIZE, PAGE_SIZE)
    counts = desk.article_figures(session, settings.threshold, [item[0] for item in article_rows])
    articles = [
        {
            "slug": article.slug,
            "title": article.title,
            "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None,
            "href": article_url(article.slug),
            "figures": figures_of(counts.get(article_id, empty)).to_json(),
        }
        for article_id, article in article_rows
    ]
    flagged_paging = paging(params, "page", number, PAGE_SIZE, summary.flagged)
    articles_paging = paging(params, "articles_page", article_number, PAGE_SIZE, summary.articles)
    data = {
        "threshold": settings.threshold,
        "figures": figures.to_json(),
        "articles": articles,
        "articles_page": articles_paging,
        "flagged": [row.to_json() for row in rows],
        "flagged_page": flagged_paging,
        "sort": {"by": sort, "order": "desc" if descending else "asc", "notice": notice},
    }
    context = {
        "articles": articles,
        "articles_page": articles_paging,
        "rows": rows,
        "flagged_page": flagged_paging,
        "columns": columns,
        "sort_notice": notice,
        "figures": figure_tiles(figures),
    }
    return Page("overview.html", "Ledger overview", context, data)


def _views_by_ref(session: Session, settings: Settings, refs: list[str]) -> list[Any]:
    from ledger.read import queries

    views = []
    for ref in refs:
        views.append(queries.claim_view(session, ref, threshold=settings.threshold))
    return views


def source_list(session: Session, settings: Settings, params: Mapping[str, str]) -> Page:
    """One page of the sources, by key, with their counts."""
    number = _number(params, "page")
    total = wide.count_rows(session, "sources")
    summaries = privacy.summaries(
        wide.source_page(session, (number - 1) * SOURCES_PAGE_SIZE, SOURCES_PAGE_SIZE),
        settings.internal,
    )
    page = paging(params, "page", number, SOURCES_PAGE_SIZE, total)
    data = {
        "sources": [
            {
                **item.source.model_dump(mode="json"),
                "originates": item.originates,
                "relays": item.relays,
                "href": source_url(item.source.key),
            }
            for item in summaries
        ],
        "page": page,
    }
    return Page("sources.html", "Sources", {"summaries": summaries, "page": page}, data)
