"""The sourcing report: `model` gathers its data once; one renderer module per format.

Each renderer exposes `render(report) -> str`. `render` here picks one by the
name the command line uses, importing only the module that is needed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.report.model import Report
    from ledger.report.wide import WideReport

FORMATS = {
    "md": ("ledger.report.markdown", "render"),
    "html": ("ledger.report.html", "render"),
    "json": ("ledger.report.json_csv", "render_json"),
    "csv": ("ledger.report.json_csv", "render_csv"),
    "prov-json": ("ledger.report.prov", "render_json"),
    "prov-n": ("ledger.report.prov", "render_provn"),
    "dot": ("ledger.report.graph", "render_dot"),
}
"""Format name → (module, function) of its renderer."""


def render(report: Report, fmt: str) -> str:
    """The report in format `fmt` (a key of FORMATS)."""
    module, function = FORMATS[fmt]
    return str(getattr(importlib.import_module(module), function)(report))


STREAMED = {
    "md": ("ledger.report.markdown", "wide_chunks"),
    "html": ("ledger.report.html", "wide_chunks"),
    "json": ("ledger.report.json_csv", "json_chunks"),
    "csv": ("ledger.report.json_csv", "csv_chunks"),
}
"""Formats whose ledger-wide report is written as it is read (`ledger.report.wide`), with
the same text as `render` gives for `build_report(session, None)`. The others (PROV and
the graph) build a document of the whole ledger first."""


def render_wide(report: WideReport, fmt: str) -> Iterator[str]:
    """The ledger-wide report in format `fmt` (a key of STREAMED), piece by piece."""
    module, function = STREAMED[fmt]
    chunks: Iterator[str] = getattr(importlib.import_module(module), function)(report)
    return chunks
