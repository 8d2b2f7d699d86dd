"""The `ledger` command line: parse, call the library, render. No SQL lives here."""

from typing import Annotated

import typer

from ledger.cli import (
    articles,
    claims,
    integrity,
    ledger_io,
    protect,
    report,
    serve,
    setup,
    sources,
    suggest,
    trail,
)
from ledger.cli._common import LedgerTyper

app = LedgerTyper(
    name="ledger",
    help="A claim-level provenance ledger: who said what, through whom, and what is uncorroborated.",
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(asked: bool) -> None:
    if asked:
        from ledger import __version__

        typer.echo(f"ledger {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """A claim-level provenance ledger: who said what, through whom, and what is uncorroborated."""


setup.register(app)
ledger_io.register(app)
claims.register(app)
report.register(app)
serve.register(app)
suggest.register(app)
trail.register(app)
integrity.register(app)
app.add_typer(articles.app, name="article", help="Articles: add, list, show with quotes marked.")
app.add_typer(sources.app, name="source", help="Sources: add, list, show every claim through one.")
app.add_typer(claims.claim_app, name="claim", help="One claim: add, show, attribute, link.")
protect.register_source_commands(sources.app)
app.add_typer(
    protect.key_app, name="key", help="The newsroom key that seals confidential identities."
)


def main() -> None:
    """Console-script entry point."""
    app()
