"""The `ledger` program's entry point: the editor's most frequent question first, then Typer.

`ledger claims --article X` (or `--source K`) on a SQLite file is answered by
`ledger.cli.fast` before Typer, SQLAlchemy or pydantic are imported: a fresh
process then costs about what a `sqlite-utils query` costs (benchmarks/RESULTS.md).
Anything else, any error to report, and every other engine go to the Typer
app, which gives the same answers (tests hold the two to identical output).
"""

from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments[:1] == ["claims"]:
        from ledger.cli.fast import answer_claims

        if answer_claims(arguments[1:]):
            return
    from ledger.cli import main as typer_main

    typer_main()
