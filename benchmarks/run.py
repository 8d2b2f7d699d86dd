"""Benchmarks: the ledger beside raw sqlite3, at 10k, 100k and 1M claims.

    python -m benchmarks.run --results benchmarks/RESULTS.md

For each scale: generate a synthetic ledger (JSON Lines, cached in the work
directory), import it with `ledger.write.bulk` and with hand-rolled sqlite3 (child
processes, best of `--import-rounds`), then time every operation in-process and
the `claims` command as whole processes.
Prints tables and the scaling curve; `--results` also writes them as Markdown.
Databases live in the work directory (default: the system's temporary directory).
`--engine postgresql --postgres-url URL` runs the same on a PostgreSQL server
(`benchmarks/postgres.py`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import bundle_files, generate, operations
from benchmarks.measure import Timing, child, help_imports

FILE_IMPORT_LARGEST = 100_000
"""Scales up to this many claims also import their claims as bundle files of 100 claims
(`benchmarks.bundle_files`); a million would be 10,000 processes' worth of files."""
LIMITS_MS = {
    "claims --article": 20,
    "claims --source": 20,
    "uncorroborated: count": 2000,
    "uncorroborated: first page of 50": 100,
    "report of a 200-claim article (md)": 300,
    "report (claim_views only)": 300,
}
IMPORT_MIN_RATIO, MEMORY_MB, PROCESS_RATIO = 0.5, 300, 1.5


@dataclass
class Scale:
    name: str
    claims: int
    ledger_import: dict[str, Any] = field(default_factory=dict)
    raw_import: dict[str, Any] = field(default_factory=dict)
    targets: operations.Targets | None = None
    queries: list[operations.Result] = field(default_factory=list)
    commands: dict[str, Timing] = field(default_factory=dict)
    file_imports: list[bundle_files.Result] = field(default_factory=list)


def machine() -> list[tuple[str, str]]:
    import sqlalchemy

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} logical cores"),
        ("memory", f"{memory:.0f} GiB"),
        ("system", platform.platform()),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("load average at start", " ".join(f"{value:.2f}" for value in os.getloadavg())),
    ]


def fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def run_scale(name: str, workdir: Path, args: argparse.Namespace) -> Scale:
    scale = Scale(name, generate.parse_scale(name))
    source = workdir / f"ledger-{name}-seed{args.seed}.jsonl"
    if not source.exists():
        print(f"[{name}] generating {source.name} ...", flush=True)
        generate.write(source, scale.claims, args.seed)
    db, raw_db = workdir / f"ledger-{name}.db", workdir / f"raw-{name}.db"
    for round_ in range(args.import_rounds):
        print(f"[{name}] import round {round_ + 1}: ledger, then raw sqlite3 ...", flush=True)
        child("init", str(fresh(db)))
        ledger = child("import-ledger", str(db), str(source))
        child("init", str(fresh(raw_db)))
        raw = child("import-raw", str(raw_db), str(source))
        if not scale.ledger_import or ledger["seconds"] < scale.ledger_import["seconds"]:
            scale.ledger_import = {
                **ledger,
                "peak_mb": max(ledger["peak_mb"], scale.ledger_import.get("peak_mb", 0)),
            }
        else:
            scale.ledger_import["peak_mb"] = max(ledger["peak_mb"], scale.ledger_import["peak_mb"])
        if not scale.raw_import or raw["seconds"] < scale.raw_import["seconds"]:
            scale.raw_import = raw
    fresh(raw_db)
    if scale.claims <= FILE_IMPORT_LARGEST:
        files = scale.claims // bundle_files.CLAIMS_PER_FILE
        for fmt in bundle_files.FORMATS:
            print(f"[{name}] import of {files:,} {fmt} bundle files, then raw ...", flush=True)
            scale.file_imports.append(
                bundle_files.measure(
                    workdir,
                    fmt,
                    files=files,
                    claims=bundle_files.CLAIMS_PER_FILE,
                    seed=args.seed,
                    rounds=args.import_rounds,
                )
            )
    scale.targets = operations.pick_targets(db)
    print(f"[{name}] queries ...", flush=True)
    scale.queries = operations.queries(db, scale.targets, times=args.times)
    print(f"[{name}] commands as processes ...", flush=True)
    scale.commands = operations.commands(db, scale.targets, times=args.process_runs)
    if not args.keep:
        fresh(db)
    return scale


