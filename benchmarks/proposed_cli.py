"""`ledger` with the proposed wiring of `ledger.fastread` into `ledger claims`, in two steps.

The CLI belongs to its owner; until the wiring is in `ledger/cli/`, this runs the
real `ledger` app with the proposals applied, so that the start-up benchmark
measures them and not a mock-up.

1. In the command (`claims` below): scoped queries on a SQLite file go through
   `fastread`; everything else falls through to the command as it is. This
   saves SQLAlchemy and pydantic's models, but Typer (0.29) still imports
   pydantic to coerce options and builds every command of the app first.
2. Before Typer (`fast_main`): `ledger claims` with only the options below is
   parsed by argparse and answered at once; anything else (another command,
   `--help`, `--include-retracted`, PostgreSQL, an error to report) goes to
   the Typer app, which then does exactly what it does today.

    python -m benchmarks.proposed_cli [--in-command] claims --article SLUG --db FILE
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import closing
from typing import Any


def in_command(original: Callable[..., None]) -> Callable[..., None]:
    """Step 1: the proposed body of `ledger claims`, fastread first, the query layer otherwise."""
    from ledger.cli._common import console, print_json, threshold_or_default

    @functools.wraps(original)
    def claims(**options: Any) -> None:
        from ledger import fastread

        scoped = options["article"] is not None or options["source"] is not None
        path = fastread.sqlite_file(options["db"])
        if not scoped or options["include_retracted"] or path is None:
            return original(**options)
        try:
            connection = fastread.open_ledger(path)
        except fastread.Unsupported:
            return original(**options)
        with closing(connection):
            views = fastread.claim_views(
                connection,
                article=options["article"],
                source=options["source"],
                uncorroborated=options["uncorroborated"],
                anonymous_only=options["anonymous_only"],
                contradicted=options["contradicted"],
                threshold=threshold_or_default(options["threshold"]),
            )
        if options["json_"]:
            print_json([view.to_json() for view in views])
            return None
        from ledger.render import text as render

        out = console()
        render.print_table_or_empty(out, render.claims_table(views), len(views), "no claim matches")  # type: ignore[arg-type]
        if views:
            out.print(render.summary_line(views))  # type: ignore[arg-type]
        return None

    return claims


def fast_main(argv: list[str]) -> bool:
    """Answer `ledger claims --article/--source ...` without Typer; False: not handled here."""
    import argparse

    from ledger import fastread, rules
    from ledger.errors import LedgerError

    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    for name in ("--article", "--source", "--db"):
        parser.add_argument(name)
    parser.add_argument("--threshold", type=int)
    for name in ("--uncorroborated", "--anonymous-only", "--contradicted", "--json"):
        parser.add_argument(name, action="store_true")
    try:
        options, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return False
    path = fastread.sqlite_file(options.db)
    scoped = options.article is not None or options.source is not None
    if rest or not scoped or path is None or (options.threshold or 1) < 1:
        return False
    try:
        with closing(fastread.open_ledger(path)) as connection:
            views = fastread.claim_views(
                connection,
                article=options.article,
                source=options.source,
                uncorroborated=options.uncorroborated,
                anonymous_only=options.anonymous_only,
                contradicted=options.contradicted,
                threshold=options.threshold or rules.threshold_from_env(),
            )
    except (fastread.Unsupported, LedgerError):
        return False  # the Typer command reports errors, in its words
    if options.json:
        import json
        import sys

        data = [view.to_json() for view in views]
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        return True
    from rich.console import Console

    from ledger.render import text as render

    out = Console(highlight=False)
    render.print_table_or_empty(out, render.claims_table(views), len(views), "no claim matches")  # type: ignore[arg-type]
    if views:
        out.print(render.summary_line(views))  # type: ignore[arg-type]
    return True


def main() -> None:
    import sys

    in_command_only = sys.argv[1:2] == ["--in-command"]
    if in_command_only:
        del sys.argv[1]
    elif sys.argv[1:2] == ["claims"] and fast_main(sys.argv[2:]):
        return
    from ledger.cli import app
    from ledger.cli import claims as claims_module
    from ledger.cli._common import guard

    for command in app.registered_commands:
        if command.name == "claims":
            command.callback = guard(in_command(claims_module.claims))
    app()


if __name__ == "__main__":
    main()
