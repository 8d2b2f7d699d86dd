"""The ledger-wide pages and the source pages, as data for a template and for JSON.

Everything comes from the query layer and the report model, so a page says
exactly what `ledger claims`, `ledger report` and `ledger check` say: verdicts
from `ledger.rules`, findings from `ledger.checks`, chains worded by
`ledger.wording`. Notes pass through `privacy` before anything is kept.
No SQL lives here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from ledger.read.details import source_detail
from ledger.read.queries import ClaimView
from ledger.web import privacy
from ledger.web.rows import (
    ClaimRow,
    Page,
    Settings,
    audit_trail,
)

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
