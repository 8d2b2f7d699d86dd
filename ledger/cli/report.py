"""`ledger report` (the sourcing report in seven formats) and `ledger check` (standards lint)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    DbOption,
    JsonOption,
    LedgerTyper,
    PublicOption,
    ThresholdOption,
    console,
    open_database,
    print_json,
    threshold_or_default,
)

if TYPE_CHECKING:
    from ledger.report.model import Report


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    JSON = "json"
    CSV = "csv"
    PROV_JSON = "prov-json"
    PROV_N = "prov-n"
    DOT = "dot"


SlugArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="SLUG",
        help="The article's slug. Use --all for the whole ledger.",
        show_default=False,
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help="Every article in the ledger.")]
CodesHelp = "Check codes or prefixes, comma-separated or repeated: LS104, LS1."


def register(app: LedgerTyper) -> None:
    """Add `report` and `check` to the top-level app."""
    app.command("report")(report)
    app.command("check")(check)


def _scope(slug: str | None, all_: bool) -> str | None:
    """The article asked for, None for the whole ledger; exactly one of the two must be given."""
    from ledger.errors import InvalidInput

    if slug is not None and all_:
        raise InvalidInput("give an article SLUG or --all, not both")
    if slug is None and not all_:
        raise InvalidInput("give an article SLUG, or --all for the whole ledger")
    return slug


def _build(
    db: str | None,
    slug: str | None,
    threshold: int | None,
    *,
    public: bool = False,
    proof: tuple[str, str] | None = None,
) -> Report:
    from ledger.report.model import build_report

    database = open_database(db)
    with database.read() as session:
        return build_report(
            session, slug, threshold=threshold_or_default(threshold), public=public, proof=proof
        )


def _proof_note(path: Path | None, fmt: ReportFormat, slug: str | None) -> tuple[str, str] | None:
    """(file name, signed note) of `--proof`, once the request is known to make sense."""
    from ledger.audit.checkpoint import read_checkpoint_file
    from ledger.errors import InvalidInput

    if path is None:
        return None
    if fmt not in (ReportFormat.JSON, ReportFormat.HTML):
        raise InvalidInput("--proof: a proof goes in a json or html report")
    if slug is None:
        raise InvalidInput("--proof: a proof covers one article's events; give its SLUG")
    file = read_checkpoint_file(path)
    return file.name, file.note


def report(
    slug: SlugArgument = None,
    all_: AllOption = False,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat.MD,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    public: PublicOption = False,
    proof: Annotated[
        Path | None,
        typer.Option(
            "--proof",
            metavar="CHECKPOINT",
            help="Embed the inclusion proof of the article's events in this signed checkpoint "
            "(json and html; not with --public).",
        ),
    ] = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
) -> None:
    """The sourcing report: article, figures, editor flags, sources, claims, graph.

    md, html (one self-contained page), json, csv (one row per claim),
    prov-json and prov-n (W3C PROV), dot (the attribution graph for Graphviz).
    """
    from ledger.errors import InvalidInput
    from ledger.report import render

    scope = _scope(slug, all_)
    if proof is not None and public:
        raise InvalidInput(
            "--proof: not with --public: a proof shows the events as recorded, internal notes "
            "and the keys of unnamed sources included"
        )
    note = _proof_note(proof, fmt, scope)
    content = render(_build(db, scope, threshold, public=public, proof=note), fmt.value)
    if output is None:
        typer.echo(content, nl=False)
        return
    output.write_text(content, encoding="utf-8")
    console().print(f"wrote the {fmt.value} report to {output}", soft_wrap=True)


def check(
    slug: SlugArgument = None,
    all_: AllOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODES", help=f"Run only these checks. {CodesHelp}"),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help=f"Skip these checks. {CodesHelp}"),
    ] = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Newsroom standards checks on sourcing, one finding a line; exit 1 if anything is found.

    LS1xx unnamed sources, LS2xx corroboration, LS3xx contradictions. The
    README lists every code.
    """
    from rich.text import Text

    from ledger import checks

    chosen = checks.select_checks(select, ignore)
    wanted = {item.code for item in chosen}
    findings = [
        found
        for found in _build(db, _scope(slug, all_), threshold).findings
        if found.code in wanted
    ]
    if json_:
        print_json([found.to_json() for found in findings])
    else:
        out = console()
        for found in findings:
            out.print(
                Text.assemble((found.where, "bold"), ": ", (found.code, "red"), " ", found.message),
                soft_wrap=True,
            )
        if findings:
            counts = {item.code: sum(f.code == item.code for f in findings) for item in chosen}
            summary = ", ".join(f"{code} {n}" for code, n in counts.items() if n)
            out.print(Text(f"{len(findings)} finding(s): {summary}", style="bold"), soft_wrap=True)
        else:
            out.print(Text(f"clean: {len(chosen)} check(s), no finding", style="green"))
    if findings:
        raise typer.Exit(1)
