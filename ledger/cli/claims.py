"""`ledger claim add|show|attribute|link` and the editor's query, `ledger claims`."""

import sys
from contextlib import closing
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    AsOption,
    ClaimRef,
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
    open_ledger,
    output_format,
    print_changed,
    print_json,
    print_rows,
)
from ledger.cli.completion import complete_claim, complete_slug, complete_source
from ledger.errors import UnknownSource
from ledger.vocab import Anonymity, ClaimKind, Relation, SourceKind
from ledger.wording import excerpt, plural

if TYPE_CHECKING:
    from ledger.api import Ledger
    from ledger.cli.entry import Entry
    from ledger.errors import NotFound
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
NoInputOption = Annotated[bool, typer.Option("--no-input", help="Never prompt.")]


def register(app: LedgerTyper) -> None:
    app.command("claims")(claims)


def _chains(via: list[str] | None, chain: list[str] | None) -> "list[list[Hop]]":
    """Chains from --via (one chain) and --chain (one each), validated as keys."""
    from ledger.errors import InvalidInput
    from ledger.model import KEY_RE, Hop, chain_problem

    specs: list[tuple[str, list[str]]] = []
    if via:
        specs.append(("--via", via))
    specs.extend(("--chain", [part.strip() for part in spec.split(",")]) for spec in chain or [])
    chains = []
    for option, keys in specs:
        for key in keys:
            if not KEY_RE.match(key):
                raise InvalidInput(f"{option}: {excerpt(key)} is not a source key")
        if problem := chain_problem(keys):
            raise InvalidInput(f"{option}: {problem}")
        chains.append([Hop(source=key) for key in keys])
    return chains


def _parse_new_source(spec: str) -> "Source":
    from ledger.errors import InvalidInput
    from ledger.model import Source
    from ledger.write.validation import validated

    parts = spec.split(":", 3)
    if len(parts) < 3:
        raise InvalidInput(f"--new-source: expected KEY:ANONYMITY:LABEL, got {excerpt(spec)}")
    key, anonymity = parts[0], parts[1]
    kind, label = (
        (parts[2], parts[3])
        if len(parts) == 4 and parts[2] in set(SourceKind)
        else ("person", ":".join(parts[2:]))
    )
    if anonymity not in set(Anonymity):
        raise InvalidInput(
            f"--new-source {excerpt(spec)}: anonymity must be one of {', '.join(a.value for a in Anonymity)}"
        )
    return validated(
        Source,
        {"key": key, "label": label, "kind": kind, "anonymity": anonymity},
        names={"key": "--new-source", "label": "--new-source"},
    )


