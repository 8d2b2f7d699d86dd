"""The sourcing report for machines (JSON) and for spreadsheets (CSV, one row per claim).

The JSON's claims are exactly `ledger claims --json` elements (`ClaimView.to_json`),
so a script written against one reads the other; the report adds the article,
the summary figures, the sources and the findings of the standards checks.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ledger.claimview import SOURCE_PARTICULARS, ClaimView
from ledger.report.model import ArticleRow, Report
from ledger.wording import FLAG_LABELS, describe_chain, flag_names, json_plain

if TYPE_CHECKING:
    from ledger.read.sources import SourceSummary
    from ledger.report.wide import WideReport

REPORT_VERSION = 1
SOURCE_FIELDS = ("key", "label", "kind", "anonymity", *SOURCE_PARTICULARS)
"""The source fields a report shows: what was published or decided about the source.

Listed rather than dumped, so that a field added for internal use (notes, the
protected identity) never reaches a report that leaves the newsroom.
"""


def report_json(report: Report) -> dict[str, Any]:
    article = None
    if report.article is not None:
        article = report.article.to_json(text=False)
    data: dict[str, Any] = {
        "version": REPORT_VERSION,
        "threshold": report.threshold,
        "article": article,
        "summary": report.figures.to_json(),
        "sources": [source_json(item) for item in report.sources],
        "claims": [view.to_json() for view in report.claims],
        "findings": [finding.to_json() for finding in report.findings],
    }
    if report.ledger_wide:
        data["articles"] = [article_json(row) for row in report.articles]
    if report.proof is not None:
        data["proof"] = report.proof
    return data


def source_json(item: SourceSummary) -> dict[str, Any]:
    return {
        **item.source.model_dump(mode="json", include=set(SOURCE_FIELDS)),
        **({"speaks_for": item.source.speaks_for} if item.source.speaks_for else {}),
        "originates": item.originates,
        "relays": item.relays,
    }


def article_json(row: ArticleRow) -> dict[str, Any]:
    return {
        **row.article.to_json(text=False),
        "summary": row.figures.to_json(),
    }


def render_json(report: Report) -> str:
    return json_plain(json.dumps(report_json(report), indent=2, ensure_ascii=False)) + "\n"


CSV_COLUMNS = [
    "article",
    "key",
    "kind",
    "status",
    "flags",
    *FLAG_LABELS,  # one yes/no column per flag
    "independent_origins",
    "findings",
    "chains",
    "text",
    "quote",
]


def render_csv(report: Report) -> str:
    """One row per claim; yes/no columns filter well in a spreadsheet, `flags` reads well."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    by_claim: dict[str, list[str]] = {}
    for finding in report.findings:
        for ref in finding.claims:
            codes = by_claim.setdefault(ref, [])
            if finding.code not in codes:
                codes.append(finding.code)
    for view in report.claims:
        writer.writerow(csv_row(view, by_claim.get(view.ref, [])))
    return buffer.getvalue()


def csv_row(view: ClaimView, codes: Sequence[str]) -> list[str]:
    """A claim's row: `codes` are those of the findings about it, in code order."""
    verdict = view.verdict
    return [
        view.article,
        view.key,
        view.kind.value,
        verdict.status.value,
        ", ".join(flag_names(verdict)),
        *("yes" if getattr(verdict, name) else "no" for name in FLAG_LABELS),
        " ".join(verdict.independent_origins),
        " ".join(codes),
        " | ".join(describe_chain(chain) for chain in view.chains),
        _cell(view.text),
        _cell(view.quote or ""),
    ]


def _cell(text: str) -> str:
    """Guard against spreadsheet formulas: a cell starting with = + - @ is shown as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


# --- the whole ledger, as it comes ---------------------------------------------------------------


def _json(value: Any, indent: str) -> str:
    """`value` as `render_json` writes it nested at `indent` (C1 controls escaped too)."""
    return json_plain(json.dumps(value, indent=2, ensure_ascii=False)).replace("\n", "\n" + indent)


def _json_array(items: Iterable[Any]) -> Iterator[str]:
    """A member array of the report object, element by element, as `json.dumps` nests it."""
    first = True
    for item in items:
        yield ("[\n    " if first else ",\n    ") + _json(item, "    ")
        first = False
    yield "[]" if first else "\n  ]"


def json_chunks(report: WideReport) -> Iterator[str]:
    """`render_json` of the ledger-wide report, byte for byte, written as it comes."""
    members: list[tuple[str, Any]] = [
        ("version", REPORT_VERSION),
        ("threshold", report.threshold),
        ("article", None),
        ("summary", report.figures.to_json()),
        ("sources", (source_json(item) for item in report.sources())),
        ("claims", (view.to_json() for view in report.claims())),
        ("findings", (found.finding.to_json() for found in report.findings())),
        ("articles", (article_json(row) for row in report.articles())),
    ]
    for index, (name, value) in enumerate(members):
        yield ("{\n  " if index == 0 else ",\n  ") + json.dumps(name) + ": "
        if isinstance(value, Iterator):
            yield from _json_array(value)
        else:
            yield _json(value, "  ")
    yield "\n}\n"


def csv_chunks(report: WideReport) -> Iterator[str]:
    """`render_csv` of the ledger-wide report, byte for byte, a few articles at a time."""
    from ledger.report.wide import codes_for

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for chunk in report.claim_chunks():
        findings = report.chunk_findings(chunk)
        for view in chunk:
            writer.writerow(csv_row(view, codes_for(findings, view.ref)))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
