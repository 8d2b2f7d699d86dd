"""`ledger verify` and `ledger checkpoint`: the trail's integrity, and signed checkpoints of it."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import DbOption, JsonOption, LedgerTyper, console, open_ledger, print_json

if TYPE_CHECKING:
    from ledger.audit.verification import Verification


def register(app: LedgerTyper) -> None:
    app.command("verify")(verify)
    app.command("checkpoint")(checkpoint)


def verify(
    db: DbOption = None,
    json_: JsonOption = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes, at most one per core "
            "(default: one per core for a ledger of 200,000+ events).",
        ),
    ] = None,
    checkpoints: Annotated[
        list[Path] | None,
        typer.Option(
            "--checkpoint",
            metavar="FILE",
            help="A signed checkpoint the log must extend (`ledger checkpoint`); repeatable.",
        ),
    ] = None,
    verifier_keys: Annotated[
        list[Path] | None,
        typer.Option(
            "--verifier-key",
            metavar="FILE.pub",
            help="The verifier key the checkpoints must be signed with; repeatable.",
        ),
    ] = None,
) -> None:
    """Recompute the audit chain and replay it against the ledger. Exit 1 if anything is off.

    With --checkpoint, also prove that today's log extends each checkpoint kept
    outside the database: a truncated, restored or rewritten log fails.
    """
    from ledger.audit.verification import check_jobs
    from ledger.errors import InvalidInput

    check_jobs(jobs)
    if checkpoints and not verifier_keys:
        raise InvalidInput("--checkpoint: give the --verifier-key FILE.pub they were signed with")
    if verifier_keys and not checkpoints:
        raise InvalidInput("--verifier-key: give the --checkpoint FILE to check with it")
    result = open_ledger(db).verify(checkpoints or (), verifier_keys or (), jobs=jobs)
    if json_:
        print_json(result.to_json())
    else:
        _print_verification(result)
    if not result.intact:
        raise typer.Exit(1)


def _print_verification(result: "Verification") -> None:
    from rich.text import Text

    from ledger.render.terminal import plain
    from ledger.wording import plural

    out = console()
    if result.intact:
        out.print(
            Text.assemble(
                ("intact", "green"),
                f": {plural(result.events, 'event')} "
                f"{'chains' if result.events == 1 else 'chain'} correctly and "
                f"{'replays' if result.events == 1 else 'replay'} to the "
                f"{plural(result.entities, 'entity', 'entities')} in the ledger",
            )
        )
    else:
        for problem in result.problems:
            out.print(Text.assemble(("✗", "red"), " ", plain(str(problem))), soft_wrap=True)
        out.print(
            Text.assemble(
                (plural(len(result.problems), "problem"), "bold red"),
                f" in {plural(result.events, 'event')}",
            )
        )
    out.print(
        f"head: event {result.head[0]}, hash {result.head[1]}", soft_wrap=True, highlight=False
    )
    for item in result.checkpoints:
        if item.problem is None and item.checkpoint is not None:
            out.print(
                f"extends checkpoint {item.file}: {item.checkpoint.size} events, "
                f"signed by {item.signer}",
                soft_wrap=True,
                markup=False,
            )


def checkpoint(
    signing_key: Annotated[
        Path,
        typer.Option(
            "--signing-key",
            metavar="FILE",
            help="The Ed25519 signing key (`ledger key init --signing`).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write to this new file instead of stdout."),
    ] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A signed checkpoint of the audit trail (C2SP tlog-checkpoint), to keep outside the database.

    Keep each one where whoever can write the database cannot: another
    repository, the standards desk's mail, under a published report. Later,
    `ledger verify --checkpoint FILE --verifier-key FILE.pub` proves the log
    still extends it.
    """
    import base64

    from ledger.audit import checkpoint as checkpoints
    from ledger.cli._files import check_output, output_file
    from ledger.errors import InvalidInput

    signer = checkpoints.load_signing_key(signing_key)
    if output is not None and output.exists():
        raise InvalidInput(f"{output}: a file is already there; a checkpoint never replaces one")
    if output is not None:
        check_output(output, new=True)
    head = open_ledger(db).tree_head()
    note = checkpoints.sign(head, signer)
    if output is not None:
        with output_file(output, new=True) as handle:
            handle.write(note)
    if json_:
        print_json(
            {
                "origin": head.origin,
                "size": head.size,
                "root": base64.b64encode(head.root).decode(),
                "signer": f"{signer.name}+{signer.verifier.key_id:08x}",
                "checkpoint": note,
            }
        )
    elif output is None:
        typer.echo(note, nl=False)
    else:
        console().print(
            f"wrote a checkpoint of {head.size} events of {head.origin} to {output}",
            soft_wrap=True,
            markup=False,
        )
