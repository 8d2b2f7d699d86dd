"""`ledger report` (the sourcing report in seven formats) and `ledger check` (standards lint)."""

import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    AsOption,
    CsvOption,
    DbOption,
    JsonOption,
    LedgerTyper,
    OutputOption,
    PolicyOption,
    PublicOption,
    ThresholdOption,
    TsvOption,
    console,
    open_ledger,
    output_format,
    policy_in_force,
    print_json,
    print_rows,
)

if TYPE_CHECKING:
    from ledger.checks import Finding
    from ledger.policy import Policy
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
CodesHelp = "Check codes or prefixes, comma-separated or repeated: LS202, LS1."


def register(app: LedgerTyper) -> None:
    """Add `report` and `check` to the top-level app."""
    app.command("report")(report)
    app.command("check")(check)
    app.command("waive")(waive)


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
    policy: "Policy | None" = None,
    proof: tuple[str, str] | None = None,
) -> "Report":
    rules = policy if policy is not None else policy_in_force()
    book = open_ledger(db, threshold=threshold, policy=rules)
    return book.report_model(slug, public=public, proof=proof)


def _proof_note(path: Path | None, fmt: ReportFormat, slug: str | None) -> tuple[str, str] | None:
    """(file name, signed note) of `--proof`, once the request is known to make sense."""
    if path is None:
        return None
    from ledger.audit.checkpoint import read_checkpoint_file
    from ledger.errors import InvalidInput

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
    output: OutputOption = None,
    public: PublicOption = False,
    policy: PolicyOption = None,
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
    from ledger.cli._files import check_output, output_file
    from ledger.errors import InvalidInput

    if output is not None:
        check_output(output)
    rules = policy_in_force(policy)
    scope = _scope(slug, all_)
    if proof is not None and public:
        raise InvalidInput(
            "--proof: not with --public: a proof shows the events as recorded, internal notes "
            "and the keys of unnamed sources included"
        )
    note = _proof_note(proof, fmt, scope)
    book = open_ledger(db, threshold=threshold, policy=rules)
    chunks = book.report_chunks(scope, format=fmt.value, public=public, proof=note)
    if output is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
        return
    with output_file(output) as handle:
        for chunk in chunks:
            handle.write(chunk)
    console().print(f"wrote the {fmt.value} report to {output}", soft_wrap=True, markup=False)


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
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain",
            metavar="CODE",
            help="Say what a check finds, the newsroom standard it comes from and how to fix it.",
        ),
    ] = None,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
    csv: CsvOption = False,
    tsv: TsvOption = False,
) -> None:
    """Newsroom standards checks on sourcing, one finding a line; a publication gate.

    Exit 1 while a finding that the policy makes an error is neither fixed nor
    waived (`ledger waive`), else 0. Waived findings and warnings stay listed.
    LS1xx unnamed sources, LS2xx corroboration, LS3xx contradictions;
    `--explain CODE` tells what each is.
    """
    from ledger import checks

    fmt = output_format(json_, csv, tsv)
    rules = policy_in_force(policy)
    if explain is not None:
        _explain(explain, rules, fmt)
        return
    chosen = checks.select_checks(select, ignore)
    wanted = {item.code for item in chosen}
    scope = _scope(slug, all_)
    if scope is None:  # the whole ledger: found and written check by check
        book = open_ledger(db, threshold=threshold, policy=rules)
        findings: Iterable[Finding] = book.iter_findings(select=select, ignore=ignore)
    else:
        report = _build(db, scope, threshold, policy=rules)
        findings = [found for found in report.findings if found.code in wanted]
    blocking = _Blocking(findings)
    if fmt == "json":
        from ledger.streaming import json_array_chunks
        from ledger.wording import json_plain

        items = ({**found.to_json(), "policy": _cited(found.code, rules)} for found in blocking)
        for chunk in json_array_chunks(items, default=str):
            sys.stdout.write(json_plain(chunk))
        sys.stdout.write("\n")
    elif fmt is not None:
        print_rows(FINDING_COLUMNS, (_finding_row(found) for found in blocking), fmt)
    else:
        _print_findings(blocking, len(chosen))
        if rules.path is not None:
            console().print(
                f"policy: {rules.name or 'unnamed'} ({rules.path})", soft_wrap=True, markup=False
            )
    if blocking.any:
        raise typer.Exit(1)


class _Blocking:
    """The findings as they come, noting whether any of them is blocking on the way."""

    def __init__(self, findings: "Iterable[Finding]") -> None:
        self.findings = findings
        self.any = False

    def __iter__(self) -> "Iterator[Finding]":
        for found in self.findings:
            self.any = self.any or found.blocking
            yield found


FINDING_COLUMNS = (
    "code",
    "check",
    "level",
    "subject",
    "subject_kind",
    "message",
    "claims",
    "waived_by",
    "waived_at",
    "waived_reason",
)


def _finding_row(found: "Finding") -> list[object]:
    data = found.to_json()
    waiver = data.pop("waived") or {}
    return [
        *(data[name] for name in FINDING_COLUMNS[:7]),
        waiver.get("by"),
        waiver.get("at"),
        waiver.get("reason"),
    ]