# --- reporting ---------------------------------------------------------------------------------


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def limit_for(name: str) -> float | None:
    return next((ms for prefix, ms in LIMITS_MS.items() if name.startswith(prefix)), None)


def target_rows(scale: Scale) -> list[list[str]]:
    """Operation, ledger, raw sqlite3, ledger ÷ raw, target, met."""
    ledger, raw = scale.ledger_import, scale.raw_import
    throughput = raw["seconds"] / ledger["seconds"]
    rate = scale.claims / ledger["seconds"]
    rows = [
        [
            "bulk import, JSON Lines (time)",
            f"{fmt(ledger['seconds'])} ({rate:,.0f} claims/s)",
            fmt(raw["seconds"]),
            f"{1 / throughput:.2f}x",
            f"≤ {1 / IMPORT_MIN_RATIO:.0f}x raw time (throughput ≥ half)",
            yes(throughput >= IMPORT_MIN_RATIO),
        ],
        [
            "bulk import: raw time inside executemany",
            "",
            fmt(raw["insert_seconds"]),
            f"{ledger['seconds'] / raw['insert_seconds']:.2f}x",
            "(for information)",
            "",
        ],
        [
            "bulk import: peak memory",
            f"{ledger['peak_mb']:.0f} MB",
            f"{raw['peak_mb']:.0f} MB",
            "",
            f"< {MEMORY_MB} MB",
            yes(ledger["peak_mb"] < MEMORY_MB),
        ],
    ]
    for imported in scale.file_imports:
        rate = imported.claims / imported.ledger.seconds
        rows.append(
            [
                f"import, {imported.files:,} bundle files ({imported.fmt.upper()})",
                f"{fmt(imported.ledger.seconds)} ({rate:,.0f} claims/s, "
                f"{imported.ledger.peak_mb:.0f} MB)",
                f"{fmt(imported.raw.seconds)} ({imported.raw.peak_mb:.0f} MB)",
                f"{imported.ratio:.2f}x",
                f"≤ {1 / IMPORT_MIN_RATIO:.0f}x raw time",
                yes(imported.ratio <= 1 / IMPORT_MIN_RATIO),
            ]
        )
    for result in scale.queries:
        limit = limit_for(result.name)
        raw_seconds = result.raw.seconds if result.raw else None
        ratio = f"{result.ledger.seconds / raw_seconds:.2f}x" if raw_seconds else ""
        met = yes(result.ledger.ms < limit) if limit and "sqlite3)" not in result.name else ""
        target = f"< {fmt(limit / 1000)}" if met else "(for information)"
        rows.append([result.name, fmt(result.ledger.seconds), fmt(raw_seconds), ratio, target, met])
    heavy = help_imports()
    rows.append(
        [
            "`ledger --help` imports SQLAlchemy or pydantic",
            ", ".join(heavy) or "neither",
            "",
            "",
            "neither",
            yes(not heavy),
        ]
    )
    floor = scale.commands["sqlite-utils query (equivalent SQL)"].seconds
    for name, timing in scale.commands.items():
        if name.startswith("sqlite-utils"):
            continue
        ratio = timing.seconds / floor
        rows.append(
            [
                f"process: {name}",
                fmt(timing.seconds),
                f"{fmt(floor)} (sqlite-utils)",
                f"{ratio:.2f}x",
                f"≤ {PROCESS_RATIO}x sqlite-utils",
                yes(ratio <= PROCESS_RATIO),
            ]
        )
    return rows


def yes(value: bool) -> str:
    return "yes" if value else "**no**"


def scaling_rows(scales: list[Scale]) -> list[list[str]]:
    """Each operation's ledger time at every scale, and its growth from the first to the last."""
    series: dict[str, list[float]] = {
        "bulk import (per 1,000 claims)": [
            1000 * s.ledger_import["seconds"] / s.claims for s in scales
        ]
    }
    for scale in scales:
        for result in scale.queries:
            series.setdefault(result.name, []).append(result.ledger.seconds)
        for name, timing in scale.commands.items():
            series.setdefault(f"process: {name}", []).append(timing.seconds)
    rows = []
    for name, values in series.items():
        growth = values[-1] / values[0] if len(values) > 1 and values[0] else None
        rows.append([name, *map(fmt, values), f"{growth:.1f}x" if growth else ""])
    return rows


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


