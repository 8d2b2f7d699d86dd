"""Importing many bundle files in one process, beside raw sqlite3 writing the same rows.

`ledger import F1 ... F1000 --db new.db` imports each file in a transaction of
its own (each file is atomic), so what a file costs beyond its rows (its
transactions, its checks against the ledger, its parse) counts a thousand
times. This writes the generator's ledger as `--files` bundle files of
`--claims` claims each (one article a file; each recurring source defined by
the first article that cites it), YAML or JSON, and times, as whole processes:

- `ledger import F... --db DB` into a ledger made by `ledger init`;
- `python -m benchmarks.raw_import DB F...`: the same files read in turn (libyaml
  or json), the same rows written by hand-rolled executemany in one transaction,
  audit events and hash chain included, nothing checked.

Peak memory is the process's maximum resident set as `/usr/bin/time` reports it. With
`--rounds N` the two take turns N times; each round's times are printed, then the median of
each and their ratio (on a shared machine the median is steadier than the best).

    python -m benchmarks.bundle_files --format yaml --format json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

FILES, CLAIMS_PER_FILE = 1_000, 100
FORMATS = ("yaml", "json")
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One whole process: wall seconds, peak resident memory, the load average at its end."""

    seconds: float
    peak_mb: float
    load: str = ""


@dataclass(frozen=True)
class Result:
    """The ledger's import and the raw floor of the same files: the median of the rounds
    (the run whose time is the median, the lower of the middle two for an even count)."""

    fmt: str
    files: int
    claims: int
    ledger: Run
    raw: Run
    rounds: tuple[tuple[Run, Run], ...] = ()

    @property
    def ratio(self) -> float:
        return self.ledger.seconds / self.raw.seconds


def _median(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]


def write_files(directory: Path, fmt: str, files: int, claims: int, seed: int) -> list[Path]:
    """The bundle files, written once and kept (the same seed gives the same files)."""
    from benchmarks import generate

    paths = [directory / f"article-{number:05d}.{fmt}" for number in range(files)]
    done = directory / "complete"
    if done.exists():
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    bundles = generate.article_bundles(files, claims, seed)
    for path, bundle in zip(paths, bundles, strict=True):
        path.write_text(_dump(bundle, fmt), encoding="utf-8")
    done.touch()
    return paths


def _dump(bundle: dict[str, object], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(bundle, Dumper=dumper, sort_keys=False, allow_unicode=True)


def timed(command: list[str], cwd: Path) -> Run:
    """Wall time and peak memory of `command`, run through `/usr/bin/time`; it must succeed."""
    with tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, *command],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},  # benchmarks.raw_import from any folder
        )
        seconds = time.perf_counter() - started
        report = peak.read()
    if done.returncode != 0:
        raise RuntimeError(f"failed: {' '.join(command[:4])} ...\n{done.stderr.decode()[-2000:]}")
    return Run(seconds, int(report.split()[-1]) / 1024, _load())


def fresh_ledger(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "ledger", "init", "--db", str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path


def measure(workdir: Path, fmt: str, *, files: int, claims: int, seed: int, rounds: int) -> Result:
    """`ledger import` and the raw floor of the same files, taking turns; median of `rounds`."""
    directory = workdir / f"bundles-{files}x{claims}-seed{seed}-{fmt}"
    paths = write_files(directory, fmt, files, claims, seed)
    names = [path.name for path in paths]  # relative: a short command line
    ledger_db, raw_db = workdir / f"files-{fmt}.db", workdir / f"files-raw-{fmt}.db"
    ledger_runs, raw_runs = [], []
    for _ in range(rounds):
        fresh_ledger(ledger_db)
        ledger_runs.append(
            timed(
                [sys.executable, "-m", "ledger", "import", *names, "--db", str(ledger_db)],
                directory,
            )
        )
        fresh_ledger(raw_db)
        raw_runs.append(
            timed([sys.executable, "-m", "benchmarks.raw_import", str(raw_db), *names], directory)
        )
    for path in (ledger_db, raw_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Result(
        fmt,
        files,
        files * claims,
        _median(ledger_runs),
        _median(raw_runs),
        tuple(zip(ledger_runs, raw_runs, strict=True)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", action="append", choices=FORMATS, dest="formats")
    parser.add_argument("--files", type=int, default=FILES)
    parser.add_argument("--claims", type=int, default=CLAIMS_PER_FILE, help="claims per file")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "claim-ledger-bench"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    for fmt in args.formats or FORMATS:
        result = measure(
            args.workdir,
            fmt,
            files=args.files,
            claims=args.claims,
            seed=args.seed,
            rounds=args.rounds,
        )
        rate = result.claims / result.ledger.seconds
        for number, (ledger, raw) in enumerate(result.rounds, 1):
            print(
                f"{fmt}: round {number}: ledger {ledger.seconds:.2f} s, raw {raw.seconds:.2f} s"
                f" ({ledger.seconds / raw.seconds:.2f}x), load {ledger.load} / {raw.load}",
                flush=True,
            )
        print(
            f"{fmt}: {result.files:,} files, {result.claims:,} claims: ledger "
            f"{result.ledger.seconds:.2f} s ({rate:,.0f} claims/s, {result.ledger.peak_mb:.0f} MB)"
            f", raw {result.raw.seconds:.2f} s ({result.raw.peak_mb:.0f} MB): "
            f"{result.ratio:.2f}x (medians of {len(result.rounds)})",
            flush=True,
        )


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
