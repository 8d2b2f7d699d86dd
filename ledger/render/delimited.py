"""Rows for spreadsheets and scripts: `--csv` and `--tsv` on every list command.

A header row, then one row per item, the same columns whichever format. CSV
quotes what needs quoting (RFC 4180, CRLF line ends, as spreadsheets expect);
TSV cannot quote, so a tab or line break inside a value becomes a space. A
cell that a spreadsheet would run as a formula (it starts with = + - or @) is
written with a leading apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ledger.claimview import ClaimView

FORMATS = ("csv", "tsv")


def safe_cell(value: Any) -> str:
    """A value as cell text: empty for None, yes/no for booleans, lists space-separated,
    formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return " ".join(safe_cell(item) for item in value)
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def delimited_chunks(
    header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> Iterator[str]:
    """The same, a line at a time: a ledger-wide list streams, never whole in memory."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in itertools.chain([header], ([safe_cell(v) for v in row] for row in rows)):
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        return
    yield "\t".join(header) + "\n"
    for row in rows:
        yield "\t".join(" ".join(safe_cell(value).split()) for value in row) + "\n"


CLAIM_COLUMNS = (
    "article",
    "key",
    "kind",
    "status",
    "uncorroborated",
    "anonymous_only",
    "contradicted",
    "single_intermediary",
    "borrowed_anonymity",
    "independent_origins",
    "chains",
    "cue",
    "text",
    "quote",
)


def claim_rows(views: Iterable[ClaimView]) -> Iterator[list[Any]]:
    """`ledger claims` as rows: chains written `ap > official | ap > musafer` (the SQL views' form)."""
    return (
        [
            view.article,
            view.key,
            view.kind.value,
            view.verdict.status.value,
            view.verdict.uncorroborated,
            view.verdict.anonymous_only,
            view.verdict.contradicted,
            view.verdict.single_intermediary,
            view.verdict.borrowed_anonymity,
            " ".join(view.verdict.independent_origins),
            " | ".join(" > ".join(hop.key for hop in chain) for chain in view.chains),
            view.cue,
            view.text,
            view.quote,
        ]
        for view in views
    )
