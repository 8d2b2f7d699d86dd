"""The tamper-evident audit trail: every change appends a hash-chained event.

An event records who changed what, when, and the entity's whole new state as
canonical JSON (sorted keys, UTF-8, no insignificant whitespace). Its hash is
SHA-256 over the previous event's hash followed by the canonical event, so an
edited, deleted or reordered event breaks the chain. Because events carry full
states, `verify` can also replay them and compare the result with the rows:
a change made behind the ledger's back (direct SQL) shows up as a difference.

The canonical event of format 2 (every event written since schema 0009) holds
every stored column: the fields of format 1 plus `article` and `db_role`, the
database role that wrote it (PostgreSQL's `current_user`). Each event's hash
is also a leaf of an RFC 6962 Merkle tree (`ledger.audit.tree`), grown here in
the same transaction, which signed checkpoints commit to.

Events are appended in the caller's transaction, after the chain head is
locked (SQLite: the write transaction began with BEGIN IMMEDIATE; PostgreSQL:
a transaction-level advisory lock), so concurrent writers form one line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring as json_string  # what json.dumps uses
from typing import Any

from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ledger.audit import tree
from ledger.audit.merkle import CompactRange
from ledger.read import label_signatures, tallies
from ledger.storage.database import WRITER_LOCK, actor_name
from ledger.storage.driver import insert_rows
from ledger.storage.schema import EventRow

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "entity", "key", "state")
HASHED_FIELDS_V2 = (*HASHED_FIELDS, "article", "db_role")
CURRENT_FORMAT = 2
ARTICLE_ENTITIES = frozenset({"claim", "link"})  # keyed "slug/…": the article is the key's head


def canonical(data: Any) -> str:
    """Canonical JSON: sorted keys, UTF-8 characters as they are, no spaces."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, event: dict[str, Any]) -> str:
    """hash = SHA-256(previous hash + canonical event), over the fields its format hashes.

    Format 1 (an event without a `format`, as migration 0002 builds them)
    hashes HASHED_FIELDS; format 2 hashes HASHED_FIELDS_V2.
    """
    fields = HASHED_FIELDS_V2 if event.get("format", 1) == 2 else HASHED_FIELDS
    body = canonical({name: event[name] for name in fields})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def derived_article(entity: str, key: str) -> str | None:
    """The article an event concerns, as every writer has set it: what `verify` expects of format 1."""
    if entity == "article":
        return key
    if entity in ARTICLE_ENTITIES:
        return key.partition("/")[0]
    return None


def stored_chain_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    key: str,
    state_text: str | None,
    *format_2: str | None,
) -> str:
    """`chain_hash` of an event whose state is already canonical JSON text.

    Format 1 as it stands; format 2 with its `article` and `db_role` after the
    state (`stored_chain_hash_v2`). "state" sorts last among the hashed fields, so
    the canonical event is the other fields, each encoded exactly as `json.dumps`
    encodes them, with the state text spliced in; format 2's two fields sort in
    after "actor" and "at". A stored state that is not canonical (an edit behind
    the ledger's back) gives another hash, as it must. Writes and `verify` both
    hash through here: it is the hot loop of a million-event verification.
    """
    after_actor = after_at = ""
    if format_2:
        article, db_role = format_2
        after_actor = f'"article":{_json_or_null(article)},'
        after_at = f'"db_role":{_json_or_null(db_role)},'
    body = (
        f'{prev_hash}{{"action":{json_string(action)},"actor":{json_string(actor)},{after_actor}'
        f'"at":{json_string(at)},{after_at}"entity":{json_string(entity)},'
        f'"key":{json_string(key)},"seq":{int(seq)},'
        f'"state":{"null" if state_text is None else state_text}}}'
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


stored_chain_hash_v2 = stored_chain_hash
"""`stored_chain_hash` of a format 2 event: called with `article` and `db_role` after the state."""


def _json_or_null(value: str | None) -> str:
    return "null" if value is None else json_string(value)


@dataclass(frozen=True, slots=True)
class Change:
    """One entity's new state (None: it was deleted), as a write produced it: a dict, or its
    canonical JSON already written out (`ledger.audit.states.claim_state_text`, for the
    claims an import writes by the hundred thousand)."""

    action: str
    entity: str
    key: str
    state: dict[str, Any] | str | None
    article: str | None = None


@dataclass(slots=True)
class _Head:
    """What a transaction appends to: the last event, the role writing, the tree so far."""

    seq: int
    hash: str
    db_role: str | None
    tree: CompactRange


def record(session: Session, changes: Sequence[Change]) -> None:
    """Append one event per change to the chain and its leaf to the tree, in the caller's transaction."""
    if not changes:
        return
    tallies.note(session, changes)  # counted again before the transaction commits
    label_signatures.note(session, changes)  # and labels' signatures written again
    actor = session.info.get("actor") or actor_name()
    head = _head(session)
    seq, prev_hash, db_role = head.seq, head.hash, head.db_role
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    rows, nodes = [], []
    for change in changes:
        seq += 1
        state = change.state
        if state is not None and not isinstance(state, str):
            state = canonical(state)
        digest = stored_chain_hash_v2(
            prev_hash,
            seq,
            at,
            actor,
            change.action,
            change.entity,
            change.key,
            state,
            change.article,
            db_role,
        )
        rows.append(
            {
                "seq": seq,
                "at": at,
                "actor": actor,
                "action": change.action,
                "entity": change.entity,
                "entity_key": change.key,
                "state": state,
                "article": change.article,
                "prev_hash": prev_hash,
                "hash": digest,
                "format": CURRENT_FORMAT,
                "db_role": db_role,
            }
        )
        nodes += head.tree.append(tree.event_leaf(digest))
        prev_hash = digest
    insert_rows(session, EventRow.__table__, rows)
    tree.store(session, nodes)
    head.seq, head.hash = seq, prev_hash


# Every write's transaction counts again, before it commits, the claim tallies of the
# articles its recorded changes may have moved (`tallies.note` above keeps them), and
# writes again the label signatures of the sources and aliases it changed.
sqlalchemy_event.listen(Session, "before_commit", tallies.refresh_pending)
sqlalchemy_event.listen(Session, "before_commit", label_signatures.refresh_pending)


def _forget_head(session: Session, _previous: object) -> None:
    """A part of a write undone alone (a savepoint: one file of a many-file import) may have
    appended events: the head is read again before the next event is appended."""
    session.info.pop("audit_head", None)


sqlalchemy_event.listen(Session, "after_soft_rollback", _forget_head)


def last_event(session: Session) -> tuple[int, str]:
    """The chain head as a reader sees it: the last event's (seq, hash).

    Every change to the ledger appends an event in its own transaction, so a
    writer that finds the head a reader saw (`writer_head`) knows that nothing
    the reader read has changed since.
    """
    row = session.execute(
        select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def writer_head(session: Session) -> tuple[int, str]:
    """The (seq, hash) a write transaction appends to: read under the chain lock, once, and
    kept for `record`."""
    head = _head(session)
    return head.seq, head.hash


def _head(session: Session) -> _Head:
    """The chain head and tree, read once per transaction under the chain lock."""
    cached = session.info.get("audit_head")
    if cached is not None:
        return cached
    db_role = None
    if session.get_bind().dialect.name == "postgresql":  # re-entrant: write() took it already
        session.execute(text(f"SELECT {WRITER_LOCK}"))
        db_role = session.scalar(text("SELECT current_user"))
    seq, digest = last_event(session)
    head = _Head(seq, digest, db_role, tree.writer_range(session, seq))
    session.info["audit_head"] = head
    return head
