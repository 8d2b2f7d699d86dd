"""Every read command as a whole process on the sample ledger, beside `sqlite-utils query`.

    python -m benchmarks.startup [--runs 9]

On a ledger this small a command's time is its start-up: what it imports and
how it opens the ledger. Issue 17's target is at most 1.5x a `sqlite-utils
query` process on the same file, for `claim show`, `source show`, `article
show`, `claims` (scoped and over the whole ledger), `check`, `log` and `report`.
The ledger is built from `samples/` (`ledger init`, `ledger import`) in a temporary folder;
the commands take turns (`benchmarks.measure.processes`), run from compiled
bytecode as an installed program is; each figure is the median of `--runs`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import processes

ROOT = Path(__file__).resolve().parent.parent
SLUG = "rt-is-nusra-deal"


def commands(db: Path) -> dict[str, list[str]]:
    ledger = [sys.executable, "-m", "ledger"]
    where = ["--db", str(db)]
    return {
        "sqlite-utils query": [
            sys.executable, "-m", "sqlite_utils", "query", str(db),
            "SELECT a.slug, c.key, c.text FROM claims c JOIN articles a ON a.id = c.article_id"
            " WHERE a.slug = :slug", "-p", "slug", SLUG,
        ],
        "ledger claim show": [*ledger, "claim", "show", f"{SLUG}/deal", *where],
        "ledger source show": [*ledger, "source", "show", "ap", *where],
        "ledger article show": [*ledger, "article", "show", SLUG, *where],
        "ledger claims --article": [*ledger, "claims", "--article", SLUG, *where],
        "ledger claims (whole ledger)": [*ledger, "claims", *where],
        "ledger claims --uncorroborated --json": [
            *ledger, "claims", "--uncorroborated", "--json", *where,
        ],
        "ledger check SLUG": [*ledger, "check", SLUG, *where],
        "ledger check --all --json": [*ledger, "check", "--all", "--json", *where],
        "ledger log": [*ledger, "log", *where],
        "ledger report SLUG": [*ledger, "report", SLUG, *where],
        "ledger report --all -f json": [*ledger, "report", "--all", "-f", "json", *where],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "samples.db"
        bundles = sorted(str(path) for path in (ROOT / "samples").glob("*.yaml"))
        for step in (["init"], ["import", *bundles]):
            subprocess.run(
                [sys.executable, "-m", "ledger", *step, "--db", str(db)],
                check=True,
                capture_output=True,
            )
        load = os.getloadavg()
        timings = processes(commands(db), args.runs, ROOT)
    floor = timings["sqlite-utils query"].seconds
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in load)}")
    print("| command | median | ÷ sqlite-utils query | target ≤ 1.5x |")
    print("|---|---|---|---|")
    for name, timing in timings.items():
        ratio = timing.seconds / floor
        met = "" if name.startswith("sqlite-utils") else ("yes" if ratio <= 1.5 else "no")
        print(f"| {name} | {timing.ms:.1f} ms | {ratio:.2f}x | {met} |")


if __name__ == "__main__":
    main()
