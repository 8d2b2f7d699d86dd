"""`ledger claim add|show|attribute|link` and the editor's query, `ledger claims`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    AsOption,
    CsvOption,
    DbOption,
    HistoryOption,
    JsonOption,
    LedgerTyper,
    NotesOption,
    PolicyOption,
    ThresholdOption,
    TsvOption,
    console,
    interactive,
    open_database,
    output_format,
    policy_in_force,
    print_json,
    print_rows,
    threshold_or_default,
)
from ledger.cli.completion import complete_claim, complete_slug, complete_source
from ledger.cli.prompts import ask_choice
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind
from ledger.wording import plural

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ledger.model import Hop, Source

claim_app = LedgerTyper()

ViaOption = Annotated[
    list[str] | None,
    typer.Option(
        "--via", help="One chain, one source per --via, nearest first: --via ap --via official."
    ),
]
ChainOption = Annotated[
    list[str] | None,
    typer.Option(
        "--chain", help="A whole chain, comma-separated, nearest first; repeat for more chains."
    ),
]
NewSourceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--new-source",
        help="Create a missing source inline: KEY:ANONYMITY:LABEL or KEY:ANONYMITY:KIND:LABEL.",
    ),
]


def register(app: LedgerTyper) -> None:
    app.command("claims")(claims)


def _chains(via: list[str] | None, chain: list[str] | None) -> list[list[Hop]]:
    """Chains from --via (one chain) and --chain (one each), validated as keys."""
    from ledger.errors import InvalidInput
    from ledger.model import KEY_RE, Hop

    specs: list[tuple[str, list[str]]] = []
    if via:
        specs.append(("--via", via))
    specs.extend(("--chain", [part.strip() for part in spec.split(",")]) for spec in chain or [])
    chains = []
    for option, keys in specs:
        for key in keys:
            if not KEY_RE.match(key):
                raise InvalidInput(f"{option}: {key!r} is not a source key")
        chains.append([Hop(source=key) for key in keys])
    return chains


def _parse_new_source(spec: str) -> Source:
    from ledger.errors import InvalidInput
    from ledger.model import Source
    from ledger.write.validation import validated

    parts = spec.split(":", 3)
    if len(parts) < 3:
        raise InvalidInput(f"--new-source: expected KEY:ANONYMITY:LABEL, got {spec!r}")
    key, anonymity = parts[0], parts[1]
    kind, label = (
        (parts[2], parts[3])
        if len(parts) == 4 and parts[2] in set(SourceKind)
        else ("person", ":".join(parts[2:]))
    )
    if anonymity not in set(Anonymity):
        raise InvalidInput(
            f"--new-source {spec!r}: anonymity must be one of {', '.join(a.value for a in Anonymity)}"
        )
    return validated(
        Source,
        {"key": key, "label": label, "kind": kind, "anonymity": anonymity},
        names={"key": "--new-source", "label": "--new-source"},
    )


def _ensure_sources(
    session: Session, chains: list[list[Hop]], new_sources: list[str] | None, no_input: bool
) -> None:
    """Create the sources given inline, prompt for other missing ones, or refuse."""
    from ledger.errors import NotFound
    from ledger.model import Source
    from ledger.read.sourcekeys import resolve_aliases
    from ledger.write.entries import add_source, source_ids
    from ledger.write.validation import validated

    inline = {source.key: source for source in map(_parse_new_source, new_sources or [])}
    needed = {hop.source for chain in chains for hop in chain}
    known = source_ids(session, needed).keys() | resolve_aliases(session, needed).keys()
    missing = sorted(needed - known)
    for key in missing:
        if key in inline:
            add_source(session, inline[key])
        elif interactive(no_input):
            console().print(f"source [bold]{key}[/] is new to the ledger:")
            label = typer.prompt("  label (as published)")
            anonymity = ask_choice("  anonymity", [a.value for a in Anonymity])
            kind = ask_choice("  kind", [k.value for k in SourceKind], default="person")
            reason = None
            if anonymity != "named":
                reason = typer.prompt("  why was anonymity granted (as stated)", default="") or None
            add_source(
                session,
                validated(
                    Source,
                    {
                        "key": key,
                        "label": label,
                        "anonymity": anonymity,
                        "kind": kind,
                        "anonymity_reason": reason,
                    },
                ),
            )
        else:
            raise NotFound(
                f"unknown source {key!r}: add it with `ledger source add {key} ...` "
                f"or inline with --new-source '{key}:ANONYMITY:LABEL'"
            )


@claim_app.command("add")
def claim_add(
    ref: Annotated[
        str,
        typer.Argument(
            help="SLUG/KEY: the article and the new claim's key.", autocompletion=complete_claim
        ),
    ],
    text: Annotated[
        str | None,
        typer.Argument(help="The assertion in plain words (asked for at a terminal if left out)."),
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="The exact words in the article.")
    ] = None,
    kind: Annotated[ClaimKind, typer.Option("--kind")] = ClaimKind.FACT,
    cue: Annotated[
        str | None, typer.Option("--cue", help="Attribution verb: said, told, according to…")
    ] = None,
    via: ViaOption = None,
    chain: ChainOption = None,
    new_source: NewSourceOption = None,
    notes: NotesOption = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Enter a claim with its attribution chains (none: the article's own voice)."""
    from ledger.errors import InvalidInput
    from ledger.model import split_claim_ref
    from ledger.write.entries import ClaimInput, add_claim

    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        raise InvalidInput(f"REF: {exc}") from None
    database = open_database(db)
    if interactive(no_input):
        text, quote, asked = _ask_missing(
            database, slug, text, quote, ask_chains=not (via or chain)
        )
        chain = chain or asked
    if text is None or not text.strip():
        raise InvalidInput("TEXT: the claim's text is required and may not be empty")
    chains = _chains(via, chain)
    with database.write(actor) as session:
        _ensure_sources(session, chains, new_source, no_input)
        add_claim(session, slug, ClaimInput(key, text.strip(), quote, kind, cue, chains, notes))
    described = plural(len(chains), "chain") if chains else "no chain (unattributed)"
    console().print(f"added claim {slug}/{key} with {described}")


