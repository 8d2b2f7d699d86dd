"""`ledger log`: the audit trail, filtered; its checks are in `ledger.cli.integrity`."""

import datetime as dt
import json
import sys
from contextlib import closing
from enum import StrEnum
from typing import Annotated

import typer

from ledger.cli._common import (
    CsvOption,
    DbOption,
    JsonOption,
    LedgerTyper,
    TsvOption,
    console,
    open_ledger,
    output_format,
    print_machine,
)
from ledger.wording import excerpt


class LogFormat(StrEnum):
    TABLE = "table"
    JSONL = "jsonl"


LOG_COLUMNS = ("seq", "at", "actor", "action", "entity", "key", "article", "hash", "deleted")


def register(app: LedgerTyper) -> None:
    app.command("log")(log)


def _since(value: str | None) -> dt.datetime | None:
    from ledger.errors import InvalidInput

    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"--since: expected a date (YYYY-MM-DD) or ISO time, got {excerpt(value)}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def log(
    article: Annotated[
        str | None, typer.Option("--article", help="Events of this article only.")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Events by this person only.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Events at or after this date/time (UTC).")
    ] = None,
    fmt: Annotated[
        LogFormat,
        typer.Option("--format", help="jsonl: one event per line, for outside verification."),
    ] = LogFormat.TABLE,
    db: DbOption = None,
    json_: JsonOption = False,
    csv: CsvOption = False,
    tsv: TsvOption = False,
) -> None:
    """The audit trail: who entered or changed what, and when."""
    from rich.table import Table

    from ledger.audit.events import LogFilter

    machine = output_format(json_, csv, tsv)
    criteria = LogFilter(article=article, actor=actor, since=_since(since))
    book = open_ledger(db)
    if fmt is LogFormat.JSONL:
        with closing(book.events(criteria)) as events:
            for event in events:
                sys.stdout.write(
                    json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
                )
        return
    events = list(book.events(criteria))
    rows = (
        [*(event[name] for name in LOG_COLUMNS[:-1]), event["state"] is None] for event in events
    )
    if print_machine(machine, events, LOG_COLUMNS, rows):
        return
    table = Table()
    for name in ("seq", "at (UTC)", "actor", "action", "entity", "key"):
        table.add_column(name, justify="right" if name == "seq" else "left")
    for event in events:
        entity = event["entity"] + (" (deleted)" if event["state"] is None else "")
        table.add_row(
            str(event["seq"]),
            event["at"][:19].replace("T", " "),
            _who(event),
            event["action"],
            entity,
            event["key"],
        )
    console().print(table if events else "no events match")


def _who(event: dict) -> str:
    """The asserted actor, and the database role that wrote the event when it is another name."""
    role = event.get("db_role")
    return event["actor"] if role in (None, event["actor"]) else f"{event['actor']} (db: {role})"