TARGET_HEADER = ["operation", "ledger", "raw sqlite3", "ledger ÷ raw", "target", "met"]


def markdown(
    scales: list[Scale],
    info: list[tuple[str, str]],
    started: dt.datetime,
    wall: float,
    command: str,
) -> str:
    from benchmarks.notes import NOTES

    last = scales[-1]
    assert last.targets is not None
    parts = [
        "# Benchmarks: the ledger beside raw sqlite3",
        f"Produced by `{command}` on {started:%Y-%m-%d %H:%M} UTC; the whole run took "
        f"{wall / 60:.1f} minutes. Every figure is measured in the same run as the raw-sqlite3 "
        "figure beside it, on the same data.",
        "## Machine\n\n" + table(["", ""], [list(row) for row in info]),
        f"## Targets at {last.claims:,} claims\n\n"
        f"Article of {last.targets.article_claims} claims `{last.targets.article}`; source "
        f"`{last.targets.source}` cited by {last.targets.source_claims} claims; report of "
        f"`{last.targets.report_article}`.\n\n" + table(TARGET_HEADER, target_rows(last)),
        "## Scaling: ledger time by number of claims\n\n"
        + table(["operation", *(s.name for s in scales), "growth"], scaling_rows(scales)),
    ]
    for scale in scales[:-1]:
        parts.append(
            f"## At {scale.claims:,} claims\n\n" + table(TARGET_HEADER, target_rows(scale))
        )
    parts.append(NOTES)
    return "\n\n".join(parts) + "\n"


def show(scales: list[Scale]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for scale in scales:
        view = Table(*TARGET_HEADER, title=f"{scale.claims:,} claims")
        for row in target_rows(scale):
            view.add_row(*(cell.replace("**", "") for cell in row))
        console.print(view)
    curve = Table("operation", *(s.name for s in scales), "growth", title="scaling (ledger)")
    for row in scaling_rows(scales):
        curve.add_row(*row)
    console.print(curve)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10k,100k,1m", help="comma-separated: 10k,100k,1m")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "claim-ledger-bench"
    )
    parser.add_argument("--results", type=Path, help="also write the tables here, as Markdown")
    parser.add_argument("--times", type=int, default=30, help="runs of each in-process query")
    parser.add_argument("--process-runs", type=int, default=10, help="runs of each command")
    parser.add_argument("--import-rounds", type=int, default=2, help="imports of each kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", help="with --engine postgresql: the server's database")
    parser.add_argument(
        "--process-timeout", type=float, default=0, help="PostgreSQL: stop a command after N s"
    )
    args = parser.parse_args()
    if args.engine == "postgresql":
        from benchmarks import postgres

        postgres.main(args)
        return
    if shutil.which("sqlite-utils") is None and not _importable("sqlite_utils"):
        parser.error("sqlite-utils is needed for the start-up comparison: pip install sqlite-utils")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started, clock, info = dt.datetime.now(dt.UTC), time.perf_counter(), machine()
    scales = [run_scale(name.strip(), args.workdir, args) for name in args.scales.split(",")]
    info.append(("load average at end", " ".join(f"{value:.2f}" for value in os.getloadavg())))
    show(scales)
    if args.results:
        command = " ".join(["python -m benchmarks.run", *sys.argv[1:]])
        text = markdown(scales, info, started, time.perf_counter() - clock, command)
        previous = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
        if KEPT_SECTION in previous:  # measured by benchmarks.hostile, not by this run
            text = text.rstrip("\n") + "\n" + previous[previous.index(KEPT_SECTION) :]
        args.results.write_text(text, encoding="utf-8")
        print(f"wrote {args.results}")


KEPT_SECTION = "\n## Hostile input"
"""The section `python -m benchmarks.hostile` figures are recorded in, kept when rewriting."""


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


if __name__ == "__main__":
    main()
