"""The `ledger` program's entry point.

Every command starts light: the Typer app imports each command's module, and a
command imports what it needs when it runs. Read commands on a SQLite file read
through `sqlite3` (`ledger.storage.reader`), so they load neither SQLAlchemy nor
pydantic and a fresh process costs about what a `sqlite-utils query` costs
(benchmarks/RESULTS.md).
"""


def main() -> None:
    from ledger.cli import main as typer_main

    typer_main()
