"""Ledger-wide views as whole processes: first byte, total time and peak memory.

    python -m benchmarks.wide_views DB [DB ...] [--runs N] [--only desk ...]

For each ledger (made by `benchmarks.generate` and imported with
`benchmarks.measure import-ledger`): `ledger check --all --json`, `ledger report
--all --format json`, and the desk (the ASGI app in a process of its own, on a
copy of the ledger: how long `create_app` takes to return, then the overview
`/` twice, its JSON, its second pages, the sources list, the flagged claims sorted
by each column either way (first pages, and pages in the middle and at the end), then `/` twice after a
claim is retracted and twice after a source of the largest label block is
renamed, through the library), each beside the `sqlite3` command-line tool running the SQL the
ledger-wide figures need (the per-article counts with the SQL form of the rules,
and the count of flagged claims) on the same file, in the same run. Output goes
to a pipe and is read as it comes; a process's peak memory is its own maximum
resident set (`wait4`). Prints a Markdown table.

A PostgreSQL URL in place of DB runs the same views on that ledger, beside `psql`
running the same SQL; the desk then works on the ledger
itself, not a copy, so give it a schema of its own that may be changed (a claim
retracted, a source renamed).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from typing import Any

DESK = """
import shutil, sqlite3, sys, tempfile, time
from pathlib import Path
from starlette.testclient import TestClient
from ledger.api import Ledger
from ledger.web.app import create_app

folder = Path(tempfile.mkdtemp())
if sys.argv[1].startswith("postgresql"):
    from sqlalchemy import create_engine

    db = sys.argv[1]  # a throwaway schema: the desk is timed again after writes to it
    engine = create_engine(db)

    def one(sql, *params):
        with engine.connect() as connection:
            return connection.exec_driver_sql(sql.replace("?", "%s"), params).fetchone()
else:
    db = folder / "ledger.db"
    with sqlite3.connect(sys.argv[1]) as source, sqlite3.connect(db) as target:
        source.backup(target)  # a copy: the desk's figures are timed again after writes to it

    def one(sql, *params):
        with sqlite3.connect(db) as connection:
            return connection.execute(sql, params).fetchone()
at = time.perf_counter()
web = TestClient(create_app(str(db)), base_url="http://127.0.0.1")
print(f"start {time.perf_counter() - at:.4f} 0", flush=True)


def ask(name, path="/"):
    at = time.perf_counter()
    body = web.get(path).content
    print(f"{name} {time.perf_counter() - at:.4f} {len(body)}", flush=True)
    return body


ask("first")
ask("again")
ask("json", "/?format=json")
ask("page2", "/?page=2")
ask("articles2", "/?articles_page=2&format=json")
ask("sources", "/sources?format=json")
overview = web.get("/?format=json").json()
first, pages = overview["flagged"][0], overview["flagged_page"]["pages"]
for sort in ("flags", "status", "claim", "article"):
    for order in ("asc", "desc"):
        ask(f"{sort}-{order}", f"/?sort={sort}&order={order}")
ask("flags-page3", "/?sort=flags&page=3")
ask("flags-asc-middle", f"/?sort=flags&order=asc&page={pages // 2}")
ask("status-last", f"/?sort=status&page={pages}")
ask("claim-desc-middle", f"/?sort=claim&order=desc&page={pages // 2}")
ask("article-last", f"/?sort=article&page={pages}")
(label,) = one("SELECT label FROM sources GROUP BY label ORDER BY count(*) DESC LIMIT 1")
(key,) = one("SELECT key FROM sources WHERE label = ? ORDER BY id DESC LIMIT 1", label)
with Ledger.open(str(db), actor="benchmark") as book:
    book.retract_claim(f"{first['article']}/{first['key']}", "withdrawn by the desk")
ask("retracted")
ask("retracted-again")
with Ledger.open(str(db), actor="benchmark") as book:
    book.edit_source(key, {"label": label.replace("official", "oficial", 1) + "."})
ask("renamed")
ask("renamed-again")
shutil.rmtree(folder)
"""
DESK_STEPS = {
    "start": "desk started",
    "first": "`/` first",
    "again": "again",
    "json": "`?format=json`",
    "page2": "`?page=2`",
    "articles2": "articles page 2 (JSON)",
    "sources": "`/sources` (JSON)",
    **{
        f"{sort}-{order}": f"`?sort={sort}&order={order}`"
        for sort in ("flags", "status", "claim", "article")
        for order in ("asc", "desc")
    },
    "flags-page3": "`?sort=flags&page=3`",
    "flags-asc-middle": "flags ascending, middle page",
    "status-last": "status, last page",
    "claim-desc-middle": "claim descending, middle page",
    "article-last": "article, last page",
    "retracted": "after a claim retracted",
    "retracted-again": "again",
    "renamed": "after a source renamed",
    "renamed-again": "again",
}


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


def raw_sql() -> str:
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


def desk_note(outputs: list[str]) -> str:
    """The DESK script's timings as one line (`step seconds bytes` lines, in order): the
    median of each step over the runs."""
    steps: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for output in outputs:
        for line in output.splitlines():
            step, seconds, size = line.split()
            steps.setdefault(step, []).append(float(seconds))
            sizes[step] = int(size)
    parts = []
    for step, times in steps.items():
        size = f", {sizes[step]:,} bytes" if step == "first" else ""
        parts.append(f"{DESK_STEPS[step]} {statistics.median(times):.3f} s{size}")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("databases", nargs="+", help="SQLite files or PostgreSQL URLs")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--only",
        choices=("check", "report", "desk", "sqlite3", "psql"),
        action="append",
        help="time only these views (repeatable; default: every one)",
    )
    args = parser.parse_args()
    python = sys.executable
    print(f"load average at start: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("| claims | operation | first byte | total | peak memory |")
    print("|---|---|---|---|---|")
    for db in args.databases:
        postgresql = db.startswith("postgresql")
        if postgresql:
            from benchmarks.postgres import psql

            raw = psql(db, *raw_sql().rstrip(";").split(";\n"))
            claims = int(subprocess.check_output(psql(db, "SELECT count(*) FROM claims")))
        else:
            raw = ["sqlite3", db, raw_sql()]
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
            "desk overview `/`": [python, "-c", DESK, str(db)],
            f"{raw[0]}: figures and flagged count (raw SQL)": raw,
        }
        for name, command in commands.items():
            if args.only and not any(
                name.startswith(f"ledger {view}") or name.startswith(view) for view in args.only
            ):
                continue
            samples = [run(command) for _ in range(args.runs)]
            ttfb = statistics.median(s[0] for s in samples)
            total = statistics.median(s[1] for s in samples)
            peak = max(s[2] for s in samples)
            note = ""
            if name.startswith("desk"):
                note = " (" + desk_note([sample[3].decode() for sample in samples]) + ")"
            print(
                f"| {claims:,} | {name}{note} | {ttfb:.2f} s | {total:.2f} s | {peak:.0f} MB |",
                flush=True,
            )
    print(f"load average at end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