def _ask_missing(database, slug, text, quote, *, ask_chains):  # type: ignore[no-untyped-def]
    """Prompt for what a journalist at a terminal left out: text, quote, chains."""
    from ledger.cli import prompts
    from ledger.read.queries import get_article, list_sources

    with database.read() as session:
        article = get_article(session, slug)
        keys = [summary.source.key for summary in list_sources(session)]
    if text is None:
        text = typer.prompt("what is claimed, in plain words")
    if quote is None and article.text:
        quote = prompts.pick_quote(article.text)
    return text, quote, prompts.ask_chains(keys) if ask_chains else None


@claim_app.command("attribute")
def claim_attribute(
    ref: Annotated[
        str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
    ],
    via: ViaOption = None,
    chain: ChainOption = None,
    new_source: NewSourceOption = None,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add attribution chains to an existing claim."""
    from ledger.errors import InvalidInput
    from ledger.write.entries import attribute

    chains = _chains(via, chain)
    if not chains:
        raise InvalidInput("give a chain with --via (repeated) or --chain a,b")
    database = open_database(db)
    with database.write(actor) as session:
        _ensure_sources(session, chains, new_source, no_input)
        numbers = [attribute(session, ref, hops) for hops in chains]
    label = "chain" if len(numbers) == 1 else "chains"
    console().print(f"added {label} {', '.join(str(n + 1) for n in numbers)} to {ref}")


@claim_app.command("link")
def claim_link(
    source_ref: Annotated[
        str,
        typer.Argument(
            metavar="FROM", help="SLUG/KEY of the linking claim.", autocompletion=complete_claim
        ),
    ],
    relation: Annotated[Relation, typer.Argument(help="corroborates, contradicts or refines.")],
    target_ref: Annotated[
        str,
        typer.Argument(
            metavar="TO", help="SLUG/KEY of the linked claim.", autocompletion=complete_claim
        ),
    ],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Link two claims: FROM corroborates|contradicts|refines TO."""
    from ledger.write.entries import link

    database = open_database(db)
    with database.write(actor) as session:
        link(session, source_ref, relation, target_ref)
    console().print(f"{source_ref} {relation.value} {target_ref}")


@claim_app.command("unattribute")
def claim_unattribute(
    ref: Annotated[
        str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
    ],
    chain: Annotated[
        int,
        typer.Option(
            "--chain", min=1, help="The chain to remove, numbered as `ledger claim show` shows it."
        ),
    ],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Remove one attribution chain from a claim; the audit trail keeps it."""
    from ledger.write.edits import unattribute

    database = open_database(db)
    with database.write(actor) as session:
        keys, left = unattribute(session, ref, chain)
    removed = " ← ".join(keys)
    after = plural(left, "chain") if left else "no chain: the article's own voice"
    console().print(
        f"removed chain {chain} ({removed}) from {ref}; it has {after}",
        soft_wrap=True,
        markup=False,
    )


@claim_app.command("unlink")
def claim_unlink(
    source_ref: Annotated[
        str,
        typer.Argument(
            metavar="FROM", help="SLUG/KEY of the linking claim.", autocompletion=complete_claim
        ),
    ],
    relation: Annotated[Relation, typer.Argument(help="corroborates, contradicts or refines.")],
    target_ref: Annotated[
        str,
        typer.Argument(
            metavar="TO", help="SLUG/KEY of the linked claim.", autocompletion=complete_claim
        ),
    ],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Remove a link between two claims: FROM corroborates|contradicts|refines TO."""
    from ledger.write.edits import unlink

    database = open_database(db)
    with database.write(actor) as session:
        unlink(session, source_ref, relation, target_ref)
    console().print(f"unlinked: {source_ref} no longer {relation.value} {target_ref}", markup=False)


@claim_app.command("show")
def claim_show(
    ref: Annotated[
        str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
    ],
    history: HistoryOption = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one claim: its chains written out, its links, its status and flags."""
    from ledger.audit.trail import history as entity_history
    from ledger.read.queries import claim_view
    from ledger.render.text import claim_detail, history_table

    database = open_database(db)
    with database.read() as session:
        view = claim_view(session, ref, threshold=threshold_or_default(threshold))
        versions = entity_history(session, "claim", view.ref) if history else []
    if json_:
        print_json({**view.to_json(), "history": versions} if history else view.to_json())
        return
    console().print(claim_detail(view))
    if history:
        console().print(history_table(versions))


@claim_app.command("edit")
def claim_edit(
    ref: Annotated[
        str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
    ],
    text: Annotated[
        str | None, typer.Option("--text", help="New wording of the assertion.")
    ] = None,
    quote: Annotated[
        str | None, typer.Option("--quote", help="New exact words from the article.")
    ] = None,
    kind: Annotated[ClaimKind | None, typer.Option("--kind")] = None,
    cue: Annotated[str | None, typer.Option("--cue")] = None,
    notes: NotesOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Change a claim's wording, quote, kind or cue; earlier versions stay in its history."""
    from ledger.errors import InvalidInput
    from ledger.write.edits import edit_claim

    changes = {
        name: value
        for name, value in (
            ("text", text),
            ("quote", quote),
            ("kind", kind and kind.value),
            ("cue", cue),
            ("notes", notes),
        )
        if value is not None
    }
    if not changes:
        raise InvalidInput("nothing to change: give --text, --quote, --kind, --cue or --notes")
    database = open_database(db)
    with database.write(actor) as session:
        changed = edit_claim(session, ref, changes)
    console().print(
        f"{ref}: changed {', '.join(changed)}" if changed else f"{ref}: already so, nothing changed"
    )


@claim_app.command("retract")
def claim_retract(
    ref: Annotated[
        str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the claim is withdrawn.")],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Retract a claim: it leaves queries and reports but is kept, with its history."""
    from ledger.write.edits import retract_claim

    database = open_database(db)
    with database.write(actor) as session:
        retract_claim(session, ref, reason)
    console().print(f"retracted {ref}")


TABLE_CAP = 500
"""Rows the terminal table shows before it counts the rest (machine output has no cap)."""


def claims(
    article: Annotated[
        str | None,
        typer.Option("--article", help="Claims of this article.", autocompletion=complete_slug),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Claims with this source anywhere in a chain.",
            autocompletion=complete_source,
        ),
    ] = None,
    uncorroborated: Annotated[
        bool, typer.Option("--uncorroborated", help="Facts below the corroboration threshold.")
    ] = False,
    anonymous_only: Annotated[
        bool, typer.Option("--anonymous-only", help="Claims resting only on unnamed sources.")
    ] = False,
    contradicted: Annotated[
        bool, typer.Option("--contradicted", help="Claims on either end of a contradiction.")
    ] = False,
    include_retracted: Annotated[
        bool, typer.Option("--include-retracted", help="Also list retracted claims.")
    ] = False,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
    csv: CsvOption = False,
    tsv: TsvOption = False,
) -> None:
    """The editor's query: claims with their status and flags. Filters combine.

    Over the whole ledger the answer streams: `--json` is written claim by claim,
    and the table shows the first claims with a count of the rest.
    """
    from ledger.read.queries import ClaimFilter, iter_claim_views
    from ledger.render import text as render
    from ledger.streaming import json_array_chunks

    fmt = output_format(json_, csv, tsv)
    criteria = ClaimFilter(
        article, source, uncorroborated, anonymous_only, contradicted, include_retracted
    )
    database = open_database(db)
    with database.read() as session:
        views = iter_claim_views(
            session, criteria, threshold=threshold_or_default(threshold, policy_in_force(policy))
        )
        if fmt == "json":
            for chunk in json_array_chunks(view.to_json() for view in views):
                sys.stdout.write(chunk)
            sys.stdout.write("\n")
            return
        if fmt is not None:
            from ledger.render.delimited import CLAIM_COLUMNS, claim_rows

            print_rows(CLAIM_COLUMNS, claim_rows(views), fmt)
            return
        shown, tally = [], render.Tally()
        for view in views:
            tally.add(view)
            if len(shown) < TABLE_CAP:
                shown.append(view)
    out = console()
    render.print_table_or_empty(out, render.claims_table(shown), len(shown), "no claim matches")
    if tally.claims > len(shown):
        out.print(f"… and {tally.claims - len(shown)} more: --json gives them all", style="dim")
    if shown:
        out.print(render.summary_line(tally))
