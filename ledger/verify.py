"""`ledger verify`: recompute the audit chain, then replay it against the rows.

Two passes, both streamed: the chain pass reads events in order and checks
numbering, links and hashes; the replay keeps one 32-byte fingerprint per
entity (not the ledger) and compares it with the state built from the rows.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger import audit
from ledger.schema import ArticleRow, EventRow
from ledger.states import iter_current_states


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: what it concerns (an event or an entity) and what is wrong."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass
class Verification:
    events: int = 0
    entities: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(session: Session) -> Verification:
    result = Verification()
    recorded = _check_chain(session, result)
    _replay(session, recorded, result)
    _check_text_hashes(session, result)
    return result


def _check_chain(
    session: Session, result: Verification
) -> dict[tuple[str, str], tuple[int, bytes | None]]:
    """Check numbering, links and hashes; return (entity, key) -> (last seq, state fingerprint)."""
    recorded: dict[tuple[str, str], tuple[int, bytes | None]] = {}
    previous_seq, previous_hash = 0, audit.GENESIS_HASH
    columns = (
        EventRow.seq,
        EventRow.at,
        EventRow.actor,
        EventRow.action,
        EventRow.entity,
        EventRow.entity_key,
        EventRow.state,
        EventRow.prev_hash,
        EventRow.hash,
    )
    statement = select(*columns).order_by(EventRow.seq).execution_options(yield_per=10_000)
    for seq, at, actor, action, entity, key, state_text, prev_hash, stored_hash in session.execute(
        statement
    ):
        result.events += 1
        subject = f"event {seq}"
        if seq != previous_seq + 1:
            missing = previous_seq + 1
            span = (
                f"events {missing} to {seq - 1} are" if seq - 1 > missing else f"event {missing} is"
            )
            result.problems.append(
                Problem(
                    f"event {missing}",
                    f"{span} missing: event {previous_seq} is followed by event {seq}",
                )
            )
        elif prev_hash != previous_hash:
            result.problems.append(
                Problem(
                    subject,
                    f"does not follow event {previous_seq} in the chain: an event was edited, removed or reordered",
                )
            )
        digest = audit.stored_chain_hash(prev_hash, seq, at, actor, action, entity, key, state_text)
        if digest != stored_hash:
            result.problems.append(
                Problem(
                    subject, "its hash does not match its content: the event was edited or moved"
                )
            )
        # The stored text is canonical JSON (else the hash above failed): its hash is the
        # state's fingerprint, with no need to parse it.
        fingerprint = (
            None if state_text is None else hashlib.sha256(state_text.encode("utf-8")).digest()
        )
        recorded[(entity, key)] = (seq, fingerprint)
        previous_seq, previous_hash = seq, stored_hash
    return recorded


EVENT_ONLY_ENTITIES = frozenset({"access"})  # a reveal is an act, not a row to compare with


def _replay(
    session: Session,
    recorded: dict[tuple[str, str], tuple[int, bytes | None]],
    result: Verification,
) -> None:
    for entity, key, state, _article in iter_current_states(session):
        result.entities += 1
        seq, fingerprint = recorded.pop((entity, key), (None, None))
        if seq is None or fingerprint is None:
            result.problems.append(
                Problem(
                    f"{entity} {key}",
                    "is in the ledger but no event records it (inserted outside the ledger)",
                )
            )
        elif fingerprint != audit.digest(state):
            fields = _differing_fields(session, seq, state)
            result.problems.append(
                Problem(
                    f"{entity} {key}",
                    f"{', '.join(fields) or 'its state'} {'differs' if len(fields) == 1 else 'differ'} "
                    f"from event {seq}, its last recorded change: changed outside the ledger",
                )
            )
    for (entity, key), (seq, fingerprint) in sorted(recorded.items(), key=lambda item: item[1][0]):
        if fingerprint is not None and entity not in EVENT_ONLY_ENTITIES:
            result.problems.append(
                Problem(
                    f"{entity} {key}",
                    f"recorded by event {seq} but missing from the ledger (deleted outside it)",
                )
            )


def _differing_fields(session: Session, seq: int, state: dict[str, Any]) -> list[str]:
    recorded = session.scalar(select(EventRow.state).where(EventRow.seq == seq))
    before = json.loads(recorded) if recorded else {}
    return [name for name, _old, _new in audit.field_changes(before, state)]


def _check_text_hashes(session: Session, result: Verification) -> None:
    from ledger.convert import text_sha256

    statement = select(ArticleRow.slug, ArticleRow.text, ArticleRow.text_sha256).execution_options(
        yield_per=200
    )
    for slug, text, stored in session.execute(statement):
        if text is not None and text_sha256(text) != stored:
            result.problems.append(
                Problem(f"article {slug}", "its text does not match its stored SHA-256")
            )
