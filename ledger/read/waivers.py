"""Reading waivers: the findings editors have accepted, by (code, subject)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.checks import Waiver
from ledger.storage.schema import WaiverRow


def waivers(
    session: Session, subjects: Iterable[str] | None = None
) -> dict[tuple[str, str], Waiver]:
    """(code, subject) -> waiver; `subjects` limits them to those claims and sources."""
    statement = select(
        WaiverRow.code,
        WaiverRow.subject,
        WaiverRow.waived_by,
        WaiverRow.waived_at,
        WaiverRow.reason,
    ).order_by(WaiverRow.id)
    found: dict[tuple[str, str], Waiver] = {}
    if subjects is None:
        rows = list(session.execute(statement))
    else:
        wanted = sorted(set(subjects))
        rows = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += session.execute(statement.where(WaiverRow.subject.in_(chunk)))
    for code, subject, by, at, reason in rows:
        found[(code, subject)] = Waiver(by, at, reason)
    return found


def waivers_of_article(session: Session, slug: str) -> dict[tuple[str, str], Waiver]:
    """The waivers on the claims of one article (subjects `SLUG/…`)."""
    prefix = f"{slug}/"
    statement = select(
        WaiverRow.code,
        WaiverRow.subject,
        WaiverRow.waived_by,
        WaiverRow.waived_at,
        WaiverRow.reason,
    ).where(WaiverRow.subject.startswith(prefix, autoescape=True))
    return {
        (code, subject): Waiver(by, at, reason)
        for code, subject, by, at, reason in session.execute(statement.order_by(WaiverRow.id))
    }
