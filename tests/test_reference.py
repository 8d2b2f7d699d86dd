"""Every command has help text and its line in the README's command reference."""

from __future__ import annotations

from ledger.cli.reference import BEGIN, END, block, leaf_commands
from tests.conftest import ROOT


def test_every_command_has_help_text():
    import typer

    from ledger.cli import app

    missing = [
        path
        for path, command in leaf_commands(typer.main.get_command(app))
        if not (command.help or "").strip()
    ]
    assert missing == []


def test_the_readme_command_reference_is_generated_from_the_cli():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    current = readme[readme.index(BEGIN) : readme.index(END) + len(END)]
    assert current == block(), "run `python -m ledger.cli.reference --write`"
