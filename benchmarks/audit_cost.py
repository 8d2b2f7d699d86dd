"""The audit trail's cost: `ledger verify` and `ledger checkpoint` on a million events.

    python -m benchmarks.audit_cost --claims 1m --results benchmarks/AUDIT.md

Generates a synthetic ledger (the same generator as `benchmarks.run`), imports it
twice from JSON Lines, once as the ledger does and once with event writing
switched off (everything else identical: with events go their Merkle tree's
nodes), then times `ledger verify` on the first, `ledger checkpoint` on it (in
a warm process, and as a fresh `ledger` process from outside, as a user or a
cron job runs it), and the upgrade to schema 0008 building the tree over
events already there. Targets: verify at least 100,000 events a second,
streamed (its peak memory is printed beside the event count); a checkpoint of
a million events in under 2 s.
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


def _checkpoint(db: str, key: str) -> dict[str, Any]:
    """A checkpoint in this process, twice (the second with the database's pages cached)."""
    from ledger.audit import checkpoint
    from ledger.storage.database import Database

    signer = checkpoint.load_signing_key(Path(key))
    database = Database.open(db)
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        with database.read() as session:
            head = checkpoint.current(session)
        checkpoint.sign(head, signer)
        seconds.append(time.perf_counter() - started)
    database.dispose()
    return {"first": seconds[0], "again": seconds[1], "events": head.size}


def _tree_build(db: str) -> dict[str, Any]:
    """Drop the stored tree and build it again as the upgrade to schema 0008 does."""
    import importlib.util
    import sqlite3

    from benchmarks.operations import ROOT  # the repository, where migrations/ lives

    path = ROOT / "migrations" / "versions" / "0008_merkle_tree_and_checkpoints.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from ledger.storage.database import Database

    database = Database.open(db)
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM merkle_nodes")
    started = time.perf_counter()
    with database.engine.begin() as connection:
        module._build_tree(connection)
    seconds = time.perf_counter() - started
    database.dispose()
    raw = sqlite3.connect(db)
    try:
        size = raw.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'merkle_nodes'").fetchone()[
            0
        ]
    except sqlite3.Error:
        size = None
    total = (
        raw.execute("PRAGMA page_count").fetchone()[0]
        * raw.execute("PRAGMA page_size").fetchone()[0]
    )
    raw.close()
    return {"seconds": seconds, "tree_mb": size and size / 1e6, "file_mb": total / 1e6}


def _timed_command(*args: str) -> float:
    import subprocess
    import sys

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ledger", *args], capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", default="1m", help="size of the ledger: 10k, 100k, 1m")
    parser.add_argument("--results", type=Path, help="also write the figures here, as Markdown")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        work = {
            "import": _import,
            "verify": _verify,
            "checkpoint": _checkpoint,
            "tree": _tree_build,
        }[kind]
        print(json.dumps(work(*rest)))
        return
    workdir = Path(tempfile.mkdtemp(prefix="ledger-audit-bench-"))
    source = workdir / "ledger.jsonl"
    generate.write(source, generate.parse_scale(args.claims))
    with_events = child_run("import", str(workdir / "with.db"), str(source), "yes")
    without = child_run("import", str(workdir / "without.db"), str(source), "no")
    checked = child_run("verify", str(workdir / "with.db"), "auto")
    single = child_run("verify", str(workdir / "with.db"), "1")
    key = workdir / "bench.key"
    _timed_command("key", "init", "--signing", "--key-file", str(key))
    signed = child_run("checkpoint", str(workdir / "with.db"), str(key))
    command = ["checkpoint", "--signing-key", str(key), "--db", str(workdir / "with.db")]
    cold, warm = _timed_command(*command), _timed_command(*command)
    note = workdir / "bench.checkpoint"
    _timed_command(*command, "-o", str(note))
    with_checkpoint = _timed_command(
        "verify", "--db", str(workdir / "with.db"), "--checkpoint", str(note),
        "--verifier-key", f"{key}.pub",
    )  # fmt: skip
    tree = child_run("tree", str(workdir / "with.db"))
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
        f"| `ledger checkpoint` of {signed['events']:,} events, in a warm process | "
        f"{signed['first'] * 1000:.1f} ms, then {signed['again'] * 1000:.1f} ms | < 2 s |",
        f"| the same, `ledger checkpoint --signing-key K` as a fresh process, timed from outside "
        f"| {cold:.2f} s, then {warm:.2f} s | < 2 s |",
        f"| `ledger verify --checkpoint` with that checkpoint, as a process | {with_checkpoint:.1f} s "
        "| (for information) |",
        f"| building the Merkle tree over those events, as the upgrade to schema 0008 does | "
        f"{tree['seconds']:.1f} s | (for information) |",
        f"| the tree's nodes on disk (SQLite, whole file {tree['file_mb']:,.0f} MB) | "
        + (f"{tree['tree_mb']:,.0f} MB" if tree["tree_mb"] else "not measured (no dbstat)")
        + " | (for information) |",
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