def _print_findings(findings: "Iterable[Finding]", checks_run: int) -> None:
    """One line per finding as it comes, then the counts."""
    from rich.text import Text

    from ledger.render.terminal import plain
    from ledger.wording import plural

    out = console()
    counts: dict[str, int] = {}
    total = blocking = waived = warnings = 0
    for found in findings:
        total += 1
        counts[found.code] = counts.get(found.code, 0) + 1
        blocking += found.blocking
        waived += found.waived is not None
        warnings += found.level == "warning" and found.waived is None
        line = Text.assemble((plain(found.where), "bold"), ": ")
        if found.waived is not None:
            waiver = found.waived
            line.append(found.code, style="dim")
            line.append(
                plain(f" waived by {waiver.by} on {waiver.at[:10]} ({waiver.reason})"), "green"
            )
            line.append(": ")
            line.append(plain(found.message), style="dim")
        else:
            line.append(found.code, style="red" if found.level == "error" else "yellow")
            if found.level == "warning":
                line.append(" warning", style="yellow")
            line.append(" ")
            line.append(plain(found.message))
        out.print(line, soft_wrap=True)
    if not total:
        out.print(Text(f"clean: {plural(checks_run, 'check')}, no finding", style="green"))
        return
    summary = ", ".join(f"{code} {n}" for code, n in counts.items())
    parts = [f"{waived} waived"] if waived else []
    parts += [plural(warnings, "warning")] if warnings else []
    aside = f" ({', '.join(parts)})" if parts else ""
    if blocking:
        verdict = f"{blocking} to fix or waive"
        style = "bold"
    else:
        verdict = "nothing left to fix or waive"
        style = "bold green"
    out.print(
        Text(f"{plural(total, 'finding')}: {summary}{aside}; {verdict}", style=style),
        soft_wrap=True,
    )


def _explain(code: str, rules: "Policy", fmt: str | None) -> None:
    """`check --explain CODE`: the rule, the standard, the fix, and what the policy makes of it."""
    from rich.table import Table
    from rich.text import Text

    from ledger import checks
    from ledger.render.terminal import plain

    item = checks.explain(code)
    if isinstance(item, checks.Retired):
        data = {"code": item.code, "check": item.name, "title": item.title, "retired": item.note}
        if fmt == "json":
            print_json(data)
        else:
            console().print(
                Text(f"{item.code} {item.name}: {item.title}. Retired. {item.note}"), soft_wrap=True
            )
        return
    data = {
        "code": item.code,
        "check": item.name,
        "title": item.title,
        "about": item.about,
        "rule": item.rule,
        "standard": item.why,
        "fix": item.fix,
        "level": rules.level(item.code),
        "policy": _cited(item.code, rules),
    }
    if fmt == "json":
        print_json(data)
        return
    out = console()
    out.print(Text.assemble((item.code, "bold"), " ", (item.name, "bold"), f": {item.title}"))
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    table.add_row("rule", Text(item.rule))
    table.add_row("standard", Text(item.why))
    table.add_row("fix", Text(item.fix))
    table.add_row(
        "waive",
        Text(
            f"ledger waive {item.code} {'SLUG/KEY' if item.about == 'claim' else 'SOURCE'} --reason TEXT"
        ),
    )
    table.add_row("policy", Text(plain(_policy_words(item.code, rules))))
    out.print(table)


def _cited(code: str, rules: "Policy") -> dict[str, object] | None:
    """Where the policy sets this check, and the standard's line it cites."""
    setting = rules.checks.get(code)
    if rules.path is None or setting is None:
        return None
    return {"file": str(rules.path), "line": setting.line, "cites": setting.cites}


def _policy_words(code: str, rules: "Policy") -> str:
    level = rules.level(code)
    if rules.path is None:
        return f"{level} (no policy file: every check is an error)"
    where = rules.where(code) or str(rules.path)
    setting = rules.checks.get(code)
    if setting is None:
        return f"{level} ({rules.path} does not name it: an error by default)"
    cited = f": {setting.cites}" if setting.cites else ""
    return f"{level}, set at {where}{cited}"


def waive(
    code: Annotated[
        str, typer.Argument(help="The finding's check code, as `check --json` gives it.")
    ],
    subject: Annotated[
        str,
        typer.Argument(help="The finding's subject: a claim SLUG/KEY, or a source's key."),
    ],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the finding may stand (required).")
    ] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Withdraw the waiver: the finding counts again.")
    ] = False,
    policy: PolicyOption = None,
    threshold: ThresholdOption = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Accept one finding of `ledger check` (it stays listed, marked waived), or withdraw that."""
    from ledger.errors import InvalidInput

    book = open_ledger(db, actor=actor, threshold=threshold, policy=policy)
    if remove:
        if reason is not None:
            raise InvalidInput("--remove takes no --reason: the waiver's history keeps its reason")
        withdrawn = book.unwaive(code, subject)
        console().print(
            f"withdrew the waiver of {code.upper()} on {subject} "
            f"(given by {withdrawn.by} on {withdrawn.at[:10]})",
            soft_wrap=True,
            markup=False,
        )
        return
    if reason is None or not reason.strip():
        raise InvalidInput("--reason: say why the finding may stand")
    book.waive(code, subject, reason)
    code = code.upper()
    console().print(f"waived {code} on {subject}: {reason.strip()}", soft_wrap=True, markup=False)
