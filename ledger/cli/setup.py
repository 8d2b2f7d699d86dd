"""`ledger init` and `ledger demo`."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ledger.cli._common import DbOption, LedgerTyper, ThresholdOption, console, open_database

SAMPLE_BUNDLE = "rt-is-nusra-deal.yaml"


def register(app: LedgerTyper) -> None:
    app.command("init")(init)
    app.command("demo")(demo)


def init(db: DbOption = None) -> None:
    """Create the ledger database, or upgrade it to the current schema."""
    from ledger.storage.migrations import upgrade

    database = open_database(db, must_exist=False)
    before, after = upgrade(database)
    if before == after:
        console().print(
            f"ledger at {database.display_url} is up to date (schema {after})", soft_wrap=True
        )
    elif before is None:
        console().print(
            f"created ledger at {database.display_url} (schema {after})", soft_wrap=True
        )
    else:
        console().print(
            f"upgraded ledger at {database.display_url} from schema {before} to {after}",
            soft_wrap=True,
        )
    database.dispose()


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

    from ledger.cli._common import threshold_or_default
    from ledger.read.queries import ClaimFilter, claim_views
    from ledger.render import text
    from ledger.storage.migrations import upgrade
    from ledger.storage.resources import resource_dir
    from ledger.write.bundle import load_file
    from ledger.write.importer import import_bundles

    database = open_database(db, must_exist=False)
    upgrade(database)
    sample = resource_dir("samples") / SAMPLE_BUNDLE
    with database.write() as session:
        summary = import_bundles(session, load_file(sample), replace=True)
    out = console()
    slug = (summary.articles or summary.replaced)[0]
    with database.read() as session:
        views = claim_views(
            session, ClaimFilter(article=slug), threshold=threshold_or_default(threshold)
        )
    where = database.display_url if kept else "a temporary ledger"
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
    database.dispose()
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
