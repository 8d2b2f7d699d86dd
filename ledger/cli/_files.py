"""Writing a command's `-o/--output` file: whole or not at all, and refused in one line.

Every `-o FILE` of the CLI writes through `output_file`: the content goes to a
temporary file beside FILE, is flushed, and is renamed over FILE only once it
is complete. An export that fails half-way (a database error, Ctrl-C, a full
disk) leaves FILE as it was, not a half file that a later import would take for
the whole ledger. A folder that does not exist, or FILE being a folder, is said
in one line naming the path, before anything is read.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ledger.errors import InvalidInput


def check_output(path: Path, *, new: bool = False) -> None:
    """Refuse, naming `path`, an output that cannot be written; `new`: nor one already there."""
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder; give a file name to write to")
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput(f"{path}: cannot write: no folder {folder}")
    if new and path.exists():
        raise InvalidInput(f"{path}: a file is already there; refusing to replace it")
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"{path}: cannot write: the folder {folder} is not writable")


@contextmanager
def output_file(path: Path, *, new: bool = False) -> Iterator[TextIO]:
    """A text handle whose content becomes `path` when the block ends without an exception.

    With `new`, an existing `path` is never replaced (checkpoints). A path that
    exists and is not a regular file (a terminal, a pipe, /dev/stdout) is
    written directly: there is nothing there to keep whole.
    """
    check_output(path, new=new)
    if path.exists() and not path.is_file():
        with _open(path, "w", path) as handle:
            yield handle
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with _open(temporary, "x", path) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if new:
            os.link(temporary, path)  # fails, rather than replaces, if a file appeared meanwhile
        else:
            os.replace(temporary, path)
    except FileExistsError:
        raise InvalidInput(f"{path}: a file is already there; refusing to replace it") from None
    finally:
        temporary.unlink(missing_ok=True)


def _open(path: Path, mode: str, shown: Path) -> TextIO:
    try:
        return path.open(mode, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{shown}: cannot write: {exc.strerror}") from None
