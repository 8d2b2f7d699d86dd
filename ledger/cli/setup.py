"""`ledger init` and `ledger demo`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

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
    """Load the sample article into a fresh ledger and show what an editor sees."""
    from ledger.cli._common import threshold_or_default
    from ledger.read.queries import ClaimFilter, claim_views
    from ledger.render import text
    from ledger.storage.migrations import upgrade
    from ledger.storage.resources import resource_dir
    from ledger.write.bundle import load_file
    from ledger.write.importer import import_bundles

    if db is None:
        db = str(Path(tempfile.mkdtemp(prefix="ledger-demo-")) / "demo.db")
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
    out.print(
        f"Loaded the sample article [bold]{slug}[/] into {database.display_url}\n", soft_wrap=True
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
    out.print(
        f"\nTry: ledger claims --db {db} --article {slug} --anonymous-only\n"
        f"     ledger article show {slug} --db {db}",
        soft_wrap=True,
    )
    database.dispose()
    raise typer.Exit(0)
