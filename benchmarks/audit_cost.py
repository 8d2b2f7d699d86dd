"""The audit trail's cost: `ledger verify` on a million events, and what events add to an import.

    python -m benchmarks.audit_cost --claims 1m --results benchmarks/AUDIT.md

Generates a synthetic ledger (the same generator as `benchmarks.run`), imports it
twice from JSON Lines, once as the ledger does and once with event writing
switched off (everything else identical), then times `ledger verify` on the
first. Targets: verify at least 100,000 events a second, streamed (its peak
memory is printed beside the event count).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import generate
from benchmarks.measure import peak_mb


def _import(db: str, source: str, with_events: str) -> dict[str, Any]:
    from ledger.audit import trail
    from ledger.storage import migrations
    from ledger.storage.database import Database
    from ledger.write import bulk

    database = Database.open(db, must_exist=False)
    migrations.upgrade(database)
    if with_events != "yes":  # the importer calls `trail.record` at run time: switch it off
        trail.record = lambda session, changes: None  # type: ignore[assignment]
    started = time.perf_counter()
    summary = bulk.import_file(database, Path(source), actor="benchmark", show_progress=False)
    seconds = time.perf_counter() - started
    database.dispose()
    return {"seconds": seconds, "claims": summary.claims}


def _verify(db: str, jobs: str) -> dict[str, Any]:
    import os
    import resource

    from ledger.audit.verification import verify
    from ledger.storage.database import Database

    database = Database.open(db)
    started = time.perf_counter()
    result = verify(database, int(jobs) if jobs != "auto" else None)
    seconds = time.perf_counter() - started
    database.dispose()
    return {
        "seconds": seconds,
        "events": result.events,
        "intact": result.intact,
        "peak_mb": max(peak_mb(), peak_mb(resource.RUSAGE_CHILDREN)),
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="1m", help="size of the ledger: 10k, 100k, 1m")
    parser.add_argument("--results", type=Path, help="also write the figures here, as Markdown")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        print(json.dumps(_import(*rest) if kind == "import" else _verify(*rest)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="ledger-audit-bench-"))
    source = workdir / "ledger.jsonl"
    generate.write(source, generate.parse_scale(args.claims))
    with_events = child_run("import", str(workdir / "with.db"), str(source), "yes")
    without = child_run("import", str(workdir / "without.db"), str(source), "no")
    checked = child_run("verify", str(workdir / "with.db"), "auto")
    single = child_run("verify", str(workdir / "with.db"), "1")
    rate = checked["events"] / checked["seconds"]
    overhead = with_events["seconds"] / without["seconds"] - 1
    lines = [
        f"# The audit trail's cost ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        "Produced by `python -m benchmarks.audit_cost --claims "
        f"{args.claims} --results {args.results}`.",
        "",
        "| measure | figure | target |",
        "|---|---|---|",
        f"| `ledger verify` on {checked['events']:,} events, one worker per core "
        f"({checked['cores']} here) | {checked['seconds']:.1f} s: {rate:,.0f} events/s, "
        f"peak {checked['peak_mb']:.0f} MB per process, intact: {checked['intact']} "
        "| ≥ 100,000 events/s, streamed |",
        f"| the same, `--jobs 1` (one process) | {single['seconds']:.1f} s: "
        f"{single['events'] / single['seconds']:,.0f} events/s, peak {single['peak_mb']:.0f} MB "
        "| (for information) |",
        f"| import of {with_events['claims']:,} claims with events | {with_events['seconds']:.1f} s | |",
        f"| the same import without events | {without['seconds']:.1f} s | |",
        f"| overhead of writing events | {overhead:+.0%} | (for information) |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.results:
        args.results.write_text(text, encoding="utf-8")


def child_run(*args: str) -> dict[str, Any]:
    return child_module("benchmarks.audit_cost", "--child", *args)


def child_module(module: str, *args: str) -> dict[str, Any]:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
