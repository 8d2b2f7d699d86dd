"""`ledger source add|list|show`."""

from __future__ import annotations

from typing import Annotated

import typer

from ledger.cli._common import (
    AsOption,
    DbOption,
    HistoryOption,
    JsonOption,
    LedgerTyper,
    NotesOption,
    ThresholdOption,
    console,
    interactive,
    open_database,
    print_json,
)
from ledger.cli.completion import complete_source
from ledger.cli.prompts import ask_choice
from ledger.vocab import Anonymity, GroundRules, Knowledge, SourceKind

app = LedgerTyper()

NoInputOption = Annotated[
    bool, typer.Option("--no-input", help="Never prompt; fail on a missing field instead.")
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
    notes: NotesOption = None,
    no_input: NoInputOption = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add a source to the ledger (sources are shared by every article)."""
    from ledger.model import Source
    from ledger.write.entries import add_source
    from ledger.write.validation import validated

    database = open_database(db)
    if label is None and interactive(no_input):
        label = typer.prompt("label (as published)")
    if anonymity is None and interactive(no_input):
        anonymity = Anonymity(ask_choice("anonymity", [a.value for a in Anonymity]))
        if anonymity is not Anonymity.NAMED and reason is None:
            reason = typer.prompt("why was anonymity granted (as stated)", default="") or None
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
            "notes": notes,
        },
        names={"key": "KEY", "anonymity_reason": "--reason"},
    )
    with database.write(actor) as session:
        add_source(session, source)
    console().print(f"added source {key} ({source.anonymity.value})")


@app.command("list")
def source_list(
    article: Annotated[
        str | None, typer.Option("--article", help="Only the sources this article cites.")
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """List sources with how many claims each originates and relays."""
    from ledger.read.queries import list_sources
    from ledger.render.text import print_table_or_empty, sources_table

    database = open_database(db)
    with database.read() as session:
        summaries = list_sources(session, article=article)
    if json_:
        print_json(
            [
                {**s.source.model_dump(mode="json"), "originates": s.originates, "relays": s.relays}
                for s in summaries
            ]
        )
        return
    print_table_or_empty(console(), sources_table(summaries), len(summaries), "no sources yet")


@app.command("show")
def source_show(
    key: Annotated[str, typer.Argument(help="The source's key.", autocompletion=complete_source)],
    history: HistoryOption = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Show a source and every claim that passes through it, as origin or as intermediary."""
    from ledger.audit.trail import history as entity_history
    from ledger.cli._common import threshold_or_default
    from ledger.protect.clearances import clearances
    from ledger.protect.sealing import seal_status
    from ledger.read.queries import ClaimFilter, claim_views, get_source
    from ledger.render import text as render

    database = open_database(db)
    with database.read() as session:
        summary = get_source(session, key)
        views = claim_views(
            session, ClaimFilter(source=key), threshold=threshold_or_default(threshold)
        )
        versions = entity_history(session, "source", key) if history else []
        sealed = seal_status(session, key)
        cleared = clearances(session, [key])
    if json_:
        data = {
            "source": summary.source.model_dump(mode="json"),
            "sealed_identity": "[sealed]" if sealed else None,
            "clearances": [c.state() for c in cleared],
            "originates": summary.originates,
            "relays": summary.relays,
            "claims": [view.to_json() for view in views],
        }
        print_json({**data, "history": versions} if history else data)
        return
    if history:
        console().print(render.history_table(versions))
    out = console()
    out.print(render.source_detail(summary))
    if sealed:
        out.print(
            f"sealed identity  [sealed] (key {sealed.key_id}, since {sealed.sealed_at}; "
            f"`ledger source reveal {key}` with the key, recorded in the audit trail)",
            markup=False,
        )
    for clearance in cleared:
        out.print(
            f"{clearance.kind:<16} {clearance.name} ({clearance.role}), {clearance.on.isoformat()}"
        )
    out.print()
    render.print_table_or_empty(
        out,
        render.claims_table(views, title=f"Claims through {key}"),
        len(views),
        "no claim passes through this source",
    )


@app.command("edit")
def source_edit(
    key: Annotated[str, typer.Argument(help="The source's key.", autocompletion=complete_source)],
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
    notes: NotesOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Change a source's fields; earlier versions stay in its history."""
    from ledger.errors import InvalidInput
    from ledger.write.edits import edit_source

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
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise InvalidInput("nothing to change: give at least one field option")
    database = open_database(db)
    with database.write(actor) as session:
        changed = edit_source(session, key, changes)
    console().print(
        f"{key}: changed {', '.join(changed)}" if changed else f"{key}: already so, nothing changed"
    )