def _unknown_source_hint(exc: UnknownSource) -> "NotFound":
    """The library's refusal, with how to add the source from the command line."""
    from ledger.errors import NotFound

    return NotFound(
        f"unknown source {excerpt(exc.key)}{exc.near}: add it with `ledger source add {exc.key} ...` "
        f"or inline with --new-source '{exc.key}:ANONYMITY:LABEL'"
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
    kind: Annotated[
        ClaimKind | None,
        typer.Option("--kind", help="fact or opinion (default fact; asked at a terminal)."),
    ] = None,
    cue: Annotated[
        str | None, typer.Option("--cue", help="Attribution verb: said, told, according to…")
    ] = None,
    via: ViaOption = None,
    chain: ChainOption = None,
    unattributed: Annotated[
        bool,
        typer.Option(
            "--unattributed",
            help="No chain: the article states the claim in its own voice. Without a chain, "
            "this must be said.",
        ),
    ] = False,
    new_source: NewSourceOption = None,
    notes: NotesOption = None,
    no_input: NoInputOption = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Enter a claim with its attribution chains, or --unattributed for the article's own voice."""
    from ledger.cli.entry import Entry, ask_claim, keep_what_was_typed
    from ledger.errors import InvalidInput, LedgerError
    from ledger.model import split_claim_ref

    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        raise InvalidInput(f"REF: {exc}") from None
    given = _chains(via, chain)
    if given and unattributed:
        raise InvalidInput(
            "--unattributed: a claim with a chain is attributed; give one or the other"
        )
    inline = {source.key: source for source in map(_parse_new_source, new_source or [])}
    entry = Entry(ref, text, quote, kind, cue, unattributed=unattributed, notes=notes)
    entry.chains = [",".join(hop.source for hop in hops) for hops in given]
    entry.new_sources.update(inline)
    book = open_ledger(db, actor=actor)
    try:
        if interactive(no_input):
            ask_claim(book, entry, ask_chains=not (given or unattributed))
        _add(book, slug, key, entry)
    except (LedgerError, KeyboardInterrupt):
        keep_what_was_typed(entry)
        raise
    count = len(entry.chains)
    described = plural(count, "chain") if count else "no chain (unattributed: its own voice)"
    console().print(f"added claim {slug}/{key} with {described}", markup=False)


def _add(book: "Ledger", slug: str, key: str, entry: "Entry") -> None:
    """Write the claim as entered; the checks a person could not fix at a prompt come here."""
    from ledger.errors import InvalidInput
    from ledger.write.entries import ClaimInput

    if entry.text is None or not entry.text.strip():
        raise InvalidInput("TEXT: the claim's text is required and may not be empty")
    chains = _chains(None, entry.chains)
    if not chains and not entry.unattributed:
        raise InvalidInput(
            "give a chain (--via or --chain), or --unattributed for a claim the article "
            "states in its own voice"
        )
    claim = ClaimInput(
        key,
        entry.text.strip(),
        entry.quote,
        entry.kind or ClaimKind.FACT,
        entry.cue,
        chains,
        entry.notes,
    )
    try:
        book.add_claim(slug, claim, entry.new_sources)
    except UnknownSource as exc:
        raise _unknown_source_hint(exc) from None


@claim_app.command("attribute")
def claim_attribute(
    ref: ClaimRef,
    via: ViaOption = None,
    chain: ChainOption = None,
    new_source: NewSourceOption = None,
    no_input: NoInputOption = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add attribution chains to an existing claim."""
    from ledger.errors import InvalidInput

    chains = _chains(via, chain)
    if not chains:
        raise InvalidInput("give a chain with --via (repeated) or --chain a,b")
    new_sources = {source.key: source for source in map(_parse_new_source, new_source or [])}
    book = open_ledger(db, actor=actor)
    if interactive(no_input):
        new_sources.update(_ask_unknown(book, chains, new_sources))
    try:
        numbers = book.attribute(ref, chains, new_sources)
    except UnknownSource as exc:
        raise _unknown_source_hint(exc) from None
    label = "chain" if len(numbers) == 1 else "chains"
    console().print(f"added {label} {', '.join(str(n + 1) for n in numbers)} to {ref}")


def _ask_unknown(
    book: "Ledger", chains: "list[list[Hop]]", known: "dict[str, Source]"
) -> "dict[str, Source]":
    """At a terminal, the details of each source in the chains that the ledger lacks."""
    from ledger.cli.entry import ask_new_source

    keys = set(book.source_keys())
    wanted = sorted({hop.source for chain in chains for hop in chain} - keys - known.keys())
    return {key: ask_new_source(key) for key in wanted}


FromArgument = Annotated[
    str,
    typer.Argument(
        metavar="FROM", help="SLUG/KEY of the linking claim.", autocompletion=complete_claim
    ),
]
RelationArgument = Annotated[Relation, typer.Argument(help="corroborates, contradicts or refines.")]
ToArgument = Annotated[
    str,
    typer.Argument(
        metavar="TO", help="SLUG/KEY of the linked claim.", autocompletion=complete_claim
    ),
]


@claim_app.command("link")
def claim_link(
    source_ref: FromArgument,
    relation: RelationArgument,
    target_ref: ToArgument,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Link two claims: FROM corroborates|contradicts|refines TO."""

    open_ledger(db, actor=actor).link(source_ref, relation, target_ref)
    console().print(f"{source_ref} {relation.value} {target_ref}")


@claim_app.command("unattribute")
def claim_unattribute(
    ref: ClaimRef,
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

    keys, left = open_ledger(db, actor=actor).unattribute(ref, chain)
    removed = " ← ".join(keys)
    after = plural(left, "chain") if left else "no chain: the article's own voice"
    console().print(
        f"removed chain {chain} ({removed}) from {ref}; it has {after}",
        soft_wrap=True,
        markup=False,
    )


@claim_app.command("unlink")
def claim_unlink(
    source_ref: FromArgument,
    relation: RelationArgument,
    target_ref: ToArgument,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Remove a link between two claims: FROM corroborates|contradicts|refines TO."""

    open_ledger(db, actor=actor).unlink(source_ref, relation, target_ref)
    console().print(f"unlinked: {source_ref} no longer {relation.value} {target_ref}", markup=False)


@claim_app.command("show")
def claim_show(
    ref: ClaimRef,
    history: HistoryOption = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Show one claim: its chains written out, its links, its status and flags."""
    from ledger.render.text import claim_detail, history_table

    screen = open_ledger(db, threshold=threshold).claim_screen(ref, history=history)
    if json_:
        print_json(screen.to_json())
        return
    console().print(claim_detail(screen.claim))
    if screen.history is not None:
        console().print(history_table(screen.history))


@claim_app.command("edit")
def claim_edit(
    ref: ClaimRef,
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
    print_changed(ref, open_ledger(db, actor=actor).edit_claim(ref, changes))


@claim_app.command("retract")
def claim_retract(
    ref: ClaimRef,
    reason: Annotated[str, typer.Option("--reason", help="Why the claim is withdrawn.")],
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Retract a claim: it leaves queries and reports but is kept, with its history."""

    open_ledger(db, actor=actor).retract_claim(ref, reason)
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
    from ledger.read.scoped import ClaimFilter
    from ledger.render import text as render
    from ledger.streaming import json_array_chunks
    from ledger.wording import json_plain

    fmt = output_format(json_, csv, tsv)
    criteria = ClaimFilter(
        article, source, uncorroborated, anonymous_only, contradicted, include_retracted
    )
    book = open_ledger(db, threshold=threshold, policy=policy)
    with closing(book.iter_claims(criteria)) as views:
        if fmt == "json":
            for chunk in json_array_chunks(view.to_json() for view in views):
                sys.stdout.write(json_plain(chunk))
            sys.stdout.write("\n")
            return
        if fmt is not None:
            from ledger.render.delimited import CLAIM_COLUMNS, claim_rows

            print_rows(CLAIM_COLUMNS, claim_rows(views), fmt)
            return
        shown, tally = [], render.Tally()
        for view in views:  # the table goes out once full; the rest is only counted
            tally.add(view)
            shown.append(view)
            if len(shown) == TABLE_CAP:
                break
        out = console()
        render.print_table_or_empty(out, render.claims_table(shown), len(shown), "no claim matches")
        sys.stdout.flush()
        for view in views:
            tally.add(view)
    if tally.claims > len(shown):
        out.print(f"… and {tally.claims - len(shown)} more: --json gives them all", style="dim")
    if shown:
        out.print(render.summary_line(tally))
