"""Hostile input: one article with N quoted claims, imported as a bundle, beside raw sqlite3.

Quote matching once folded the whole article for every quote, so an import grew
with the square of the article (2,000 claims: 32 s). This measures the same
bundle through `ledger import` (in process, a fresh SQLite ledger) and, for
the floor, through `benchmarks.raw_import` (the same rows by hand-rolled
executemany, no checks, no quote matching).

    python -m benchmarks.hostile --claims 5000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from benchmarks import raw_import
from ledger.api import Ledger

WORDS = [
    "minister",
    "council",
    "harbour",
    "contract",
    "winter",
    "budget",
    "river",
    "convoy",
    "ceasefire",
    "tariff",
]


def bundle(claims: int) -> dict[str, Any]:
    """An article of `claims` paragraphs, each quoting a sentence of its own (curly marks and
    line breaks in the text, straight ones in the quote, so every quote is folded to match)."""
    paragraphs, entries = [], []
    for index in range(claims):
        words = " ".join(WORDS[(index * 7 + step) % len(WORDS)] for step in range(6))
        said = f"the {words} plan number {index} will hold"
        paragraphs.append(f"“{said.capitalize()},” the\nspokesman said on day {index}.")
        entries.append(
            {
                "key": f"c{index}",
                "text": f"Plan {index} will hold.",
                "quote": f'"{said.capitalize()},"',
                "cue": "said",
                "attributions": [["spokesman"]],
            }
        )
    return {
        "version": 1,
        "article": {
            "slug": "hostile",
            "title": "Many quotes",
            "text": "\n\n".join(paragraphs) + "\n",
        },
        "sources": [{"key": "spokesman", "label": "the spokesman", "anonymity": "named"}],
        "claims": entries,
    }


def measure(claims: int, workdir: Path) -> tuple[float, float]:
    """Seconds for `ledger import` of the YAML bundle, and for the raw floor of the same rows."""
    data = bundle(claims)
    path = workdir / f"hostile-{claims}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ledger = Ledger.open(workdir / f"ledger-{claims}.db", create=True)
    started = time.perf_counter()
    summary = ledger.import_file(path)
    ledger_seconds = time.perf_counter() - started
    assert summary.claims == claims, summary
    ledger.database.dispose()

    lines = workdir / f"hostile-{claims}.jsonl"
    lines.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    floor = workdir / f"raw-{claims}.db"
    Ledger.open(floor, create=True).database.dispose()
    started = time.perf_counter()
    raw_import.run(floor, lines)
    return ledger_seconds, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--claims", type=int, nargs="+", default=[500, 1000, 2000, 5000], help="claims per article"
    )
    args = parser.parse_args(argv)
    print("| quoted claims | ledger import | raw sqlite3 | ledger ÷ raw |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for claims in args.claims:
            ledger_seconds, raw_seconds = measure(claims, Path(tmp))
            print(
                f"| {claims:,} | {ledger_seconds:.2f} s | {raw_seconds:.2f} s "
                f"| {ledger_seconds / raw_seconds:.1f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
