"""What this process is doing, as other database sessions see it ("ledger source add").

Kept apart from `database` so that naming the command costs no SQLAlchemy
import: the CLI names every command before it runs, most of them never write.
"""

from __future__ import annotations

_program = "ledger"


def set_program(name: str) -> None:
    """Name what this process does, for a writer it keeps waiting (see `Database.write`)."""
    global _program
    _program = name


def program() -> str:
    return _program
