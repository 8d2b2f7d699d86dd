"""Where the Alembic scripts and the sample bundle are, installed or in a checkout.

A wheel carries them inside the package (`ledger/_resources/`, see
pyproject.toml); a source checkout or an editable install finds them at the top
of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # ledger/


def resource_dir(name: str) -> Path:
    """The directory `name` (`migrations` or `samples`), wherever this install keeps it."""
    for candidate in (_PACKAGE_DIR / "_resources" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the ledger's {name}/ directory is missing from this installation")
