"""What the web view may show: internal notes only when the server was started `--internal`.

Sealed identities need nothing here: the web layer never loads the newsroom
key, so it has nothing to decrypt and can only say "[sealed]". Notes are plain
text in the ledger, so they are taken out of every value before any template
or JSON encoder sees it: the claims, the sources, the report that the
download links render, and the states and field changes of the audit trail.
SourceView keys stay real (unlike `--public`): this is the newsroom's own tool.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ledger.claimview import ClaimView, SourceView
from ledger.read.sources import SourceSummary
from ledger.report.model import Report

NOTE_FIELDS = frozenset({"notes"})


def claims(views: Iterable[ClaimView], internal: bool) -> list[ClaimView]:
    return list(views) if internal else [replace(view, notes=None) for view in views]


def source(value: SourceView, internal: bool) -> SourceView:
    return value if internal else value.model_copy(update={"notes": None})


def summaries(items: Iterable[SourceSummary], internal: bool) -> list[SourceSummary]:
    return [replace(item, source=source(item.source, internal)) for item in items]


def report(value: Report, internal: bool) -> Report:
    """The report with every note dropped: its claims, its sources, the sources it knows of."""
    if internal:
        return value
    known = {key: source(item, False) for key, item in (value.known_sources or {}).items()}
    return replace(
        value,
        claims=tuple(claims(value.claims, False)),
        sources=tuple(summaries(value.sources, False)),
        known_sources=known,
    )


def history(events: Iterable[dict[str, Any]], internal: bool) -> list[dict[str, Any]]:
    """Audit events with the note fields taken out of each state and each list of changes.

    An event that changed nothing but a note stays listed (the trail is not
    rewritten), with no changes shown.
    """
    if internal:
        return list(events)
    cleaned = []
    for event in events:
        state = event.get("state")
        if isinstance(state, dict):
            state = {name: value for name, value in state.items() if name not in NOTE_FIELDS}
        changes = [change for change in event.get("changes", []) if change[0] not in NOTE_FIELDS]
        cleaned.append({**event, "state": state, "changes": changes})
    return cleaned
