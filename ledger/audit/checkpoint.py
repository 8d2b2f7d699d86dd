"""Signed checkpoints (c2sp.org/tlog-checkpoint) of the ledger's Merkle tree, and their keys.

A checkpoint is a signed note whose text is three lines: the ledger's origin
(its unique name, fixed when its schema was created), the number of events,
and the base64 RFC 6962 root over their hashes. Kept outside the database, it
lets anyone later prove that the log still extends it: a consistency proof
between its size and today's (`ledger.audit.consistency`).

Issuing one reads the O(log n) nodes that cover the log, whatever its length.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.audit import notes, tree
from ledger.errors import InvalidInput
from ledger.protect.keyfiles import create_new, create_private, require_private
from ledger.storage.schema import EventRow, LedgerInfoRow
from ledger.text.files import read_file

DEFAULT_KEY_NAME = "claim-ledger"


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: which ledger, how many events, and the root over them."""

    origin: str
    size: int
    root: bytes

    @property
    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """A checkpoint's note text; extension lines after the root are allowed and ignored."""
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
            raise notes.NoteError("a checkpoint is an origin, a size and a root, one per line")
        origin, size, root = lines[:3]
        if not size.isdigit() or not size.isascii() or (size != "0" and size.startswith("0")):
            raise notes.NoteError(f"the tree size {size[:20]!r} is not a decimal number")
        try:
            digest = base64.b64decode(root, validate=True)
        except (binascii.Error, ValueError):
            digest = b""
        if len(digest) != 32:
            raise notes.NoteError("the root hash is not 32 bytes of base64")
        return cls(origin, int(size), digest)


def origin(session: Session) -> str:
    value = session.scalar(select(LedgerInfoRow.value).where(LedgerInfoRow.name == "origin"))
    if value is None:
        raise tree.TreeMismatch("the ledger has no origin: it was removed outside the ledger")
    return value


def current(session: Session) -> Checkpoint:
    """The checkpoint of the whole log as it stands, from the stored tree.

    The newest leaf must be the newest event's: a tree that has fallen behind
    or ahead of the log is refused rather than signed.
    """
    last = session.execute(
        select(EventRow.seq, EventRow.hash).order_by(EventRow.seq.desc()).limit(1)
    ).first()
    size = last.seq if last else 0
    head = tree.compact_range(session, size)
    if last is not None:
        leaf = tree.read_nodes(session, [(0, size - 1)])[(0, size - 1)]
        if leaf != tree.event_leaf(last.hash):
            raise tree.TreeMismatch(
                f"the audit trail's Merkle tree does not end with event {size}: "
                "it was changed outside the ledger; run `ledger verify`"
            )
    return Checkpoint(origin(session), size, head.root())


def sign(checkpoint: Checkpoint, signer: notes.SignerKey) -> str:
    return notes.sign(checkpoint.text, signer)


# --- key files --------------------------------------------------------------------------------


def verifier_path(path: Path) -> Path:
    """Where the verifier key of the signing key file `path` goes: beside it, `.pub` added."""
    return path.with_name(path.name + ".pub")


def write_signing_key(path: Path, name: str = DEFAULT_KEY_NAME) -> notes.SignerKey:
    """A new Ed25519 key in `path` (mode 0600) and its verifier key in `path`.pub; never overwrites."""
    try:
        signer = notes.SignerKey.generate(name)
    except notes.NoteError as exc:
        raise InvalidInput(str(exc)) from None
    public = verifier_path(path)
    for target in (path, public):
        if target.exists():
            raise InvalidInput(f"{target}: a file is already there; refusing to overwrite it")
    create_private(path, signer.text + "\n")
    try:
        create_new(public, signer.verifier.text + "\n", 0o644)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return signer


MAX_NOTE_BYTES = 1024 * 1024
"""A key or a checkpoint is a few lines; a megabyte is far more than either needs."""


def _read(path: Path, what: str) -> str:
    """A regular file of at most `MAX_NOTE_BYTES` (never a device or a pipe)."""
    if not path.exists() and not path.is_symlink():
        raise InvalidInput(f"{path}: no such {what}")
    return read_file(path, what=f"a {what}", limit=MAX_NOTE_BYTES)


def load_signing_key(path: Path) -> notes.SignerKey:
    try:
        signer = notes.parse_signer_key(_read(path, "signing key file"))
    except notes.NoteError as exc:
        raise InvalidInput(f"{path}: not a signing key ({exc})") from None
    require_private(path, "signing key file")
    return signer


def load_verifier_key(path: Path) -> notes.VerifierKey:
    try:
        return notes.parse_verifier_key(_read(path, "verifier key file"))
    except notes.NoteError as exc:
        raise InvalidInput(f"{path}: not a verifier key ({exc})") from None


@dataclass(frozen=True)
class CheckpointFile:
    """A signed note read from a file, its form checked; who signed it is checked later."""

    name: str
    note: str


def read_checkpoint_file(path: Path) -> CheckpointFile:
    note = _read(path, "checkpoint file")
    try:
        notes.parse(note)
    except notes.NoteError as exc:
        raise InvalidInput(f"{path}: not a signed checkpoint ({exc})") from None
    return CheckpointFile(str(path), note)
