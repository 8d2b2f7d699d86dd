"""Streaming import of a large ledger from JSON Lines: one bundle per line.

`ledger import` reads a whole file, validates every bundle, then writes them
one by one: right for a journalist's bundle, too slow and too hungry for a
newsroom migrating a million claims. This importer reads the file line by line
and writes bundles in batches of about `BATCH_CLAIMS` claims, so memory stays
flat whatever the file's size and every statement carries many rows.

Format: each non-blank line is one bundle of DESIGN.md as a JSON object (the
same fields as a YAML or JSON bundle; `text_file` is relative to the file's
directory). A line may define sources only (no `article`); a source defined on
one line may be cited by that line and every later one, not by earlier ones. A
link may name a claim of any line of the file, before or after its own
(forward links are resolved at the end), and so may a waiver (`waivers`: the
few lines that carry them are kept, and written at the end).
Articles already in the ledger are refused (there is no `--replace` here).

Each batch goes through the import pipeline of `ledger import`
(`ledger.write.pipeline`): the same checks, with the same messages (placed as
`FILE:LINE: claims[3].attributions[0][1]: ...`), the same rows and audit
events. The whole file is one transaction, so a fault on any line writes
nothing; and every row written has its audit event, appended in the same
transaction.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ledger.errors import BundleError
from ledger.wording import excerpt
from ledger.write.bulk.state import BulkSummary, State
from ledger.write.bundle import LoadedBundle, validate
from ledger.write.changes import check_waivers
from ledger.write.checked import check_bundles
from ledger.write.parsing import MAX_BUNDLE_BYTES, open_regular, parse_json
from ledger.write.pipeline import (
    ArticleInLedger,
    check_against_ledger,
    write_batch,
    write_links,
    write_waivers,
)

if TYPE_CHECKING:
    from ledger.storage.database import Database

__all__ = ["BATCH_CLAIMS", "BulkSummary", "import_file", "import_jsonl", "read_lines"]

BATCH_CLAIMS = 5_000
"""Claims per batch: large enough that statements carry thousands of rows, small enough
that a batch's bundles (validated pydantic values) take a few megabytes."""


def read_lines(path: Path) -> Iterator[tuple[LoadedBundle, int]]:
    """Validated bundles of a JSON Lines file, one at a time, with the bytes read so far.

    Each line is held to the bounds of a bundle file (`ledger.write.parsing`): at most
    `MAX_BUNDLE_BYTES`, no repeated key, bounded nesting and numbers.
    """
    with open_regular(path, what="a JSON Lines file", limit=None) as handle:
        number = 0
        while raw := handle.readline(MAX_BUNDLE_BYTES + 1):
            number += 1
            origin = f"{path}:{number}"
            if len(raw) > MAX_BUNDLE_BYTES and not raw.endswith(b"\n"):
                raise BundleError(
                    f"{origin}: a line longer than {MAX_BUNDLE_BYTES:,} bytes; "
                    "a bundle may have at most that"
                )
            if not raw.strip():
                continue
            try:
                content = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BundleError(f"{origin}: not UTF-8 text (byte {exc.start})") from None
            data = parse_json(content, origin=origin, one_line=True)
            yield validate(data, origin=origin, base_dir=path.parent), handle.tell()


def import_jsonl(
    session: Session, path: Path, *, progress: Callable[[int], None] | None = None
) -> BulkSummary:
    """Import a JSON Lines file in the caller's transaction; `progress` gets bytes read."""
    state = State()
    batch: list[LoadedBundle] = []
    claims = 0
    for loaded, position in read_lines(path):
        state.summary.lines += 1
        batch.append(loaded)
        if loaded.bundle.waivers:
            state.waived.append(loaded)
        claims += len(loaded.bundle.claims)
        if claims >= BATCH_CLAIMS:
            _write(session, batch, state)
            batch, claims = [], 0
            if progress is not None:
                progress(position)
    if batch:
        _write(session, batch, state)
    state.summary.links += write_links(session, state.pending, {}, final=True)[0]
    waived = [(loaded, "new", check_waivers(session, loaded, set())) for loaded in state.waived]
    state.summary.waivers += write_waivers(session, waived)
    if progress is not None:
        progress(path.stat().st_size)
    return state.summary


def _write(session: Session, lines: list[LoadedBundle], state: State) -> None:
    """One batch through the pipeline; its waivers wait for the end (they may name a
    source of a later line)."""
    checked = check_bundles(lines, seen=state.slugs)
    try:
        batch = check_against_ledger(session, checked, with_waivers=False)
    except ArticleInLedger as exc:
        raise BundleError(
            f"{exc.place}: article {excerpt(exc.slug)} is already in the ledger "
            "(a streaming import does not replace articles: use `ledger import --replace`)"
        ) from None
    written = write_batch(session, batch, known_claims=state.known_ids(), final=False)
    state.recent.append(written.claims)
    state.pending += written.pending
    summary = state.summary
    summary.articles += len(written.summary.articles)
    summary.new_sources += written.summary.new_sources
    summary.claims += written.summary.claims
    summary.links += written.summary.links


def import_file(
    database: Database, path: Path, *, actor: str | None = None, show_progress: bool | None = None
) -> BulkSummary:
    """The whole command: one write transaction, with a Rich bar when stdout is a terminal."""
    if show_progress is None:
        show_progress = sys.stdout.isatty() and os.environ.get("CI") is None
    if not show_progress:
        with database.write(actor) as session:
            summary = import_jsonl(session, path)
        refresh_statistics(database)
        return summary
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    columns = (
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, transient=True) as bar, database.write(actor) as session:
        task = bar.add_task(f"importing {path.name}", total=path.stat().st_size)
        summary = import_jsonl(
            session, path, progress=lambda done: bar.update(task, completed=done)
        )
        bar.update(task, description="committing")
    refresh_statistics(database)
    return summary


def refresh_statistics(database: Database) -> None:
    """Let PostgreSQL's planner see what a large import wrote.

    Without fresh statistics (autovacuum may be off, or not yet round), the SQL
    form of the rules was planned for an empty ledger: counting the flagged
    claims of 100,000 took 52 s instead of under one. The desk's reads need the
    derived rows' and the audit trail's too: with none for `events`, the desk
    asked for the sources changed since it last looked through every source
    event of a million-claim ledger (55,580, 19 to 79 ms) instead of the new ones
    (0.02 ms). SQLite plans from its indexes and needs nothing here.
    """
    if database.dialect != "postgresql":
        return
    from sqlalchemy import text

    with database.engine.connect() as connection:
        connection.execute(
            text("ANALYZE articles, sources, claims, hops, links, claim_shapes, events")
        )
        connection.commit()
