"""Reading a file a user named (a bundle, a policy, an article's text), within bounds.

`Path.read_text` reads whatever it is given: `/dev/zero` until memory runs out, a
named pipe until someone writes to it. Every file the ledger reads because a
user named it comes through here instead: it must be a regular file, of at most
a stated size, and UTF-8; anything else is one line naming the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ledger.errors import InvalidInput, LedgerError


def open_regular(
    path: Path,
    *,
    what: str,
    limit: int | None,
    error: type[LedgerError] = InvalidInput,
    larger: str = "",
) -> BinaryIO:
    """`path` opened for reading, if it is a regular file (of at most `limit` bytes).

    Opened without blocking (a FIFO does not hang the command) and checked before
    anything is read. `what` names what the file should have been ("a bundle file");
    `larger` says what to do with a larger one.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    info = os.fstat(descriptor)
    problem = None
    if stat.S_ISDIR(info.st_mode):
        problem = f"is a directory, not {what}"
    elif not stat.S_ISREG(info.st_mode):
        problem = f"is not a regular file (a device, pipe or socket), not {what}"
    elif limit is not None and info.st_size > limit:
        problem = f"is {info.st_size:,} bytes; {what} may have at most {limit:,}{larger}"
    if problem:
        os.close(descriptor)
        raise error(f"{path}: {problem}")
    return os.fdopen(descriptor, "rb")


def read_file(
    path: Path,
    *,
    what: str,
    limit: int,
    error: type[LedgerError] = InvalidInput,
    larger: str = "",
) -> str:
    """The UTF-8 text of the regular file `path`, of at most `limit` bytes (`open_regular`)."""
    with open_regular(path, what=what, limit=limit, error=error, larger=larger) as handle:
        try:
            content = handle.read(limit + 1)
        except OSError as exc:
            raise error(f"{path}: cannot read: {exc.strerror}") from None
    if len(content) > limit:
        raise error(f"{path}: grew past {limit:,} bytes while read; {what} may have at most that")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start})") from None
