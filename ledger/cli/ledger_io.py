"""`ledger import` and `ledger export`: the bundle contract on the command line."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import (
    AsOption,
    DbOption,
    JsonOption,
    LedgerTyper,
    OutputOption,
    PublicOption,
    console,
    open_ledger,
    print_json,
)
from ledger.wording import plural

if TYPE_CHECKING:
    from ledger.api import Ledger


class BundleFormat(StrEnum):
    YAML = "yaml"
    JSON = "json"
    JSONL = "jsonl"


def register(app: LedgerTyper) -> None:
    app.command("import")(import_bundles)
    app.command("export")(export)


def import_bundles(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Bundle files: YAML or JSON, or JSON Lines (.jsonl, one bundle per line, "
            "streamed for large imports).",
            show_default=False,
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace articles already in the ledger; what that would remove or change "
            "is listed first, and nothing is written without --yes (or a yes at a terminal).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="With --replace: go ahead without asking.")
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="Add what is new to articles already in the ledger; leave the rest as it is.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check the files and say what would change; write nothing."),
    ] = False,
    actor: AsOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Import bundles; each file is atomic: on any error it writes nothing."""
    from ledger.errors import InvalidInput

    if replace and merge:
        raise InvalidInput("give --replace or --merge, not both")
    if yes and not replace:
        raise InvalidInput("--yes goes with --replace: it confirms what a replacement removes")
    book = open_ledger(db, actor=actor)
    streams = [path for path in files if path.suffix.lower() == ".jsonl"]
    if streams and (replace or merge or dry_run):
        option = "--replace" if replace else "--merge" if merge else "--dry-run"
        raise InvalidInput(
            f"{streams[0]}: {option} is for bundle files; a .jsonl import only adds articles"
        )
    mode = {"replace": replace, "merge": merge}
    if dry_run or replace:  # every file read and rehearsed before anything is written
        loaded = [(path, _checked(path)) for path in files if path not in streams]
        rehearsed = _rehearse(book, loaded, mode)
        if dry_run:
            _report(rehearsed, json_, rehearsal=True)
            return
        if any(summary.loses for _path, summary in rehearsed):
            _confirm_loss(rehearsed, yes)
        expected = {path: summary.changes for path, summary in rehearsed}
        checked = dict(loaded)
    else:
        expected, checked = {}, {}
    done = []
    new_sources: list[str] = []
    try:
        for run in _runs(files, streams):  # each file atomic: earlier files stay if one fails
            if run[0] in streams:
                _import_stream(book, run[0])
                continue
            with _with_options():
                for path, summary in book.import_files(
                    run, checked=checked, expected=expected, **mode
                ):
                    done.append((path, summary))
                    if not json_:
                        _report([(path, summary)], False, rehearsal=False)
                    new_sources += summary.new_source_keys
    finally:  # the files imported before a failing one are in the ledger: warn of them too
        if new_sources and not isinstance(sys.exc_info()[1], KeyboardInterrupt):
            warn_probable_duplicates(book, new_sources)
    if json_:
        _report(done, True, rehearsal=False)


def _checked(path: Path):  # type: ignore[no-untyped-def]
    """A bundle file read and checked on its own, before the database is asked anything."""
    from ledger.api import Ledger

    return Ledger.check_file(path)


def _runs(files: list[Path], streams: list[Path]) -> Iterator[list[Path]]:
    """The files in order, as runs of bundle files (imported together, `Ledger.import_files`)
    and each JSON Lines file alone."""
    run: list[Path] = []
    for path in files:
        if path in streams:
            if run:
                yield run
                run = []
            yield [path]
        else:
            run.append(path)
    if run:
        yield run


def warn_probable_duplicates(book: "Ledger", keys: list[str]) -> None:
    """One line on stderr for each new source that is probably one the ledger held.

    An import asks once, after its last file, for the new sources of every file:
    the pass reads every source of the ledger, so asking after each file made a
    thousand-file import read the sources table a thousand times. Each pair is
    named once either way (by the file that brought its newer source).
    """
    from ledger.cli._common import err_console
    from ledger.render.terminal import plain_text

    found = book.probable_duplicates(among=keys)
    wanted = set(keys)
    for item in found:
        new, other = (
            (item.duplicate, item.keep) if item.duplicate in wanted else (item.keep, item.duplicate)
        )
        err_console().print(
            plain_text(
                f"warning: did you mean {other!r}? the new source {new!r} is probably the same "
                f"({item.why}); if so: ledger source merge {item.duplicate} {item.keep}",
                style="yellow",
            ),
            soft_wrap=True,
        )


@contextmanager
def _with_options() -> Iterator[None]:
    """Say which options answer an article that is in the ledger already."""
    from ledger.errors import BundleError
    from ledger.write.importer import ArticleInLedger

    try:
        yield
    except ArticleInLedger as exc:
        raise BundleError(
            f"{exc.place}: article {exc.slug!r} is already in the ledger "
            "(--replace replaces it, --merge adds to it)"
        ) from None


