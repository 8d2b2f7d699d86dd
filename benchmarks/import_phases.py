"""Where `ledger import F1 ... FN` spends its time: CPU seconds in each phase of the import.

Runs the command in this process with a timer around each phase's function, then
prints each phase's CPU time and calls, largest first (phases nest: `import_group`, a
group of files written as one batch, holds `check_against_ledger` and `write_batch`;
`write_batch` holds `write_claims`, `record`, `write_links` and `shape_new_claims`, the
new claims shaped from the rows in hand; `commit` holds the tallies' `_claim_ids`,
`_shape_claims` and `_move_tallies`, the last also called by `shape_new_claims`). CPU
time, not wall time, so that other work on a shared machine disturbs it less; the timers add a little of their own.

    python -m benchmarks.import_phases DIRECTORY_OF_BUNDLES LEDGER_DB
"""

from __future__ import annotations

import contextlib
import functools
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

SPENT: Counter[str] = Counter()
CALLS: Counter[str] = Counter()


def _timed(holder: Any, name: str, label: str) -> None:
    function: Callable[..., Any] = getattr(holder, name)

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - started
            CALLS[label] += 1

    setattr(holder, name, timed)


def _instrument() -> None:
    from sqlalchemy.orm import Session

    import ledger.audit.trail
    import ledger.cli.ledger_io
    import ledger.read.tallies
    import ledger.write.bundle
    import ledger.write.importer
    import ledger.write.pipeline

    phases = {
        ledger.cli.ledger_io: ("_checked", "_report", "warn_probable_duplicates"),
        ledger.write.bundle: ("parse_text", "validate"),
        ledger.write.importer: (
            "import_group",
            "prepare_bundles",
            "check_against_ledger",
            "write_batch",
        ),
        ledger.write.pipeline: (
            "write_sources",
            "_write_articles",
            "write_claims",
            "write_links",
            "shape_new_claims",
        ),
        ledger.audit.trail: ("record", "writer_head"),
        ledger.read.tallies: ("_claim_ids", "_shape_claims", "_move_tallies"),
    }
    for module, names in phases.items():
        for name in names:
            _timed(module, name, f"{module.__name__.removeprefix('ledger.')}.{name}")
    _timed(Session, "commit", "commit")


def main() -> None:
    directory, db = sys.argv[1:3]
    started = time.process_time()
    _instrument()
    from ledger.cli import main as ledger

    files = sorted(str(path) for path in Path(directory).glob("article-*.*"))
    sys.argv = ["ledger", "import", *files, "--db", db]
    imported = time.process_time()
    with contextlib.suppress(SystemExit):  # the command ends by exiting
        ledger()
    out = sys.stderr
    for label, seconds in SPENT.most_common():
        print(f"{seconds:8.2f} s {CALLS[label]:6,d}  {label}", file=out)
    print(f"{time.process_time() - imported:8.2f} s in the command", file=out)
    print(f"{imported - started:8.2f} s importing the ledger's modules", file=out)


if __name__ == "__main__":
    main()
