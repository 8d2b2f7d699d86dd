"""`ledger init` and `ledger demo`."""

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from ledger.cli._common import DbOption, LedgerTyper, ThresholdOption, console

SAMPLE_BUNDLE = "rt-is-nusra-deal.yaml"


def register(app: LedgerTyper) -> None:
    app.command("init")(init)
    app.command("demo")(demo)


def init(
    db: DbOption = None,
    recount: Annotated[
        bool,
        typer.Option(
            "--recount",
            help="Also derive again what the ledger keeps beside its records: the claim "
            "tallies behind the ledger-wide figures and the label signatures (when "
            "`ledger verify` says they disagree with the claims or the labels).",
        ),
    ] = False,
) -> None:
    """Create the ledger database, or upgrade it to the current schema."""
    from ledger.api import Ledger

    with Ledger.open(db, create=True) as book:
        before, after = book.upgraded or (None, "")
        where = book.location
        if recount:
            book.recount_tallies()
            console().print("counted the claim tallies and label signatures again", soft_wrap=True)
    if before == after:
        console().print(f"ledger at {where} is up to date (schema {after})", soft_wrap=True)
    elif before is None:
        console().print(f"created ledger at {where} (schema {after})", soft_wrap=True)
    else:
        console().print(
            f"upgraded ledger at {where} from schema {before} to {after}", soft_wrap=True
        )


def demo(db: DbOption = None, threshold: ThresholdOption = None) -> None:
    """Load the sample article into a fresh ledger and show what an editor sees.

    Without --db the ledger lives in a temporary folder that is removed at the
    end, whatever happens; with --db it is kept, to explore further.
    """
    if db is not None:
        _demo(db, threshold, kept=True)
        return
    folder = Path(tempfile.mkdtemp(prefix="ledger-demo-"))
    try:
        _demo(str(folder / "demo.db"), threshold, kept=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _demo(db: str, threshold: int | None, *, kept: bool) -> None:
    from rich.text import Text

    from ledger.api import Ledger
    from ledger.render import text
    from ledger.storage.resources import resource_dir

    book = Ledger.open(db, create=True, threshold=threshold)
    summary = book.import_file(resource_dir("samples") / SAMPLE_BUNDLE, replace=True)
    out = console()
    slug = (summary.articles or summary.replaced)[0]
    views = book.claims(article=slug)
    where = book.location if kept else "a temporary ledger"
    out.print(
        Text.assemble("Loaded the sample article ", (slug, "bold"), f" into {where}\n"),
        soft_wrap=True,
    )
    out.print(
        text.claims_table(
            [v for v in views if v.verdict.uncorroborated], title="Uncorroborated facts"
        )
    )
    out.print(
        text.claims_table(
            [v for v in views if v.verdict.anonymous_only], title="Resting only on unnamed sources"
        )
    )
    opinion = [v for v in views if v.kind.value == "opinion"]
    if opinion:
        out.print(
            text.claims_table(
                opinion, title="Opinion (listed apart, never counted as uncorroborated)"
            )
        )
    out.print(text.summary_line(views))
    book.close()
    if kept:
        out.print(
            f"\nTry: ledger claims --db {db} --article {slug} --anonymous-only\n"
            f"     ledger article show {slug} --db {db}",
            soft_wrap=True,
        )
    else:
        out.print(
            "\nThe demo ledger was temporary and is gone. To keep one and explore it:\n"
            f"     ledger demo --db demo.db && ledger claims --db demo.db --article {slug}",
            soft_wrap=True,
        )
