"""What every command shares: the `--db` option, consoles, and turning errors into one line.

Kept free of SQLAlchemy and pydantic imports: `ledger --help` must start fast,
so commands import the heavy layers inside their bodies.
"""

import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ledger.cli.completion import complete_claim, complete_slug, complete_source

if TYPE_CHECKING:
    from rich.console import Console

    from ledger.api import Ledger
    from ledger.policy import Policy

F = TypeVar("F", bound=Callable[..., Any])

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Ledger database: a file path or a SQLAlchemy URL. Default: $LEDGER_DB, else ledger.db.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON only.")]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="Print comma-separated values: a header row, one row each.")
]
TsvOption = Annotated[
    bool, typer.Option("--tsv", help="Print tab-separated values: a header row, one row each.")
]
AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Who is making this change, for the audit trail. Default: $LEDGER_USER, else the OS user.",
        show_default=False,
    ),
]
PublicOption = Annotated[
    bool,
    typer.Option(
        "--public",
        help="Fit to leave the newsroom: no internal notes; unnamed sources' keys replaced "
        "by pseudonyms that differ from one output to the next.",
    ),
]
HistoryOption = Annotated[
    bool, typer.Option("--history", help="Show every recorded version: who, when, what changed.")
]
NotesOption = Annotated[
    str | None, typer.Option("--notes", help="Internal notes; never in a --public output.")
]
ClaimRef = Annotated[
    str, typer.Argument(help="SLUG/KEY of the claim.", autocompletion=complete_claim)
]
SourceKey = Annotated[str, typer.Argument(help="The source's key.", autocompletion=complete_source)]
ArticleSlug = Annotated[
    str, typer.Argument(help="The article's slug.", autocompletion=complete_slug)
]
OutputOption = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
]
ThresholdOption = Annotated[
    int | None,
    typer.Option(
        "--threshold",
        min=1,
        help="Independent origins a fact needs to count as corroborated. "
        "Default: $LEDGER_THRESHOLD, else 2.",
        show_default=False,
    ),
]


PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        help="The newsroom's policy file (TOML): threshold, and which checks are errors, "
        "warnings or off. Default: $LEDGER_POLICY, else ledger.toml here if there is one.",
        show_default=False,
    ),
]


def policy_in_force(path: Path | None = None) -> "Policy":
    """The policy `--policy` names, else $LEDGER_POLICY, else ./ledger.toml, else none."""
    from ledger.policy import find_policy

    return find_policy(path)


def threshold_or_default(threshold: int | None, policy: "Policy | None" = None) -> int:
    """--threshold, else $LEDGER_THRESHOLD, else the policy's threshold, else 2."""
    if threshold is not None:
        return threshold
    from ledger.policy import default_threshold

    return default_threshold(policy if policy is not None else policy_in_force())


@functools.cache
def console() -> "Console":
    """Human output on stdout: fitted to a terminal, whole lines when piped."""
    from ledger.render.terminal import make_console

    return make_console()


@functools.cache
def err_console() -> "Console":
    from ledger.render.terminal import make_console

    return make_console(stderr=True)


def print_json(data: Any) -> None:
    """Machine output: JSON on stdout, nothing else."""
    from ledger.wording import json_plain

    sys.stdout.write(json_plain(json.dumps(data, indent=2, ensure_ascii=False, default=str)) + "\n")


def output_format(json_: bool = False, csv: bool = False, tsv: bool = False) -> str | None:
    """The machine format asked for (json, csv, tsv), or None for the human table; at most one."""
    from ledger.errors import InvalidInput

    asked = [name for name, on in (("json", json_), ("csv", csv), ("tsv", tsv)) if on]
    if len(asked) > 1:
        raise InvalidInput(f"give one of --{' --'.join(asked)}, not several")
    return asked[0] if asked else None


