"""How each operation is measured, ledger and raw sqlite3 side by side.

Imports run in child processes (`python -m benchmarks.measure import-ledger DB
FILE`), so that each one's peak memory is its own and no cache is shared.
Queries run in-process against a warm, open database, as a server or a
long-lived tool would; each is repeated and its median kept. Whole commands
run as processes and are timed from outside, like a user at a terminal.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timing:
    """A median over repeated runs, in seconds, with what the last run returned."""

    seconds: float
    runs: int
    rows: int | None = None

    @property
    def ms(self) -> float:
        return self.seconds * 1000


def repeat(work: Callable[[], Any], times: int, *, warmup: int = 1) -> Timing:
    """Median wall time of `work` over `times` runs, after `warmup` unmeasured ones."""
    result: Any = None
    for _ in range(warmup):
        result = work()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - started)
    rows = len(result) if isinstance(result, Sequence) else None
    return Timing(statistics.median(samples), times, rows)


BYTECODE = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Commands run as an installed program runs: from compiled bytecode (the warm-up round
writes it, as the first run after `pip install` does)."""


def processes(commands: dict[str, list[str]], times: int, cwd: Path) -> dict[str, Timing]:
    """Median wall time of each command as a process, the commands taking turns."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(times + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            done = subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=BYTECODE)
            elapsed = time.perf_counter() - started
            if done.returncode not in (0, 1):  # 1: `ledger check` found what blocks publication
                raise RuntimeError(f"{name} failed: {done.stderr.decode(errors='replace')}")
            if round_:  # the first round warms the file cache
                samples[name].append(elapsed)
    return {name: Timing(statistics.median(runs), times) for name, runs in samples.items()}


def child(*args: str) -> dict[str, Any]:
    """Run `python -m benchmarks.measure ARGS` and return the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.measure {args[0]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process, or (RUSAGE_CHILDREN) of its largest finished child.

    Linux reports kilobytes, macOS bytes.
    """
    peak = resource.getrusage(who).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


HEAVY_PROBE = """
import sys
sys.argv = ["ledger", "--help"]
from ledger.cli import main
try:
    main()
except SystemExit:
    pass
print(sorted(name for name in ("sqlalchemy", "pydantic") if name in sys.modules))
"""


def help_imports() -> list[str]:
    """The heavy modules `ledger --help` loads (it should load none)."""
    done = subprocess.run(
        [sys.executable, "-c", HEAVY_PROBE], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1].replace("'", '"'))


# --- child processes ---------------------------------------------------------------------------


def _init(db: Path) -> dict[str, Any]:
    from ledger.storage import migrations
    from ledger.storage.database import Database

    database = Database.open(str(db), must_exist=False)
    migrations.upgrade(database)
    database.dispose()
    return {}


def _import_ledger(db: Path, source: Path) -> dict[str, Any]:
    from ledger.storage.database import Database
    from ledger.write import bulk

    database = Database.open(str(db))
    started = time.perf_counter()
    summary = bulk.import_file(database, source, actor="benchmark", show_progress=False)
    seconds = time.perf_counter() - started
    database.dispose()
    return {"seconds": seconds, "claims": summary.claims, "peak_mb": peak_mb()}


def _import_raw(db: Path, source: Path) -> dict[str, Any]:
    from benchmarks import raw_import

    started = time.perf_counter()
    claims, inserting = raw_import.run(db, source)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "claims": claims, "insert_seconds": inserting, "peak_mb": peak_mb()}


def main() -> None:
    command, *paths = sys.argv[1:]
    work = {"init": _init, "import-ledger": _import_ledger, "import-raw": _import_raw}[command]
    print(json.dumps(work(*map(Path, paths))))


if __name__ == "__main__":
    main()
