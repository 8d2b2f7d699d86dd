"""Ledger-wide views as whole processes: first byte, total time and peak memory.

    python -m benchmarks.wide_views DB [DB ...] [--runs N]

For each ledger (made by `benchmarks.generate` and imported with
`benchmarks.measure import-ledger`): `ledger check --all --json`, `ledger report
--all --format json`, and the desk's overview `/` (the ASGI app in a process of
its own, asked twice: the first request counts the figures, the second finds
them kept), each beside the `sqlite3` command-line tool running the SQL the
ledger-wide figures need (the per-article counts with the SQL form of the rules,
and the count of flagged claims) on the same file, in the same run. Output goes
to a pipe and is read as it comes; a process's peak memory is its own maximum
resident set (`wait4`). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DESK = """
import sys, time
from starlette.testclient import TestClient
from ledger.web.app import create_app
started = time.perf_counter()
web = TestClient(create_app(sys.argv[1]), base_url="http://127.0.0.1")
for _ in range(2):
    at = time.perf_counter()
    body = web.get("/").content
    sys.stdout.write(f"{time.perf_counter() - at:.4f} {len(body)}\\n")
    sys.stdout.flush()
"""


def run(command: list[str]) -> tuple[float, float, float, bytes]:
    """(seconds to first byte, seconds in all, peak MB, the first 64 KB of output)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    first = child.stdout.read(1)
    ttfb = time.perf_counter() - started
    head = first + child.stdout.read(65536)
    while child.stdout.read(1 << 20):
        pass
    _pid, _status, usage = os.wait4(child.pid, 0)
    total = time.perf_counter() - started
    child.returncode = 0
    return ttfb, total, usage.ru_maxrss / 1024, head


def raw_sql(db: Path | None = None) -> str:
    """The SQL of the ledger-wide figures and the flagged count, as the ledger words it for
    SQLite and PostgreSQL alike (`ledger.read.rules_sql`)."""
    from ledger.read import wide

    captured: list[str] = []

    class Recorder:
        dialect = "sqlite"

        def rows(self, sql: str, params: Any = None) -> list[Any]:
            captured.append(sql)
            return []

    wide.figure_counts(Recorder(), 2)
    wide.count_flagged(Recorder(), 2)
    return ";\n".join(captured) + ";"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    python = sys.executable
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("| claims | operation | first byte | total | peak memory |")
    print("|---|---|---|---|---|")
    for db in args.databases:
        with sqlite3.connect(db) as connection:
            claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
        commands = {
            "ledger check --all --json": [
                python,
                "-m",
                "ledger",
                "check",
                "--all",
                "--json",
                "--db",
                str(db),
            ],
            "ledger report --all --format json": [
                python,
                "-m",
                "ledger",
                "report",
                "--all",
                "--format",
                "json",
                "--db",
                str(db),
            ],
            "desk overview `/` (first request; second request)": [python, "-c", DESK, str(db)],
            "sqlite3: figures and flagged count (raw SQL)": ["sqlite3", str(db), raw_sql(db)],
        }
        for name, command in commands.items():
            samples = [run(command) for _ in range(args.runs)]
            ttfb = statistics.median(s[0] for s in samples)
            total = statistics.median(s[1] for s in samples)
            peak = max(s[2] for s in samples)
            note = ""
            if name.startswith("desk"):
                lines = samples[-1][3].decode().split()
                note = f" (requests: {float(lines[0]):.2f} s, then {float(lines[2]):.3f} s; {int(lines[1]):,} bytes)"
            print(
                f"| {claims:,} | {name}{note} | {ttfb:.2f} s | {total:.2f} s | {peak:.0f} MB |",
                flush=True,
            )
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
