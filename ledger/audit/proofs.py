"""Proofs that travel: an article's events, each with its RFC 6962 inclusion proof in a checkpoint.

A report carrying one can be checked far from the ledger, with the newsroom's
verifier key and nothing else: the checkpoint's signature, each event's hash
recomputed from its content, and each hash's path up to the signed root (the
README has the script). Every event of the article the checkpoint covers is
included, so a reader also sees who entered or changed each claim, and when.

The ledger checks what it hands out: the checkpoint must be of this ledger,
the log must still extend it, and each proof must verify before it is given.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.audit import events, merkle, notes, trail, tree
from ledger.audit.checkpoint import Checkpoint, origin
from ledger.errors import InvalidInput
from ledger.storage.reader import reader_of
from ledger.storage.schema import EventRow


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def read_checkpoint(name: str, note: str) -> Checkpoint:
    """The checkpoint in a signed note, its form checked; the reader checks who signed it."""
    try:
        text, _signatures = notes.parse(note)
        return Checkpoint.parse(text)
    except notes.NoteError as exc:
        raise InvalidInput(f"{name}: not a signed checkpoint ({exc})") from None


def article_proof(session: Session, slug: str, name: str, note: str) -> dict[str, Any]:
    """The inclusion proof of article `slug`'s events in the checkpoint `note` (read from `name`)."""
    checkpoint = read_checkpoint(name, note)
    ours = origin(session)
    if checkpoint.origin != ours:
        raise InvalidInput(f"{name}: a checkpoint of another ledger ({checkpoint.origin})")
    size = checkpoint.size
    last = session.scalar(select(func.max(EventRow.seq))) or 0
    if size > last or tree.root(session, size) != checkpoint.root:
        raise InvalidInput(
            f"{name}: this ledger does not extend the checkpoint; "
            "`ledger verify` with it says where they part"
        )
    statement = f"SELECT {events.EVENT_COLUMNS} FROM events WHERE article = :slug ORDER BY seq"
    rows = [events.event_dict(row) for row in reader_of(session).rows(statement, {"slug": slug})]
    covered = [event for event in rows if event["seq"] <= size]
    if not covered:
        raise InvalidInput(f"{name}: none of article {slug!r}'s events is in the checkpoint")
    proven = []
    for event in covered:
        index = event["seq"] - 1
        path = tree.inclusion_proof(session, index, size)
        leaf = tree.event_leaf(trail.chain_hash(event["prev_hash"], event))
        if not merkle.verify_inclusion(index, size, leaf, path, checkpoint.root):
            raise tree.TreeMismatch(
                f"event {event['seq']}: its proof does not verify: run `ledger verify`"
            )
        proven.append({"event": event, "path": [_b64(value) for value in path]})
    return {
        "checkpoint": note,
        "origin": checkpoint.origin,
        "tree_size": size,
        "root": _b64(checkpoint.root),
        "article": slug,
        "events": proven,
        "newer_events": len(rows) - len(covered),
    }
