"""Sealed identities: a confidential source's real details, encrypted at rest.

The newsroom key is 32 random bytes in a key file (mode 0600) that lives
outside the database; the ledger never stores it. Each sealed record is
AES-256-GCM ciphertext whose associated data binds it to its source and key,
so a record copied onto another source, or opened with another key, fails
authentication instead of decrypting to something plausible. Without the key
the database holds nothing readable about the person: not the name, not the
contact, not the way the newsroom verified them.

Sealing, revealing and rotating are recorded in the audit trail; the trail
holds the fact and a hash of the ciphertext, never the details.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.audit.trail import Change
from ledger.errors import InvalidInput, LedgerError, NotFound
from ledger.protect.keyfiles import create_private, require_private, sync_folder
from ledger.protect.records import SealStatus as SealStatus
from ledger.protect.records import seal_status as seal_status
from ledger.read.names import no_source
from ledger.storage.schema import SealedIdentityRow, SourceRow

if TYPE_CHECKING:
    from ledger.storage.database import Database

KEY_ENV = "LEDGER_KEY_FILE"
_KEY_FORMAT = "claim-ledger-key"


class WrongKey(LedgerError):
    """The key given cannot open the sealed records: another key sealed them."""


@dataclass(frozen=True)
class NewsroomKey:
    key_id: str
    secret: bytes

    @classmethod
    def generate(cls) -> NewsroomKey:
        secret = secrets.token_bytes(32)
        return cls(_key_id(secret), secret)


def _key_id(secret: bytes) -> str:
    return hashlib.sha256(b"claim-ledger key id\0" + secret).hexdigest()[:16]


def key_path(explicit: Path | None) -> Path | None:
    """`--key-file`, else $LEDGER_KEY_FILE, else None (no key: sealed details stay sealed)."""
    if explicit is not None:
        return explicit
    value = os.environ.get(KEY_ENV)
    return Path(value).expanduser() if value else None


def write_key_file(path: Path, key: NewsroomKey) -> None:
    """Write a new key file readable by its owner only, flushed to the disk; never overwrite one."""
    payload = json.dumps(
        {"format": _KEY_FORMAT, "key_id": key.key_id, "key": base64.b64encode(key.secret).decode()}
    )
    if path.exists():
        raise InvalidInput(f"{path}: a key file is already there; refusing to overwrite it")
    create_private(path, payload + "\n")


def load_key(path: Path) -> NewsroomKey:
    """The key in a key file that only its owner can read (see `keyfiles.require_private`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        secret = base64.b64decode(data["key"], validate=True)
        if data.get("format") != _KEY_FORMAT or len(secret) != 32:
            raise ValueError
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such key file") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise InvalidInput(f"{path}: not a ledger key file") from None
    if _key_id(secret) != data.get("key_id"):
        raise InvalidInput(f"{path}: the key file is damaged (its key id does not match its key)")
    require_private(path)
    return NewsroomKey(data["key_id"], secret)


def require_key(path: Path | None) -> NewsroomKey:
    resolved = key_path(path)
    if resolved is None:
        raise InvalidInput(
            f"this needs the newsroom key: give its file or set ${KEY_ENV}", field="key_file"
        )
    return load_key(resolved)


@dataclass(frozen=True)
class SealedDetails:
    """What the newsroom knows and the public must not: who the source really is."""

    real_name: str
    contact: str | None = None
    verification: str | None = None


def _associated_data(source_key: str, key_id: str) -> bytes:
    return f"claim-ledger/sealed-identity/v1/{source_key}/{key_id}".encode()


def encrypt(key: NewsroomKey, source_key: str, details: SealedDetails) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    plaintext = json.dumps(asdict(details), ensure_ascii=False).encode("utf-8")
    return nonce, AESGCM(key.secret).encrypt(
        nonce, plaintext, _associated_data(source_key, key.key_id)
    )


def decrypt(
    key: NewsroomKey, source_key: str, key_id: str, nonce: bytes, ciphertext: bytes
) -> SealedDetails:
    """Open one sealed record, or raise WrongKey; never returns garbage."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if key_id != key.key_id:
        raise WrongKey(
            f"source {source_key!r} was sealed with key {key_id}, but the key file holds key "
            f"{key.key_id}: use the right key file"
        )
    try:
        plaintext = AESGCM(key.secret).decrypt(
            nonce, ciphertext, _associated_data(source_key, key_id)
        )
    except InvalidTag:
        raise WrongKey(
            f"the sealed record of source {source_key!r} does not authenticate under key "
            f"{key.key_id}: it was altered, or sealed under another key"
        ) from None
    return SealedDetails(**json.loads(plaintext))


# --- in the ledger -----------------------------------------------------------------------------


def seal_state(source_key: str, key_id: str, ciphertext: bytes) -> dict[str, str]:
    """What the audit trail records of a sealed record: never its content."""
    return {
        "source": source_key,
        "key_id": key_id,
        "ciphertext_sha256": hashlib.sha256(ciphertext).hexdigest(),
    }


def _source_id(session: Session, source_key: str) -> int:
    found = session.scalar(select(SourceRow.id).where(SourceRow.key == source_key))
    if found is None:
        raise no_source(session, source_key)
    return found


def _ledger_key_ids(session: Session) -> set[str]:
    return set(session.scalars(select(SealedIdentityRow.key_id).distinct()))


def seal(session: Session, key: NewsroomKey, source_key: str, details: SealedDetails) -> bool:
    """Seal (or re-seal) a source's details; returns True when it replaced an earlier seal."""
    if not details.real_name.strip():
        raise InvalidInput("real name: may not be empty")
    source_id = _source_id(session, source_key)
    others = _ledger_key_ids(session) - {key.key_id}
    if others:
        raise WrongKey(
            f"the ledger's sealed records use key {sorted(others)[0]}, not {key.key_id}: "
            "use that key file (or rotate every record to the new key first)"
        )
    nonce, ciphertext = encrypt(key, source_key, details)
    replaced = session.execute(
        delete(SealedIdentityRow).where(SealedIdentityRow.source_id == source_id)
    ).rowcount
    session.execute(
        insert(SealedIdentityRow),
        [{"source_id": source_id, "key_id": key.key_id, "nonce": nonce, "ciphertext": ciphertext}],
    )
    trail.record(
        session,
        [Change("source.seal", "seal", source_key, seal_state(source_key, key.key_id, ciphertext))],
    )
    return bool(replaced)


def reveal(session: Session, key: NewsroomKey, source_key: str) -> SealedDetails:
    """Open a source's sealed details and record who did, in the same transaction."""
    source_id = _source_id(session, source_key)
    row = session.get(SealedIdentityRow, source_id)
    if row is None:
        raise NotFound(f"source {source_key!r} has no sealed identity")
    details = decrypt(key, source_key, row.key_id, row.nonce, row.ciphertext)
    access = {"source": source_key, "revealed": "sealed identity"}
    trail.record(session, [Change("source.reveal", "access", source_key, access)])
    return details


def rotate(session: Session, old: NewsroomKey, new: NewsroomKey) -> int:
    """Re-encrypt every sealed record from `old` to `new`; all or nothing (caller's transaction).

    Records already under `new` are left as they are: a rotation that was
    interrupted after its commit is finished by running it again.
    """
    rows = session.execute(
        select(SealedIdentityRow, SourceRow.key).join(
            SourceRow, SourceRow.id == SealedIdentityRow.source_id
        )
    ).all()
    changes = []
    for row, source_key in rows:
        if row.key_id == new.key_id:
            continue
        details = decrypt(old, source_key, row.key_id, row.nonce, row.ciphertext)
        nonce, ciphertext = encrypt(new, source_key, details)
        session.execute(
            update(SealedIdentityRow)
            .where(SealedIdentityRow.source_id == row.source_id)
            .values(key_id=new.key_id, nonce=nonce, ciphertext=ciphertext)
        )
        changes.append(
            Change("key.rotate", "seal", source_key, seal_state(source_key, new.key_id, ciphertext))
        )
    trail.record(session, changes)
    return len(changes)


def pending_key_path(path: Path) -> Path:
    """Where `rotate_to_file` keeps the new key until the re-encryption is committed."""
    return path.with_name(path.name + ".pending")


def rotate_to_file(
    database: Database, old: NewsroomKey, target: Path, actor: str | None = None
) -> tuple[NewsroomKey, int]:
    """Rotate every sealed record to a new key written to `target`; safe to run again.

    The order makes a crash at any point harmless and a second run finish the
    work: the new key is written and flushed to `TARGET.pending` first; then
    the records are re-encrypted in one transaction; then the file is renamed
    to `target`. Killed before the commit, the records are still under `old`
    and the retry uses the pending key; killed after it, the retry finds the
    records under the pending key, re-encrypts nothing and renames the file.
    """
    if target.exists():
        raise InvalidInput(f"{target}: a key file is already there; refusing to overwrite it")
    pending = pending_key_path(target)
    if pending.exists():  # an earlier rotation stopped half-way: finish it with its key
        new = load_key(pending)
    else:
        new = NewsroomKey.generate()
        write_key_file(pending, new)
    try:
        with database.write(actor) as session:
            count = rotate(session, old, new)
    except BaseException:
        if not _sealed_under(database, new.key_id):  # nothing under it: the key is useless
            pending.unlink(missing_ok=True)
        raise
    os.rename(pending, target)
    sync_folder(target.parent)
    return new, count


def _sealed_under(database: Database, key_id: str) -> bool:
    """Whether any record is sealed under `key_id` (True when that cannot be known)."""
    try:
        with database.read() as session:
            found = session.scalar(
                select(SealedIdentityRow.source_id).where(SealedIdentityRow.key_id == key_id)
            )
    except Exception:
        return True
    return found is not None