def print_rows(header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> None:
    """Machine rows (`--csv`, `--tsv`) on stdout, nothing else."""
    from ledger.render.delimited import delimited_chunks

    for chunk in delimited_chunks(header, rows, fmt):
        sys.stdout.write(chunk)


def print_changed(name: str, changed: Sequence[str]) -> None:
    """What every `edit` command says: the fields it changed, or that they already read so."""
    console().print(
        f"{name}: changed {', '.join(changed)}"
        if changed
        else f"{name}: already so, nothing changed"
    )


def print_machine(
    fmt: str | None, records: Any, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> bool:
    """A list command's `--json` (the records) or `--csv`/`--tsv` (the rows), if one was
    asked for: True when printed, False when the human table is wanted."""
    if fmt == "json":
        print_json(records)
    elif fmt is not None:
        print_rows(header, rows, fmt)
    return fmt is not None


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print `error: message` on stderr and return the Exit to raise."""
    from rich.text import Text

    from ledger.render.terminal import plain

    err_console().print(Text.assemble(("error: ", "bold red"), plain(message)), soft_wrap=True)
    return typer.Exit(code)


def open_ledger(
    db: str | None,
    *,
    actor: str | None = None,
    threshold: int | None = None,
    policy: "Policy | Path | None" = None,
) -> "Ledger":
    """The library's `Ledger` for `--db`, `--as`, `--threshold` and `--policy`: what commands call."""
    from ledger.api import Ledger

    return Ledger.open(db, actor=actor, threshold=threshold, policy=policy)


MULTI_LINE_PARAMETERS = frozenset(
    {"text", "quote", "notes", "reason", "description", "motive", "affiliation", "cue"}
)
"""Parameters holding prose, where a line break or a tab may belong. Every other
string a command takes (keys, labels, titles, `--as`, paths) is one line."""


def refuse_control_characters(function: Callable[..., Any], values: dict[str, Any]) -> None:
    """Refuse, naming the option, a NUL in any argument and a control character in a
    one-line one (`--label`, `--as`, a key): before anything is opened or written.

    What is refused here is what a bundle's fields refuse (`ledger.model`), so a
    value typed on the command line and the same value in a file meet one rule.
    """
    from ledger.errors import InvalidInput
    from ledger.wording import control_problem

    for name, value in values.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if not isinstance(item, str | PurePath):
                continue
            problem = control_problem(str(item), one_line=name not in MULTI_LINE_PARAMETERS)
            if problem:
                raise InvalidInput(f"{parameter_name(function, name)}: {problem}")


def parameter_name(function: Callable[..., Any], name: str) -> str:
    """How the user writes `function`'s parameter `name`: `--as`, `--label`, or `KEY`."""
    import typing

    from typer.models import ArgumentInfo, OptionInfo

    try:
        hint = typing.get_type_hints(function, include_extras=True).get(name)
    except Exception:  # an annotation that does not resolve: the plain name will do
        hint = None
    for info in getattr(hint, "__metadata__", ()):
        if isinstance(info, ArgumentInfo):
            return name.upper()
        if isinstance(info, OptionInfo):
            first = [info.default] if isinstance(info.default, str) else []
            flags = [flag for flag in [*first, *info.param_decls] if flag.startswith("--")]
            return max(flags, key=len) if flags else "--" + name.replace("_", "-")
    return name


def guard(function: F) -> F:
    """Run a command, turning a refused request into one line on stderr and exit code 2.

    A `LedgerError` carries its own message. A file that cannot be read or
    written is named with the reason. Database failures (a server that does
    not answer, a locked file) are reported by their first line; a traceback
    is never what a user should see. Ctrl-C exits 130, as shells expect.
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ledger.errors import LedgerError

        _name_the_program()
        try:
            refuse_control_characters(function, kwargs)
            return function(*args, **kwargs)
        except LedgerError as exc:
            raise fail(command_line_message(exc), exc.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):  # Typer's own prompts turn Ctrl-C into Abort
            raise fail("interrupted; nothing was written", 130) from None
        except OSError as exc:
            if exc.filename is None:  # a closed pipe and its kind: not a file the user named
                raise
            raise fail(f"{exc.filename}: {exc.strerror or exc}", 2) from None
        except Exception as exc:
            if type(exc).__module__.startswith("sqlalchemy"):
                from ledger.storage.database import first_line

                raise fail(f"database error: {first_line(exc)}", 2) from None
            raise

    return wrapper  # type: ignore[return-value]


def _name_the_program() -> None:
    """Tell the database layer which command runs ("ledger source add"): a writer that
    has to wait for this one is shown the name."""
    import click

    from ledger.storage.process import set_program

    context = click.get_current_context(silent=True)
    if context is not None:
        words = context.command_path.split()
        set_program(" ".join(["ledger", *words[1:]]))


def command_line_message(exc: Exception) -> str:
    """The library's message in the command line's words: the field `quote` is `--quote`.

    A field already named as typed (`KEY`, `--new-source`) is left as it is.
    """
    from ledger.errors import InvalidInput

    field = getattr(exc, "field", None)
    if isinstance(exc, InvalidInput) and field and re.fullmatch(r"[a-z][a-z0-9_]*", field):
        return f"--{field.replace('_', '-')}: {exc.detail}"
    return str(exc)


class LedgerTyper(typer.Typer):
    """A Typer app whose commands all report refused requests as one line (see `guard`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("no_args_is_help", True)
        kwargs.setdefault("pretty_exceptions_show_locals", False)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(function: F) -> F:
            register(guard(function))
            return function

        return decorator


def interactive(no_input: bool) -> bool:
    """Prompts are allowed: stdin is a terminal and the user did not say --no-input."""
    return not no_input and sys.stdin.isatty() and os.environ.get("CI") is None
