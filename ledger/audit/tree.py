"""The events' Merkle tree as the ledger keeps it: perfect subtrees in `merkle_nodes`.

Writers append under the chain lock (`trail.record`), so the tree grows in the
events' order whatever the number of writers, and a node, once written, never
changes. A tree of any size n is then the O(log n) nodes of its compact range,
and a proof between sizes reads O(log n) nodes more: a checkpoint costs the same
on a ledger of a hundred events and of a million.

Readers name a size first and read only nodes below it, which the commits that
wrote them made visible together with their events: concurrent writes cannot
make a reader see half a tree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.audit import merkle
from ledger.audit.merkle import CompactRange, Node
from ledger.errors import LedgerError
from ledger.storage.driver import rows_by_pairs
from ledger.storage.schema import EventRow, MerkleNodeRow

LOOKUP_BATCH = 100  # nodes per query when a caller asks for many


class TreeMismatch(LedgerError):
    """The stored tree does not fit the events: something was changed outside the ledger."""


def event_leaf(event_hash: str) -> bytes:
    """An event's leaf hash: SHA-256(0x00 ‖ the 32 bytes of its chain hash)."""
    return merkle.leaf_hash(bytes.fromhex(event_hash))


def read_nodes(session: Session, wanted: Iterable[Node]) -> dict[Node, bytes]:
    """The stored hash of each (level, index) asked for; raises if one is missing."""
    wanted = sorted(set(wanted))
    found: dict[Node, bytes] = {}
    for start in range(0, len(wanted), LOOKUP_BATCH):
        batch = wanted[start : start + LOOKUP_BATCH]
        rows = rows_by_pairs(
            session, MerkleNodeRow.__tablename__, ("level", "idx", "hash"), ("level", "idx"), batch
        )
        found.update(((level, idx), bytes(value)) for level, idx, value in rows)
    missing = [node for node in wanted if node not in found]
    if missing:
        level, idx = missing[0]
        first = idx * (1 << level) + 1
        raise TreeMismatch(
            f"the audit trail's Merkle tree lacks its node over events {first} to "
            f"{first + (1 << level) - 1}: it was changed outside the ledger; run `ledger verify`"
        )
    return found


def compact_range(session: Session, size: int) -> CompactRange:
    """The stored tree of the first `size` events, as the nodes that cover them."""
    nodes = merkle.decompose(0, size)
    found = read_nodes(session, nodes)
    return CompactRange(0, [(level, found[(level, idx)]) for level, idx in nodes])


def root(session: Session, size: int) -> bytes:
    return compact_range(session, size).root()


def stored_size(session: Session) -> int:
    """How many leaves the stored tree holds (one past its last leaf's index)."""
    last = session.scalar(select(func.max(MerkleNodeRow.idx)).where(MerkleNodeRow.level == 0))
    return 0 if last is None else last + 1


def writer_range(session: Session, size: int) -> CompactRange:
    """The tree a writer extends, after checking that no leaf lies beyond the last event.

    A leaf beyond it means events were deleted behind the ledger's back;
    appending would then fork the tree, so the write is refused instead.
    """
    beyond = stored_size(session)
    if beyond > size:
        raise TreeMismatch(
            f"the audit trail's Merkle tree holds {beyond - size} event(s) after event {size}, "
            "which the log no longer has: events were deleted outside the ledger; "
            "run `ledger verify`"
        )
    return compact_range(session, size)


def store(session: Session, nodes: list[tuple[int, int, bytes]]) -> None:
    """Insert new nodes through the driver: two small rows an event, on the import's hot path."""
    if nodes:
        connection = session.connection()
        marker = "%s" if connection.dialect.paramstyle in ("format", "pyformat") else "?"
        connection.exec_driver_sql(
            f"INSERT INTO merkle_nodes (level, idx, hash) VALUES ({marker}, {marker}, {marker})",
            nodes,
        )


def inclusion_proof(session: Session, index: int, size: int) -> list[bytes]:
    """RFC 6962 audit path of leaf `index` (0-based) in the tree of the first `size` events."""
    ranges = merkle.inclusion_ranges(index, size)
    return merkle.range_hashes(ranges, lambda nodes: read_nodes(session, nodes))


def consistency_proof(session: Session, old: int, new: int) -> list[bytes]:
    """RFC 6962 consistency proof from the tree of `old` events to that of `new`."""
    ranges = merkle.consistency_ranges(old, new)
    return merkle.range_hashes(ranges, lambda nodes: read_nodes(session, nodes))


def stored_leaves(session: Session, end: int) -> Iterator[tuple[int, bytes, bytes | None]]:
    """(index, stored leaf, the leaf its event has now) for leaves [0, end), in order.

    Streams both sides of the comparison `verify` makes when a checkpoint and
    the events disagree; the event side is None where the event is gone.
    """
    statement = (
        select(MerkleNodeRow.idx, MerkleNodeRow.hash, EventRow.hash)
        .outerjoin(EventRow, EventRow.seq == MerkleNodeRow.idx + 1)
        .where(MerkleNodeRow.level == 0, MerkleNodeRow.idx < end)
        .order_by(MerkleNodeRow.idx)
        .execution_options(yield_per=10_000)
    )
    for idx, leaf, event_hash in session.execute(statement):
        yield idx, bytes(leaf), None if event_hash is None else event_leaf(event_hash)
