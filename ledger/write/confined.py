"""Reading a file whose name came inside data (a bundle's `text_file`), and nothing else.

A bundle is data, often written by someone else: the path it names must not
reach the newsroom key, `/etc/passwd`, a device or a pipe. So the file must be a
regular file inside the bundle's own directory (symbolic links resolved first,
no absolute path, no `..` that climbs out), no larger than `MAX_TEXT_BYTES`,
UTF-8 text without control characters, and not key material. Anything else is
refused before a byte of it is read into the ledger.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePath

from ledger.errors import BundleError

MAX_TEXT_BYTES = 4 * 1024 * 1024
"""The largest article text a bundle may name (4 MiB; a long investigation is ~100 KB)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KEY_MATERIAL = re.compile(
    r'"format"\s*:\s*"claim-ledger-key"|-----BEGIN [A-Z ]*PRIVATE KEY-----|^PRIVATE\+KEY\+',
    re.MULTILINE,
)


def read_text_inside(base_dir: Path, name: str, *, place: str) -> str:
    """The text of `name`, relative to `base_dir`, under the rules of this module.

    `place` prefixes every message (`bundle.yaml: article.text_file`).
    """
    if not name or PurePath(name).is_absolute() or name.startswith("~"):
        raise BundleError(f"{place}: {name!r} must be a path relative to the bundle's directory")
    if os.path.normpath(name).split(os.sep)[0] == os.pardir:
        raise BundleError(f"{place}: {name!r} leads outside the bundle's directory; refused")
    base = base_dir.resolve()
    try:
        target = (base / name).resolve(strict=True)
    except FileNotFoundError:
        raise BundleError(f"{place}: no such file {name!r} beside the bundle") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        raise BundleError(f"{place}: cannot follow {name!r}: {exc}") from None
    if not target.is_relative_to(base):
        raise BundleError(f"{place}: {name!r} leads outside the bundle's directory; refused")
    try:
        descriptor = os.open(target, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise BundleError(f"{place}: cannot open {name!r}: {exc.strerror}") from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        raise BundleError(f"{place}: {name!r} is not a regular file; refused")
    with os.fdopen(descriptor, "rb") as handle:
        if info.st_size > MAX_TEXT_BYTES:
            raise BundleError(
                f"{place}: {name!r} is {info.st_size:,} bytes; an article text may have at most "
                f"{MAX_TEXT_BYTES:,}"
            )
        content = handle.read(MAX_TEXT_BYTES + 1)
    if len(content) > MAX_TEXT_BYTES:
        raise BundleError(f"{place}: {name!r} grew past {MAX_TEXT_BYTES:,} bytes while read")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BundleError(f"{place}: {name!r} is not UTF-8 text (byte {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    found = _CONTROL.search(text)
    if found:
        raise BundleError(
            f"{place}: {name!r} holds a control character ({found.group()!r} at "
            f"character {found.start()}); an article text is plain text"
        )
    if _KEY_MATERIAL.search(text):
        raise BundleError(f"{place}: {name!r} holds key material, not an article text; refused")
    return text
