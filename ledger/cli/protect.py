"""Source protection: `ledger key init|rotate`, `ledger source seal|reveal|knows|approve`."""

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    LedgerTyper,
    SourceKey,
    console,
    open_ledger,
    print_json,
)
from ledger.wording import excerpt

if TYPE_CHECKING:
    from ledger.protect.sealing import SealedDetails

key_app = LedgerTyper()

KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file", help="The newsroom key file. Default: $LEDGER_KEY_FILE.", show_default=False
    ),
]


@key_app.command("init")
def key_init(
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Where to write the key. Default: $LEDGER_KEY_FILE (never for --signing).",
            show_default=False,
        ),
    ] = None,
    signing: Annotated[
        bool,
        typer.Option(
            "--signing",
            help="Make an Ed25519 key that signs checkpoints instead, with its verifier key "
            "in FILE.pub.",
        ),
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="With --signing: the key's name in signatures, e.g. example-news.org/ledger. "
            "Default: claim-ledger.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Create a new newsroom key file (mode 0600), or with --signing a checkpoint signing key.

    Never overwrites a file. Keys live outside every ledger (`--db` is accepted,
    as by every command, and not used): one key serves the newsroom's ledgers.
    """
    del db
    from ledger.errors import InvalidInput

    if signing:
        _signing_key_init(key_file, name)
        return
    if name is not None:
        raise InvalidInput("--name: only a signing key has a name; add --signing")
    from ledger.protect.sealing import KEY_ENV, NewsroomKey, key_path, write_key_file

    path = key_path(key_file)
    if path is None:
        raise InvalidInput(f"say where to write the key: --key-file PATH or ${KEY_ENV}")
    key = NewsroomKey.generate()
    write_key_file(path, key)
    console().print(
        f"wrote key {key.key_id} to {path} (readable by you only). Keep a copy somewhere safe: "
        "without it, sealed identities cannot be opened by anyone.",
        soft_wrap=True,
    )


def _signing_key_init(key_file: Path | None, name: str | None) -> None:
    from ledger.audit.checkpoint import DEFAULT_KEY_NAME, verifier_path, write_signing_key
    from ledger.errors import InvalidInput

    if key_file is None:  # never $LEDGER_KEY_FILE: that names the newsroom key
        raise InvalidInput("--signing: say where to write the signing key: --key-file PATH")
    signer = write_signing_key(key_file, name or DEFAULT_KEY_NAME)
    console().print(
        f"wrote signing key {signer.name}+{signer.verifier.key_id:08x} to {key_file} (readable by "
        f"you only) and its verifier key to {verifier_path(key_file)}. Give the verifier key to "
        "whoever checks checkpoints; keep the signing key away from the ledger's database.",
        soft_wrap=True,
        markup=False,
    )


@key_app.command("rotate")
def key_rotate(
    new_key_file: Annotated[
        Path, typer.Option("--new-key-file", help="Where to write the new key.")
    ],
    key_file: KeyFileOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Re-encrypt every sealed identity under a new key, in one transaction.

    The new key is on disk before anything is encrypted with it; a rotation
    that was interrupted is finished by running the same command again.
    """
    from ledger.protect.sealing import require_key

    old = require_key(key_file)
    new, count = open_ledger(db, actor=actor).rotate_key(old, new_key_file)
    console().print(
        f"re-encrypted {count} sealed identit{'y' if count == 1 else 'ies'} from key {old.key_id} "
        f"to key {new.key_id} ({new_key_file}). Point $LEDGER_KEY_FILE at the new file; the old "
        "key no longer opens anything.",
        soft_wrap=True,
    )


def _read_details(from_stdin: bool) -> "SealedDetails":
    from ledger.errors import BundleError, InvalidInput
    from ledger.protect.sealing import SealedDetails
    from ledger.write.parsing import parse_yaml

    if from_stdin:
        try:
            documents = parse_yaml(sys.stdin.read(), origin="--stdin")
            data = documents[0] if len(documents) == 1 else {}
        except BundleError:
            raise InvalidInput(
                "--stdin: expected lines `real_name: …`, `contact: …`, `verification: …`"
            ) from None
        if not isinstance(data, dict) or not str(data.get("real_name") or "").strip():
            raise InvalidInput("--stdin: `real_name:` is required")
        unknown = set(data) - {"real_name", "contact", "verification"}
        if unknown:
            raise InvalidInput(f"--stdin: unknown field {excerpt(sorted(unknown)[0])}")
        return SealedDetails(
            **{name: str(value) for name, value in data.items() if value is not None}
        )
    real_name = typer.prompt("real name", hide_input=True)
    contact = typer.prompt("contact", hide_input=True, default="", show_default=False) or None
    verification = typer.prompt(
        "how the newsroom verified them", hide_input=True, default="", show_default=False
    )
    return SealedDetails(real_name, contact, verification or None)


def source_seal(
    key: SourceKey,
    stdin: Annotated[
        bool,
        typer.Option(
            "--stdin", help="Read `real_name:`, `contact:`, `verification:` lines from stdin."
        ),
    ] = False,
    key_file: KeyFileOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Record a source's real identity, encrypted; typed at a prompt that does not echo."""
    from ledger.protect.sealing import require_key

    newsroom_key = require_key(key_file)
    book = open_ledger(db, actor=actor)
    book.require_source(key)  # an unknown source is said before anything secret is asked
    replaced = book.seal(newsroom_key, key, _read_details(stdin))
    console().print(
        f"{'re-sealed' if replaced else 'sealed'} the identity of {key} under key {newsroom_key.key_id}"
    )


def source_reveal(
    key: SourceKey,
    key_file: KeyFileOption = None,
    actor: AsOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Show a source's sealed identity; the reveal itself is recorded in the audit trail."""
    from dataclasses import asdict

    from rich.text import Text

    from ledger.protect.sealing import require_key

    newsroom_key = require_key(key_file)
    details = open_ledger(db, actor=actor).reveal(newsroom_key, key)
    if json_:
        print_json({"source": key, **asdict(details)})
        return
    out = console()
    out.print(
        Text.assemble((key, "bold"), " — sealed identity (this reveal is now in the audit trail)")
    )
    for name, value in asdict(details).items():
        out.print(f"  {name.replace('_', ' ')}: {value or '—'}", soft_wrap=True)


def _clearance_command(kind: str, summary: str):  # type: ignore[no-untyped-def]
    def command(
        key: SourceKey,
        name: Annotated[str, typer.Option("--name", help="The person, e.g. Jane Doe.")],
        role: Annotated[str, typer.Option("--role", help="Their role, e.g. managing editor.")],
        on: Annotated[
            str | None, typer.Option("--on", help="Date, YYYY-MM-DD (default today).")
        ] = None,
        actor: AsOption = None,
        db: DbOption = None,
    ) -> None:
        from ledger.errors import InvalidInput
        from ledger.protect.clearances import Clearance

        try:
            day = dt.date.fromisoformat(on) if on else dt.date.today()
        except ValueError:
            raise InvalidInput(f"--on: expected YYYY-MM-DD, got {excerpt(on)}") from None
        clearance = Clearance(key, kind, name.strip(), role.strip(), day)
        open_ledger(db, actor=actor).add_clearance(clearance)
        console().print(f"recorded: {name} ({role}) {kind} {key}, {day.isoformat()}")

    command.__doc__ = summary
    return command


def register_source_commands(app: LedgerTyper) -> None:
    app.command("seal")(source_seal)
    app.command("reveal")(source_reveal)
    app.command("knows")(
        _clearance_command("knows", "Record that someone knows the source's identity.")
    )
    app.command("approve")(_clearance_command("approved", "Record who approved using the source."))
