"""`ledger source add|list|show`."""

from typing import Annotated

import typer

from ledger.cli._common import (
    AsOption,
    CsvOption,
    DbOption,
    HistoryOption,
    JsonOption,
    LedgerTyper,
    NotesOption,
    SourceKey,
    ThresholdOption,
    TsvOption,
    console,
    interactive,
    open_ledger,
    output_format,
    print_changed,
    print_json,
    print_machine,
)
from ledger.cli.completion import complete_source
from ledger.cli.prompts import ask, ask_choice
from ledger.vocab import Anonymity, GroundRules, Knowledge, SourceKind

app = LedgerTyper()

SpeaksForOption = Annotated[
    str | None,
    typer.Option(
        "--speaks-for",
        metavar="KEY",
        help="The source on whose behalf this one speaks (a spokeswoman's ministry): "
        "its words count as that party's. An empty value clears it.",
        autocompletion=complete_source,
        show_default=False,
    ),
]
NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Never prompt; fail on a missing field instead.")
]


PublishableOption = Annotated[
    list[str] | None,
    typer.Option(
        "--publishable",
        metavar="FIELD",
        help="A field a --public output may show for this unnamed source even where the "
        "exported article does not print it (repeatable): label, anonymity_reason, description, "
        "affiliation, knowledge, motive, ground_rules.",
        show_default=False,
    ),
]


@app.command("add")
def source_add(
    key: Annotated[str, typer.Argument(help="Unique key, e.g. opposition-official.")],
    label: Annotated[
        str | None,
        typer.Option("--label", help="As published: 'a prominent Syrian opposition official'."),
    ] = None,
    anonymity: Annotated[
        Anonymity | None, typer.Option("--anonymity", help="Required: never assumed to be named.")
    ] = None,
    kind: Annotated[SourceKind, typer.Option("--kind")] = SourceKind.PERSON,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why anonymity was granted, as stated.")
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Position and access, as published.")
    ] = None,
    affiliation: Annotated[str | None, typer.Option("--affiliation")] = None,
    knowledge: Annotated[
        Knowledge | None, typer.Option("--knowledge", help="Is the source in a position to know?")
    ] = None,
    motive: Annotated[
        str | None, typer.Option("--motive", help="Why the source is speaking.")
    ] = None,
    ground_rules: Annotated[GroundRules | None, typer.Option("--ground-rules")] = None,
    speaks_for: SpeaksForOption = None,
    notes: NotesOption = None,
    publishable: PublishableOption = None,
    no_input: NoInputOption = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a source to the ledger (sources are shared by every article)."""
    from rich.text import Text

    from ledger.cli._common import err_console
    from ledger.model import Source
    from ledger.render.terminal import plain_text
    from ledger.write.validation import validated

    book = open_ledger(db, actor=actor)  # a missing ledger is said before anything is asked
    if label is None and interactive(no_input):
        label = ask("label (as published)") or None
    if anonymity is None and interactive(no_input):
        anonymity = Anonymity(ask_choice("anonymity", [a.value for a in Anonymity]))
        if anonymity is not Anonymity.NAMED and reason is None:
            reason = ask("why was anonymity granted (as stated; empty: not stated)") or None
    source = validated(
        Source,
        {
            "key": key,
            "label": label,
            "kind": kind,
            "anonymity": anonymity,
            "anonymity_reason": reason,
            "description": description,
            "affiliation": affiliation,
            "knowledge": knowledge,
            "motive": motive,
            "ground_rules": ground_rules,
            "speaks_for": speaks_for or None,
            "notes": notes,
            "publishable": publishable or None,
        },
        names={"key": "KEY", "anonymity_reason": "--reason", "publishable": "--publishable"},
    )
    duplicates = book.add_source(source)
    console().print(Text(f"added source {key} ({source.anonymity.value})"))
    for item in duplicates:
        other = item.keep if item.duplicate == key else item.duplicate
        err_console().print(
            plain_text(
                f"warning: did you mean {other!r}? {key!r} is probably the same source "
                f"({item.why}); if so: ledger source merge {item.duplicate} {item.keep}",
                style="yellow",
            ),
            soft_wrap=True,
        )


@app.command("list")
def source_list(
    article: Annotated[
        str | None, typer.Option("--article", help="Only the sources this article cites.")
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
    csv: CsvOption = False,
    tsv: TsvOption = False,
) -> None:
    """List sources with how many claims each originates and relays."""
    from ledger.render.text import print_table_or_empty, sources_table

    fmt = output_format(json_, csv, tsv)
    summaries = open_ledger(db).sources(article=article)
    records = [summary.to_json() for summary in summaries]
    header = _source_columns()
    if print_machine(fmt, records, header, ([r.get(name) for name in header] for r in records)):
        return
    print_table_or_empty(console(), sources_table(summaries), len(summaries), "no sources yet")


def _source_columns() -> list[str]:
    from ledger.claimview import SOURCE_FIELDS

    return [*SOURCE_FIELDS, "originates", "relays"]


@app.command("show")
def source_show(
    key: SourceKey,
    history: HistoryOption = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Show a source and every claim that passes through it, as origin or as intermediary.

    KEY may be an alias (a key merged into the source): the source it names is shown.
    """
    from ledger.render import text as render

    book = open_ledger(db, threshold=threshold)
    if history and (gone := book.deleted_source_history(key)):
        _print_history_of_deleted(key, gone, json_)
        return
    detail = book.source(key, history=history)
    if json_:
        print_json(detail.to_json())
        return
    if history:
        console().print(render.history_table(detail.history or []))
    out = console()
    key = detail.source.key
    out.print(render.source_detail(detail))
    if detail.sealed:
        sealed = detail.sealed
        out.print(
            f"sealed identity  [sealed] (key {sealed.key_id}, since {sealed.sealed_at}; "
            f"`ledger source reveal {key}` with the key, recorded in the audit trail)",
            markup=False,
        )
    for clearance in detail.clearances:
        out.print(
            f"{clearance.kind:<16} {clearance.name} ({clearance.role}), {clearance.on.isoformat()}",
            markup=False,
        )
    out.print()
    render.print_table_or_empty(
        out,
        render.claims_table(detail.claims, title=f"Claims through {key}"),
        len(detail.claims),
        "no claim passes through this source",
    )


