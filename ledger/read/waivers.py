"""Reading waivers: the findings editors have accepted, by (code, subject)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ledger.checks import Waiver
from ledger.storage.reader import in_params, like_prefix, reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

Waivers = dict[tuple[str, str], Waiver]


def waivers(db: Readable, subjects: Iterable[str] | None = None) -> Waivers:
    """(code, subject) -> waiver; `subjects` limits them to those claims and sources."""
    if subjects is None:
        return _waivers_where(db)
    found: Waivers = {}
    wanted = sorted(set(subjects))
    for start in range(0, len(wanted), 500):
        condition, params = in_params("subject", "s", wanted[start : start + 500])
        found |= _waivers_where(db, condition, params)
    return found


def waivers_of_article(db: Readable, slug: str) -> Waivers:
    """The waivers on the claims of one article (subjects `SLUG/…`)."""
    return _waivers_where(
        db, "subject LIKE :prefix ESCAPE '\\'", {"prefix": like_prefix(f"{slug}/")}
    )


def _waivers_where(
    db: Readable, condition: str = "", params: dict[str, Any] | None = None
) -> Waivers:
    """The waivers that meet `condition`, in the order they were given."""
    where = f" WHERE {condition}" if condition else ""
    statement = (
        f"SELECT code, subject, waived_by, waived_at, reason FROM waivers{where} ORDER BY id"
    )
    return {
        (code, subject): Waiver(by, at, reason)
        for code, subject, by, at, reason in reader_of(db).rows(statement, params)
    }
