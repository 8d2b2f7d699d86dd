"""Who knows an unnamed source's identity, and who approved using the source.

Newsroom standards (AP, NYT, BBC) require that at least one editor knows the
identity of every confidential source and that using an unnamed source is
approved. The ledger records both as data, kept in the audit trail, so the
standards check can flag what is missing.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.audit.trail import Change
from ledger.errors import AlreadyExists, InvalidInput
from ledger.protect.records import Clearance as Clearance
from ledger.protect.records import clearances as clearances
from ledger.read.names import no_source
from ledger.storage.schema import ClearanceRow, SourceRow

KINDS = ("knows", "approved")


def add_clearance(session: Session, clearance: Clearance) -> None:
    if clearance.kind not in KINDS:
        raise InvalidInput(f"clearance kind must be one of {', '.join(KINDS)}")
    for field, value in (("name", clearance.name), ("role", clearance.role)):
        if not value.strip():
            raise InvalidInput("may not be empty", field=field)
    source_id = session.scalar(select(SourceRow.id).where(SourceRow.key == clearance.source))
    if source_id is None:
        raise no_source(session, clearance.source)
    duplicate = select(ClearanceRow.id).where(
        ClearanceRow.source_id == source_id,
        ClearanceRow.kind == clearance.kind,
        ClearanceRow.name == clearance.name,
    )
    if session.scalar(duplicate) is not None:
        raise AlreadyExists(
            f"{clearance.name} is already recorded as {clearance.kind} for {clearance.source!r}"
        )
    session.execute(
        insert(ClearanceRow),
        [
            {
                "source_id": source_id,
                "kind": clearance.kind,
                "name": clearance.name,
                "role": clearance.role,
                "on": clearance.on,
            }
        ],
    )
    trail.record(
        session, [Change(f"source.{clearance.kind}", "clearance", clearance.key, clearance.state())]
    )
