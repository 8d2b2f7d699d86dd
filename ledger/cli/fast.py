"""`ledger claims --article/--source …` on a SQLite ledger, answered without Typer.

Handles only the plain scoped query with the options below; returns False for
anything else (another engine, `--include-retracted`, `--help`, an unknown
option, a name that is not in the ledger, an outdated schema), and the Typer
command then answers exactly as it always does, errors included.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import closing


def answer_claims(argv: list[str]) -> bool:
    """Print the answer and return True, or return False to let the Typer command answer."""
    from ledger.errors import LedgerError
    from ledger.policy import default_threshold, find_policy
    from ledger.read import fastread

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
    if (
        rest
        or not scoped
        or path is None
        or (options.threshold is not None and options.threshold < 1)
    ):
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
                threshold=options.threshold or default_threshold(find_policy()),
            )
    except (fastread.Unsupported, LedgerError):
        return False
    if options.json:
        data = [view.to_json() for view in views]
        from ledger.wording import json_plain

        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write(json_plain(text) + "\n")
        return True
    from ledger.render import text as render
    from ledger.render.terminal import make_console

    out = make_console()
    render.print_table_or_empty(out, render.claims_table(views), len(views), "no claim matches")
    if views:
        out.print(render.summary_line(views))
    return True
