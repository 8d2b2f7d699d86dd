"""Does today's log extend each checkpoint, and does the stored tree fit the events?

`verify` rebuilds the tree's root from the events' stored hashes as it checks
the chain; with it, a checkpoint is checked by an RFC 6962 consistency proof
read from the stored tree (O(log n) nodes). Only when a proof fails is the
log read again, to say where it parts from the checkpoint:

- a log shorter than the checkpoint: the events missing after the last one;
- a log whose stored tree still hashes to the checkpoint's root: those leaves
  are the checkpointed events' hashes, so the first event whose hash differs
  from its leaf is named exactly;
- a log rewritten together with its tree: nothing in the database remembers
  the checkpointed events, so only the span between the largest checkpoint the
  log still extends and this one can be named. Keeping checkpoints often
  narrows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.audit import merkle, notes, tree
from ledger.audit.checkpoint import Checkpoint, CheckpointFile
from ledger.audit.problems import Problem
from ledger.storage.schema import EventRow


@dataclass(frozen=True)
class EventsTree:
    """The tree `verify` rebuilt from the events: the last event, and the root over all of them."""

    events: int
    root: bytes | None  # None when the numbering has a gap: there is no one tree then


@dataclass(frozen=True)
class Outcome:
    """One checkpoint file: what it says (when it could be read), and what is wrong, if anything."""

    file: str
    checkpoint: Checkpoint | None
    problem: Problem | None
    signer: str | None = None


def check_tree(session: Session, events: EventsTree) -> list[Problem]:
    """The stored tree against the events: same leaves, same root."""
    leaves, last_seq = _sizes(session)
    if leaves > last_seq:
        return [
            Problem(
                f"event {last_seq + 1}",
                f"the Merkle tree holds {leaves - last_seq} event(s) after event {last_seq} "
                "that the log does not: events were deleted outside the ledger",
            )
        ]
    if leaves < last_seq:
        return [
            Problem(
                f"event {leaves + 1}",
                f"events {leaves + 1} to {last_seq} have no leaf in the Merkle tree: "
                "written outside the ledger",
            )
        ]
    if events.root is None or events.events != last_seq:
        return []  # a gap (reported with the chain), or a write since the chain was read
    try:
        if tree.root(session, events.events) == events.root:
            return []
    except tree.TreeMismatch as exc:
        return [Problem("merkle tree", str(exc))]
    for idx, stored, current in tree.stored_leaves(session, events.events):
        if stored != current:
            return [
                Problem(
                    f"event {idx + 1}",
                    "its hash differs from its leaf in the Merkle tree: "
                    "the event or the tree was changed outside the ledger",
                )
            ]
    return [
        Problem("merkle tree", "its nodes do not hash to its leaves: changed outside the ledger")
    ]


def _sizes(session: Session) -> tuple[int, int]:
    """(leaves in the stored tree, last event's number), read in one statement: one snapshot."""
    from sqlalchemy import func

    from ledger.storage.schema import MerkleNodeRow

    leaves = (
        select(func.coalesce(func.max(MerkleNodeRow.idx) + 1, 0))
        .where(MerkleNodeRow.level == 0)
        .scalar_subquery()
    )
    last = select(func.coalesce(func.max(EventRow.seq), 0)).scalar_subquery()
    row = session.execute(select(leaves, last)).one()
    return int(row[0]), int(row[1])


def open_checkpoints(
    files: Sequence[CheckpointFile], keys: Sequence[notes.VerifierKey], origin: str
) -> list[Outcome]:
    """Each file's signature and origin checked; those that pass carry their checkpoint."""
    outcomes = []
    for file in files:
        subject = f"checkpoint {file.name}"
        try:
            text, key = notes.open_note(file.note, keys)
        except notes.BadSignature:
            outcomes.append(
                Outcome(file.name, None, Problem(subject, "bad signature: altered or forged"))
            )
            continue
        except notes.UnknownSigner as exc:
            outcomes.append(Outcome(file.name, None, Problem(subject, f"wrong key: {exc}")))
            continue
        try:
            checkpoint = Checkpoint.parse(text)
        except notes.NoteError as exc:
            outcomes.append(
                Outcome(file.name, None, Problem(subject, f"signed, but not a checkpoint: {exc}"))
            )
            continue
        problem = None
        if checkpoint.origin != origin:
            problem = Problem(
                subject,
                f"a checkpoint of another ledger ({checkpoint.origin}; "
                f"this is {origin or 'a ledger without an origin'})",
            )
        outcomes.append(Outcome(file.name, checkpoint, problem, f"{key.name}+{key.key_id:08x}"))
    return outcomes


def check_checkpoints(
    session: Session, outcomes: Sequence[Outcome], events: EventsTree
) -> list[Outcome]:
    """Each signed checkpoint of this ledger against today's log, smallest first."""
    ready = sorted(
        (item for item in outcomes if item.checkpoint and not item.problem),
        key=lambda item: item.checkpoint.size,  # type: ignore[union-attr]
    )
    extended = 0  # the largest size the log is known to extend
    checked: dict[str, Outcome] = {}
    for item in ready:
        assert item.checkpoint is not None
        problem = _check(session, item, events, extended)
        if problem is None:
            extended = max(extended, item.checkpoint.size)
        checked[item.file] = Outcome(item.file, item.checkpoint, problem, item.signer)
    return [checked.get(item.file, item) for item in outcomes]


def _check(session: Session, item: Outcome, events: EventsTree, extended: int) -> Problem | None:
    checkpoint = item.checkpoint
    assert checkpoint is not None
    subject, size = f"checkpoint {item.file}", checkpoint.size
    if events.events < size:
        return Problem(subject, f"{size - events.events} events missing after seq {events.events}")
    if events.root is not None and _proof_holds(session, checkpoint, events):
        return None
    return _where_it_parts(session, subject, checkpoint, extended)


def _proof_holds(session: Session, checkpoint: Checkpoint, events: EventsTree) -> bool:
    assert events.root is not None
    if checkpoint.size == 0:  # every log extends the empty one
        return checkpoint.root == merkle.EMPTY_ROOT
    try:
        proof = tree.consistency_proof(session, checkpoint.size, events.events)
    except tree.TreeMismatch:
        return False
    return merkle.verify_consistency(
        checkpoint.size, events.events, checkpoint.root, events.root, proof
    )


def _where_it_parts(
    session: Session, subject: str, checkpoint: Checkpoint, extended: int
) -> Problem | None:
    """Name the first event that differs from the checkpointed log, or the span it lies in.

    None when the events do extend the checkpoint after all (the proof failed
    on a damaged tree, which `check_tree` reports).
    """
    size = checkpoint.size
    if size == 0:
        return Problem(subject, "a checkpoint of no events whose root is not the empty tree's")
    try:
        authentic = tree.root(session, size) == checkpoint.root
    except tree.TreeMismatch:
        authentic = False
    if authentic:  # the stored leaves are the checkpointed events' hashes
        for idx, stored, current in tree.stored_leaves(session, size):
            if current is None:
                return Problem(subject, f"event {idx + 1} is missing from the checkpointed log")
            if stored != current:
                return Problem(subject, f"event {idx + 1} differs from the one checkpointed")
        return None
    rebuilt, gap = _events_root(session, size)
    if gap is not None:
        return Problem(subject, f"event {gap} is missing from the checkpointed log")
    if rebuilt == checkpoint.root:
        return None
    return Problem(
        subject,
        f"the log differs from the checkpointed one from an event between {extended + 1} and "
        f"{size}: history was rewritten with its Merkle tree (an earlier checkpoint narrows it)",
    )


def _events_root(session: Session, size: int) -> tuple[bytes, int | None]:
    """The root over events 1..size from their stored hashes, or the first missing number."""
    compact = merkle.CompactRange()
    statement = (
        select(EventRow.seq, EventRow.hash)
        .where(EventRow.seq <= size)
        .order_by(EventRow.seq)
        .execution_options(yield_per=10_000)
    )
    for seq, event_hash in session.execute(statement):
        if seq != compact.end + 1:
            return b"", compact.end + 1
        compact.add(tree.event_leaf(event_hash))
    if compact.end != size:
        return b"", compact.end + 1
    return compact.root(), None