def _print_history_of_deleted(key: str, versions: list[dict], json_: bool) -> None:
    from ledger.render.text import history_table

    if json_:
        print_json({"source": None, "deleted": True, "history": versions})
        return
    console().print(history_table(versions))
    console().print(f"source {key} was deleted (event {versions[-1]['seq']})", markup=False)


@app.command("edit")
def source_edit(
    key: SourceKey,
    label: Annotated[str | None, typer.Option("--label")] = None,
    anonymity: Annotated[Anonymity | None, typer.Option("--anonymity")] = None,
    kind: Annotated[SourceKind | None, typer.Option("--kind")] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why anonymity was granted.")
    ] = None,
    description: Annotated[str | None, typer.Option("--description")] = None,
    affiliation: Annotated[str | None, typer.Option("--affiliation")] = None,
    knowledge: Annotated[Knowledge | None, typer.Option("--knowledge")] = None,
    motive: Annotated[str | None, typer.Option("--motive")] = None,
    ground_rules: Annotated[GroundRules | None, typer.Option("--ground-rules")] = None,
    speaks_for: SpeaksForOption = None,
    notes: NotesOption = None,
    publishable: PublishableOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Change a source's fields; earlier versions stay in its history.

    `--speaks-for ""` clears the party the source speaks for; `--publishable`
    replaces the fields marked publishable, and `--publishable ""` clears them.
    """
    from ledger.errors import InvalidInput

    given = {
        "label": label,
        "anonymity": anonymity,
        "kind": kind,
        "anonymity_reason": reason,
        "description": description,
        "affiliation": affiliation,
        "knowledge": knowledge,
        "motive": motive,
        "ground_rules": ground_rules,
        "notes": notes,
    }
    changes: dict[str, object] = {name: value for name, value in given.items() if value is not None}
    if speaks_for is not None:
        changes["speaks_for"] = speaks_for or None
    if publishable is not None:
        changes["publishable"] = [name for name in publishable if name] or None
    if not changes:
        raise InvalidInput("nothing to change: give at least one field option")
    print_changed(key, open_ledger(db, actor=actor).edit_source(key, changes))


@app.command("merge")
def source_merge(
    duplicate: Annotated[
        str, typer.Argument(help="The key to merge away.", autocompletion=complete_source)
    ],
    keep: Annotated[str, typer.Argument(help="The key to keep.", autocompletion=complete_source)],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Merge DUPLICATE into KEEP: one audited change; DUPLICATE becomes an alias of KEEP.

    Chains, clearances, notes and `speaks_for` references move to KEEP, which
    takes the fields only DUPLICATE had. Refused, with nothing written, when the
    two disagree on a field both have, when DUPLICATE has a sealed identity, or
    when a chain passes through both.
    """
    from rich.text import Text

    from ledger.wording import plural

    summary = open_ledger(db, actor=actor).merge_sources(duplicate, keep)
    moved = [plural(summary.claims, "claim")]
    if summary.speakers:
        moved.append(f"{plural(len(summary.speakers), 'source')} speaking for it")
    if summary.clearances:
        moved.append(plural(summary.clearances, "clearance"))
    filled = f"; {summary.keep} took {', '.join(summary.filled)}" if summary.filled else ""
    console().print(
        Text(
            f"merged {summary.duplicate} into {summary.keep}: {', '.join(moved)} moved{filled}; "
            f"{summary.duplicate} is now an alias of {summary.keep}"
        ),
        soft_wrap=True,
    )


@app.command("delete")
def source_delete(
    key: SourceKey,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Delete a source nothing uses (a mistyped key); refused, saying where, if it is used."""

    open_ledger(db, actor=actor).delete_source(key)
    console().print(f"deleted source {key}; its history stays in the audit trail", markup=False)
