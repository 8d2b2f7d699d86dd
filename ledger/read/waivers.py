"""Reading waivers: the findings editors have accepted, by (code, subject)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ledger.checks import Waiver
from ledger.storage.schema import WaiverRow

Waivers = dict[tuple[str, str], Waiver]


def waivers(session: Session, subjects: Iterable[str] | None = None) -> Waivers:
    """(code, subject) -> waiver; `subjects` limits them to those claims and sources."""
    if subjects is None:
        return _waivers_where(session)
    found: Waivers = {}
    wanted = sorted(set(subjects))
    for start in range(0, len(wanted), 500):
        found |= _waivers_where(session, WaiverRow.subject.in_(wanted[start : start + 500]))
    return found


def waivers_of_article(session: Session, slug: str) -> Waivers:
    """The waivers on the claims of one article (subjects `SLUG/…`)."""
    return _waivers_where(session, WaiverRow.subject.startswith(f"{slug}/", autoescape=True))


def _waivers_where(session: Session, *conditions: ColumnElement[bool]) -> Waivers:
    """The waivers that meet `conditions`, in the order they were given."""
    statement = select(
        WaiverRow.code,
        WaiverRow.subject,
        WaiverRow.waived_by,
        WaiverRow.waived_at,
        WaiverRow.reason,
    ).where(*conditions)
    return {
        (code, subject): Waiver(by, at, reason)
        for code, subject, by, at, reason in session.execute(statement.order_by(WaiverRow.id))
    }
