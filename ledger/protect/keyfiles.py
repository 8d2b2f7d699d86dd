"""Secret key files on disk: readable by their owner only, and written so that a crash loses none.

A newsroom key (or a checkpoint signing key) that the group or everyone may
read is no longer a secret: it is refused, with the command that fixes it, as
ssh refuses such a private key. A new key is written to its file and flushed to
the disk (the file and its folder) before anything is encrypted with it, so a
machine that stops at any moment never leaves records sealed under a key that
was lost.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ledger.errors import InvalidInput

PRIVATE_MODE = 0o600


def require_private(path: Path, what: str = "key file") -> None:
    """Refuse a key file that its group or others may read, write or run (POSIX only)."""
    if os.name != "posix":
        return
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # the reading that follows names what is wrong with the path
    if stat.S_ISREG(mode) and mode & 0o077:
        raise InvalidInput(
            f"{path}: the {what} is open to others (mode {stat.S_IMODE(mode):04o}), so it is "
            f"not secret; make it readable by you only: chmod 600 {path}"
        )


def create_private(path: Path, text: str) -> None:
    """Create `path` (never overwriting) with `text`, mode 0600, flushed to the disk."""
    create_new(path, text, PRIVATE_MODE)


def create_new(path: Path, text: str, mode: int) -> None:
    """Create `path` (never overwriting) with `text` and exactly `mode`, flushed to the disk;
    a file left half-written by a failure is removed."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise InvalidInput(f"{path}: a file is already there; refusing to overwrite it") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot create the key file: {exc.strerror}") from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)  # whatever the umask did
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a file created or renamed in it) to the disk, where possible."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the file itself is synced
    finally:
        os.close(descriptor)
