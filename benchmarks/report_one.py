"""The report of one article on a large ledger: its probable duplicates through the kept
label signatures, beside the whole-ledger label index they replaced, taking turns.

    python -m benchmarks.report_one DB_OR_URL SLUG [--runs N]

In one process, `Ledger.report(SLUG)` is timed `--runs` times each way, alternating:
as the ledger asks it (the sources that may pair with the article's, found through
`label_signatures`), and with every source label of the ledger read and folded
instead (`sourcekeys.label_index`, what the report did before the table was kept).
Both give the same report (checked). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Iterable
from typing import Any

from ledger.api import Ledger
from ledger.read import sourcekeys


def _every_label(db: Any, _keys: Iterable[str]) -> sourcekeys.LabelIndex:
    return sourcekeys.label_index(db)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("slug")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ways: dict[str, Callable[..., sourcekeys.LabelIndex]] = {
        "kept label signatures": sourcekeys.label_index_around,
        "every label read (before)": _every_label,
    }
    times: dict[str, list[float]] = {name: [] for name in ways}
    reports: dict[str, str] = {}
    with Ledger.open(args.db) as book:
        book.report(args.slug)  # the first read of a cold file is no one's
        for _ in range(args.runs):
            for name, around in ways.items():
                sourcekeys.label_index_around = around  # type: ignore[assignment]
                at = time.perf_counter()
                reports[name] = book.report(args.slug)
                times[name].append(time.perf_counter() - at)
    sourcekeys.label_index_around = ways["kept label signatures"]  # type: ignore[assignment]
    if len(set(reports.values())) != 1:
        raise SystemExit("the two ways gave different reports")
    print("| report of one article | median | fastest | slowest |")
    print("|---|---|---|---|")
    for name, values in times.items():
        cells = [statistics.median(values), min(values), max(values)]
        print(f"| {name} | " + " | ".join(f"{value * 1000:.0f} ms" for value in cells) + " |")


if __name__ == "__main__":
    main()
