"""`ledger import` and `ledger export`: the bundle contract on the command line."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ledger.cli._common import AsOption, DbOption, LedgerTyper, PublicOption, console, open_database
from ledger.wording import plural


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
        bool, typer.Option("--replace", help="Replace articles already in the ledger.")
    ] = False,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Import bundles; each file is atomic: on any error it writes nothing."""
    from ledger.write.bundle import load_file
    from ledger.write.importer import import_bundles as run_import

    database = open_database(db)
    for path in files:
        if path.suffix.lower() == ".jsonl":
            _import_stream(database, path, replace=replace, actor=actor)
            continue
        bundles = load_file(path)
        with database.write(actor) as session:
            summary = run_import(session, bundles, replace=replace)
        articles = ", ".join(summary.articles + [f"{slug} (replaced)" for slug in summary.replaced])
        console().print(
            f"{path}: imported {articles or 'no article'}: {plural(summary.claims, 'claim')}, "
            f"{plural(summary.new_sources, 'new source')}, {plural(summary.links, 'link')}",
            soft_wrap=True,
            markup=False,
        )
        if summary.new_source_keys:
            warn_probable_duplicates(database, summary.new_source_keys)


def warn_probable_duplicates(database, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """One line on stderr for each new source that is probably one the ledger held."""
    from rich.text import Text

    from ledger.cli._common import err_console
    from ledger.read.sourcekeys import probable_duplicates

    with database.read() as session:
        found = probable_duplicates(session, among=keys)
    wanted = set(keys)
    for item in found:
        new, other = (
            (item.duplicate, item.keep) if item.duplicate in wanted else (item.keep, item.duplicate)
        )
        err_console().print(
            Text(
                f"warning: did you mean {other!r}? the new source {new!r} is probably the same "
                f"({item.why}); if so: ledger source merge {item.duplicate} {item.keep}",
                style="yellow",
            ),
            soft_wrap=True,
        )


def _import_stream(database, path: Path, *, replace: bool, actor: str | None) -> None:  # type: ignore[no-untyped-def]
    """A JSON Lines file: streamed in one transaction, never whole in memory."""
    from ledger.errors import InvalidInput
    from ledger.write.bulk import import_file

    if replace:
        raise InvalidInput(
            f"{path}: --replace is for bundle files; a .jsonl import only adds articles"
        )
    summary = import_file(database, path, actor=actor)
    console().print(
        f"{path}: imported {plural(summary.articles, 'article')}: "
        f"{plural(summary.claims, 'claim')}, {plural(summary.new_sources, 'new source')}, "
        f"{plural(summary.links, 'link')}",
        soft_wrap=True,
    )


def export(
    article: Annotated[
        str | None, typer.Option("--article", help="Export this article only (default: all).")
    ] = None,
    fmt: Annotated[
        BundleFormat,
        typer.Option("--format", help="Bundle format; jsonl writes one bundle per line."),
    ] = BundleFormat.YAML,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    public: PublicOption = False,
    db: DbOption = None,
) -> None:
    """Write bundles that `ledger import` reads back into an identical ledger.

    The whole ledger streams, an article at a time, in any format.
    """
    import itertools
    import sys

    from ledger.errors import InvalidInput
    from ledger.write.bundle import dump_chunks
    from ledger.write.export import export_bundle, iter_bundles

    database = open_database(db)
    with database.read() as session:
        bundles = iter([export_bundle(session, article)]) if article else iter_bundles(session)
        if public:
            from ledger.protect.public import public_bundle_stream

            bundles = public_bundle_stream(bundles)
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
            try:
                handle = output.open("w", encoding="utf-8")
            except OSError as exc:
                raise InvalidInput(f"{output}: cannot write: {exc.strerror}") from None
            with handle:
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
