"""What a write transaction notes for the tables derived from the ledger, kept until its commit.

The claim tallies and shapes (`ledger.read.tallies`) and the label signatures
(`ledger.read.label_signatures`) are written again from notes the audit trail takes of
each change (`ledger.audit.trail.record`), just before the transaction commits.
SQLAlchemy fires `before_commit` on a savepoint's release too. There the notes stay: the
part of the write around the savepoint may yet be undone, and with it every row written
from them, those of changes made before the savepoint began among them, whose notes would
then be gone. A savepoint rolled back leaves its notes behind: each names something to
derive again from the ledger as it stands at the commit, which is right whether the change
stayed or not. So a write may nest savepoints in savepoints (a many-file import, a
newsroom's script) and undo any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Notes = TypeVar("Notes")


def kept(session: Session, key: str, empty: Callable[[], Notes]) -> Notes:
    """The notes under `key` for the session's transaction, made by `empty` at first."""
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = empty()
    return found  # type: ignore[no-any-return]


def taken(session: Session, key: str) -> Any | None:
    """The notes under `key` to write from at the commit, forgotten as they are given; none
    on a savepoint's release (they wait for the commit of the transaction around it)."""
    if session.in_nested_transaction():
        return None
    return session.info.pop(key, None)


def asked(session: Session, key: str) -> Any | None:
    """The notes under `key` for a question asked in the middle of a write, which must see
    the rows of its own changes: taken outside a savepoint; inside one, given and kept for
    the commit (what is written from them now may be undone with the savepoint)."""
    if session.in_nested_transaction():
        return session.info.get(key)
    return session.info.pop(key, None)
