"""Waiving a standards finding, and withdrawing a waiver: each an audited event.

A waiver names a finding as `ledger check --json` gives it: a check code and a
subject (a claim `SLUG/KEY`, or a source key for the checks about sources).
Whether that finding is found today is for the caller to say (it depends on
the threshold and the policy); here the code must be a check's, the subject
must exist and be of the kind the check is about, and the reason be given.
An import writes the waivers its bundles carry (`write_waivers`), checked
with the bundle (`ledger.write.changes.check_waivers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.checks import Waiver, check_named
from ledger.errors import AlreadyExists, InvalidInput, NotFound
from ledger.read.names import no_source
from ledger.read.waivers import waivers, waivers_of_article
from ledger.storage.database import actor_name
from ledger.storage.schema import SourceRow, WaiverRow
from ledger.wording import excerpt
from ledger.write.entries import claim_id

if TYPE_CHECKING:
    from ledger.write.bundle import BundleWaiver, LoadedBundle


def waiver_change(action: str, code: str, subject: str, waiver: Waiver | None) -> Change:
    """The event of a waiver given (its state) or withdrawn (None)."""
    state = None
    if waiver is not None:
        state = states.waiver_state(code, subject, waiver.reason, waiver.by, waiver.at)
    article = subject.partition("/")[0] if "/" in subject else None
    return Change(action, "waiver", states.waiver_key(code, subject), state, article)


def check_subject(session: Session, code: str, subject: str) -> str:
    """The check code, upper-cased, once the code and the subject are known to fit."""
    item = check_named(code)
    if item.about == "claim":
        if "/" not in subject:
            raise InvalidInput(
                f"{item.code} is about claims: name one as SLUG/KEY, not {excerpt(subject)}"
            )
        claim_id(session, subject)
    else:
        if "/" in subject:
            raise InvalidInput(
                f"{item.code} is about sources: name the source's key, not the claim {excerpt(subject)}"
            )
        for key in subject.split(","):  # LS401 names two: DUPLICATE,KEEP
            if session.scalar(select(SourceRow.id).where(SourceRow.key == key)) is None:
                raise no_source(session, key)
    return item.code


def waive(
    session: Session,
    code: str,
    subject: str,
    reason: str,
    *,
    by: str | None = None,
    at: str | None = None,
    action: str = "waiver.add",
) -> Waiver:
    """Record that the finding (code, subject) may stand, and why."""
    code = check_subject(session, code, subject)
    if not reason.strip():
        raise InvalidInput("a waiver needs a reason: say why the finding may stand")
    existing = session.scalar(
        select(WaiverRow).where(WaiverRow.code == code, WaiverRow.subject == subject)
    )
    if existing is not None:
        raise AlreadyExists(
            f"{code} on {subject} is already waived by {existing.waived_by} "
            f"({existing.waived_at[:10]}): {existing.reason}"
        )
    waiver = waiver_value(session, reason.strip(), by, at)
    session.execute(
        insert(WaiverRow),
        [
            {
                "code": code,
                "subject": subject,
                "reason": waiver.reason,
                "waived_by": waiver.by,
                "waived_at": waiver.at,
            }
        ],
    )
    trail.record(session, [waiver_change(action, code, subject, waiver)])
    return waiver


def unwaive(session: Session, code: str, subject: str, *, action: str = "waiver.remove") -> Waiver:
    """Withdraw the waiver of (code, subject); the finding fails `check` again."""
    wanted = code.strip().upper()
    row = session.scalar(
        select(WaiverRow).where(WaiverRow.code == wanted, WaiverRow.subject == subject)
    )
    if row is None:
        raise NotFound(f"no waiver of {wanted} on {subject}")
    waiver = Waiver(row.waived_by, row.waived_at, row.reason)
    session.execute(delete(WaiverRow).where(WaiverRow.id == row.id))
    trail.record(session, [waiver_change(action, wanted, subject, None)])
    return waiver


IMPORT_ACTIONS = {"new": "import", "replace": "import.replace", "merge": "import.merge"}


def waiver_value(session: Session, reason: str, by: str | None, at: str | None) -> Waiver:
    """A waiver given now by the session's actor, unless `by` and `at` say otherwise."""
    return Waiver(
        by or session.info.get("actor") or actor_name(),
        at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        reason,
    )


def write_waivers(
    session: Session,
    bundles: Sequence[tuple[LoadedBundle, str, list[tuple[str, str, BundleWaiver]]]],
) -> int:
    """The bundles' waivers (checked: `changes.check_waivers`), each with its bundle's mode; a
    replace first removes the article's waivers it does not list. Returns how many were added."""
    rows, changes = [], []
    stored = waivers(session, [subject for *_, listed in bundles for _c, subject, _w in listed])
    for loaded, mode, listed in bundles:
        action = IMPORT_ACTIONS[mode]
        article = loaded.bundle.article
        held = waivers_of_article(session, article.slug) if article and mode != "new" else {}
        wanted = {(code, subject): waiver for code, subject, waiver in listed}
        if mode == "replace":
            for (code, subject), waiver in held.items():
                new = wanted.get((code, subject))
                if new is None or new.reason != waiver.reason:
                    session.execute(
                        delete(WaiverRow).where(
                            WaiverRow.code == code, WaiverRow.subject == subject
                        )
                    )
                    changes.append(waiver_change(action, code, subject, None))
                    stored.pop((code, subject), None)
        for code, subject, given in listed:
            if (code, subject) in stored:
                continue  # already there, as the bundle says (checked with the bundle)
            waiver = waiver_value(session, given.reason, given.by, given.at)
            stored[code, subject] = waiver
            rows.append(
                {
                    "code": code,
                    "subject": subject,
                    "reason": waiver.reason,
                    "waived_by": waiver.by,
                    "waived_at": waiver.at,
                }
            )
            changes.append(waiver_change(action, code, subject, waiver))
    if rows:
        session.execute(insert(WaiverRow), rows)
    trail.record(session, changes)
    return len(rows)
