"""The sourcing report for machines (JSON) and for spreadsheets (CSV, one row per claim).

The JSON's claims are exactly `ledger claims --json` elements (`ClaimView.to_json`),
so a script written against one reads the other; the report adds the article,
the summary figures, the sources and the findings of the standards checks.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ledger.report.model import Report
from ledger.wording import FLAG_LABELS, describe_chain, flag_names, json_plain

REPORT_VERSION = 1
SOURCE_FIELDS = (
    "key",
    "label",
    "kind",
    "anonymity",
    "anonymity_reason",
    "description",
    "affiliation",
    "knowledge",
    "motive",
    "ground_rules",
)
"""The source fields a report shows: what was published or decided about the source.

Listed rather than dumped, so that a field added for internal use (notes, the
protected identity) never reaches a report that leaves the newsroom.
"""


def report_json(report: Report) -> dict[str, Any]:
    article = None
    if report.article is not None:
        article = report.article.model_dump(mode="json", exclude={"text"})
    data: dict[str, Any] = {
        "version": REPORT_VERSION,
        "threshold": report.threshold,
        "article": article,
        "summary": report.figures.to_json(),
        "sources": [
            {
                **item.source.model_dump(mode="json", include=set(SOURCE_FIELDS)),
                **({"speaks_for": item.source.speaks_for} if item.source.speaks_for else {}),
                "originates": item.originates,
                "relays": item.relays,
            }
            for item in report.sources
        ],
        "claims": [view.to_json() for view in report.claims],
        "findings": [finding.to_json() for finding in report.findings],
    }
    if report.ledger_wide:
        data["articles"] = [
            {
                **row.article.model_dump(mode="json", exclude={"text"}),
                "summary": row.figures.to_json(),
            }
            for row in report.articles
        ]
    if report.proof is not None:
        data["proof"] = report.proof
    return data


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
    for view in report.claims:
        verdict = view.verdict
        codes = dict.fromkeys(finding.code for finding in report.findings_for(view.ref))
        writer.writerow(
            [
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
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """Guard against spreadsheet formulas: a cell starting with = + - @ is shown as text."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
