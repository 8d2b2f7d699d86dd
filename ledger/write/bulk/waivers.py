"""Waivers of a streaming import: checked and written at the end, once every claim is in.

Few lines carry waivers (they are editors' decisions, not data), so those lines
are kept until the end, where each waiver's claim or source is in the ledger
whatever line defined it. The checks are the bundle importer's.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.read.waivers import waivers
from ledger.storage.schema import WaiverRow
from ledger.write.bulk.state import State
from ledger.write.bundle import LoadedBundle
from ledger.write.changes import check_waivers, same_as_stored, waiver_value
from ledger.write.waivers import waiver_change


def write_waivers(session: Session, lines: Sequence[LoadedBundle], state: State) -> None:
    rows, changes = [], []
    for loaded in lines:
        for index, (code, subject, given) in enumerate(check_waivers(session, loaded, set())):
            same_as_stored(session, loaded, f"waivers[{index}]", code, subject, given)
            if (code, subject) in waivers(session, [subject]):
                continue  # the ledger holds it already, as the line says
            waiver = waiver_value(given, session)
            rows.append(
                {
                    "code": code,
                    "subject": subject,
                    "reason": waiver.reason,
                    "waived_by": waiver.by,
                    "waived_at": waiver.at,
                }
            )
            changes.append(waiver_change("import", code, subject, waiver))
    if rows:
        session.execute(insert(WaiverRow), rows)
        trail.record(session, changes)
    state.summary.waivers += len(rows)
