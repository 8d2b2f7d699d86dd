"""Writing a long answer as it comes: a JSON array, element by element.

`json.dumps(items, indent=2)` needs the whole list in memory. These chunks are
byte for byte what it would write, so a streamed `--json` answer is the same
document a small one always was, and memory stays flat whatever the ledger's size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def json_array_chunks(items: Iterable[Any], *, default: Any = None) -> Iterator[str]:
    """The text of `json.dumps(list(items), indent=2, ensure_ascii=False)`, in pieces."""
    first = True
    for item in items:
        element = json.dumps(item, indent=2, ensure_ascii=False, default=default)
        yield ("[\n" if first else ",\n") + "\n".join("  " + line for line in element.split("\n"))
        first = False
    yield "[]" if first else "\n]"
