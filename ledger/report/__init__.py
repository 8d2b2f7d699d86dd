"""The sourcing report: `model` gathers its data once; one renderer module per format.

Each renderer exposes `render(report) -> str`. `render` here picks one by the
name the command line uses, importing only the module that is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.report.model import Report

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