def _rehearse(book: "Ledger", loaded, mode):  # type: ignore[no-untyped-def]
    """Every file imported in one transaction that is rolled back: what the import would do."""
    files = [(path, bundles) for path, bundles in loaded if bundles]
    with _with_options():
        summaries = book.rehearse_imports(
            [bundles for _path, bundles in files], replace=mode["replace"], merge=mode["merge"]
        )
    return [(path, summary) for (path, _bundles), summary in zip(files, summaries, strict=True)]


def _confirm_loss(rehearsed, yes: bool) -> None:  # type: ignore[no-untyped-def]
    """Name what the replacement removes or changes; go on only on --yes or a yes typed here."""
    from ledger.cli._common import interactive
    from ledger.errors import InvalidInput

    out = console()
    for path, summary in rehearsed:
        for changes in summary.changes:
            if not changes.loses:
                continue
            out.print(f"{path}: replacing {changes.slug} would", soft_wrap=True, markup=False)
            for line in changes.lines():
                out.print(f"  {line}", soft_wrap=True, markup=False)
    if yes:
        return
    if interactive(False):
        from ledger.cli.prompts import confirm

        if confirm("Replace, losing what is listed above?"):
            return
        raise InvalidInput("nothing written: the replacement was not confirmed")
    raise InvalidInput(
        "nothing written: --replace would remove or change what is listed above; "
        "run it again with --yes to go ahead, or use --merge to add only what is new"
    )


def _report(results, json_: bool, *, rehearsal: bool) -> None:  # type: ignore[no-untyped-def]
    """One line per file: what was (or would be) imported; with a rehearsal, every change."""
    if json_:
        print_json(
            [
                {
                    "file": str(path),
                    "written": not rehearsal,
                    "articles": summary.articles,
                    "replaced": summary.replaced,
                    "merged": summary.merged,
                    "claims": summary.claims,
                    "new_sources": summary.new_sources,
                    "links": summary.links,
                    "waivers": summary.waivers,
                    "changes": [changes.to_json() for changes in summary.changes],
                }
                for path, summary in results
            ]
        )
        return
    out = console()
    for path, summary in results:
        replaced, merged = ("replacing it", "merging") if rehearsal else ("replaced", "merged")
        names = (
            summary.articles
            + [f"{slug} ({replaced})" for slug in summary.replaced]
            + [f"{slug} ({merged})" for slug in summary.merged]
        )
        verb = "would import" if rehearsal else "imported"
        counts = [
            plural(summary.claims, "new claim" if summary.merged else "claim"),
            plural(summary.new_sources, "new source"),
            plural(summary.links, "link"),
        ]
        if summary.waivers:
            counts.append(plural(summary.waivers, "waiver"))
        out.print(
            f"{path}: {verb} {', '.join(names) or 'no article'}: {', '.join(counts)}",
            soft_wrap=True,
            markup=False,
        )
        if rehearsal:
            for changes in summary.changes:
                for line in changes.lines() or ["no change"]:
                    out.print(f"  {changes.slug}: {line}", soft_wrap=True, markup=False)
    if rehearsal:
        out.print("dry run: nothing written", style="dim")


def _import_stream(book: "Ledger", path: Path) -> None:
    """A JSON Lines file: streamed in one transaction, never whole in memory."""
    summary = book.import_jsonl(path)
    waived = f", {plural(summary.waivers, 'waiver')}" if summary.waivers else ""
    console().print(
        f"{path}: imported {plural(summary.articles, 'article')}: "
        f"{plural(summary.claims, 'claim')}, {plural(summary.new_sources, 'new source')}, "
        f"{plural(summary.links, 'link')}{waived}",
        soft_wrap=True,
        markup=False,
    )


def export(
    article: Annotated[
        str | None, typer.Option("--article", help="Export this article only (default: all).")
    ] = None,
    fmt: Annotated[
        BundleFormat,
        typer.Option("--format", help="Bundle format; jsonl writes one bundle per line."),
    ] = BundleFormat.YAML,
    output: OutputOption = None,
    public: PublicOption = False,
    db: DbOption = None,
) -> None:
    """Write bundles that `ledger import` reads back into an identical ledger.

    The whole ledger streams, an article at a time, in any format.
    """
    import itertools
    from contextlib import closing

    from ledger.cli._files import check_output, output_file
    from ledger.write.bundle import dump_chunks

    if output is not None:
        check_output(output)
    book = open_ledger(db)
    with closing(book.iter_bundles(article, public=public)) as bundles:
        counted = _Counted(bundles)
        chunks = dump_chunks(counted, fmt.value)
        first = next(chunks, "")
        if not counted.count:
            console().print("the ledger is empty: nothing to export", style="dim")
            return
        chunks = itertools.chain([first], chunks)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
        else:
            with output_file(output) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    if output is not None:
        console().print(
            f"wrote {plural(counted.count, 'bundle')} to {output}", soft_wrap=True, markup=False
        )


class _Counted:
    """An iterable that counts what passed through it."""

    def __init__(self, items):  # type: ignore[no-untyped-def]
        self.items, self.count = items, 0

    def __iter__(self):  # type: ignore[no-untyped-def]
        for item in self.items:
            self.count += 1
            yield item
