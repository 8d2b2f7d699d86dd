"""`ledger --help` must start fast: no SQLAlchemy, pydantic, PyYAML or prov at start-up.

A command's own help does not load them either: Typer 0.29 and later validate every
option with pydantic, which is why the project stays on an earlier Typer."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("sqlalchemy", "pydantic", "yaml", "prov", "alembic")

PROBE = """
import sys
sys.argv = {argv!r}
from ledger.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED", sorted(name for name in {heavy!r} if name in sys.modules))
"""


def loaded_after(*argv: str) -> str:
    code = PROBE.format(argv=["ledger", *argv], heavy=HEAVY)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return run.stdout.strip().splitlines()[-1]


def test_help_imports_no_heavy_module():
    assert loaded_after("--help") == "LOADED []"


def test_command_help_imports_no_heavy_module():
    assert loaded_after("claim", "show", "--help") == "LOADED []"
