"""Importing bundles: every check first, then one write, so a bad file leaves nothing behind.

A file's bundles are one batch of the import pipeline (`ledger.write.pipeline`),
which the JSON Lines importer feeds a batch at a time. The caller owns the
transaction (`Database.write()`); everything that can be checked is checked
before anything is written, and every fault is reported at its place in the
file (`claims[12].attributions[0][1]`).

An article already in the ledger is refused unless the import replaces it or
merges into it:

- `replace`: the article becomes what the bundle says. Before anything is
  written, the pipeline works out (`ledger.write.changes`) what that removes and changes (claims, chains,
  links, notes, waivers, the article's own fields) as `ArticleChanges`, so that
  a person can be shown it and asked; `expected` lets the caller insist that
  the write does exactly what was shown, and nothing else.
- `merge`: what is new in the bundle is added (claims, links, waivers), and
  what is already there is left alone. A claim, an article field or a waiver
  that the bundle defines differently from the ledger is an error: merging
  adds, it never changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ledger.errors import LedgerError
from ledger.write.bundle import LoadedBundle
from ledger.write.changes import ArticleChanges
from ledger.write.checked import Checked, check_bundles
from ledger.write.links import link_specs
from ledger.write.pipeline import (
    ArticleInLedger,
    Batch,
    ImportSummary,
    check_against_ledger,
    write_batch,
)

__all__ = [
    "ArticleInLedger",
    "ChangedMeanwhile",
    "ImportSummary",
    "import_bundles",
    "import_group",
    "prepare_bundles",
]


class ChangedMeanwhile(LedgerError):
    """The ledger changed between showing what an import would do and doing it."""


def import_bundles(
    session: Session,
    bundles: Sequence[LoadedBundle | Checked],
    *,
    replace: bool = False,
    merge: bool = False,
    expected: Sequence[ArticleChanges] | None = None,
    prepared: Batch | None = None,
) -> ImportSummary:
    """Import bundles read from one file, in the caller's transaction.

    Articles, sources and claims of every bundle go in first, then the links
    and waivers, so a link may name a claim of any bundle in the same file, and
    a bundle may cite a source an earlier bundle of the file defines. The
    caller rolls the whole file back if anything here raises. With `expected`,
    the changes to articles already in the ledger must be exactly those.

    Bundles given as `Checked` (`ledger.write.checked.check_bundles`, run before
    the transaction opened) are not checked again on their own; only what
    depends on the ledger is, here, where it cannot change before the commit.
    `prepared` is that check made already, by this transaction's caller, on the
    ledger as it is now (`Ledger.import_checked`: nothing written since).
    """
    batch = prepared or prepare_bundles(session, bundles, replace=replace, merge=merge)
    changes = [item.changes for item in batch.items if item.changes is not None]
    if expected is not None and list(expected) != changes:
        raise ChangedMeanwhile(
            "the ledger changed while the import waited for an answer: nothing written; "
            "run the import again to see what it would do now"
        )
    return write_batch(session, batch).summary


def import_group(
    session: Session, files: Sequence[Sequence[Checked]]
) -> list[ImportSummary] | None:
    """Import several files of new articles as one batch, in the caller's transaction; returns
    each file's summary, or None (nothing written) when the files are not such a group.

    One batch writes a table's rows of every file in one statement, appends every event
    in one go and asks the ledger each question once, not once a file. It writes what
    importing the files one after another would (the same rows and ids, each file's
    events in its place), provided no file reaches forward into a later one: so a group
    holds no waiver, no alias, no article twice, no source defined by two files, no link
    to a claim of a later file (`_as_in_turn`); otherwise None. A file that fails a
    check raises here as it would alone; the caller, which rolls the group back, then
    imports the files one at a time, to name the file and keep those before it.
    """
    if not _as_in_turn(files):
        return None
    starts, bundles = [], []
    for file in files:
        starts.append(len(bundles))
        bundles += file
    batch = check_against_ledger(session, bundles)
    return write_batch(session, batch, parts=starts).parts


def _as_in_turn(files: Sequence[Sequence[Checked]]) -> bool:
    """Whether one batch of these files writes what writing them in turn would (above)."""
    claims: dict[tuple[str, str], int] = {}  # (slug, key) -> the file that holds the claim
    defined: set[str] = set()
    slugs: set[str] = set()
    for number, file in enumerate(files):
        for item in file:
            bundle = item.loaded.bundle
            keys = {source.key for source in bundle.sources}
            if bundle.waivers or keys & defined or any(s.aliases for s in bundle.sources):
                return False
            defined |= keys
            if bundle.article is None:
                continue
            if bundle.article.slug in slugs:
                return False
            slugs.add(bundle.article.slug)
            slug = bundle.article.slug
            claims.update(((slug, claim.key), number) for claim in bundle.claims)
    return all(
        claims.get(end, number) <= number
        for number, file in enumerate(files)
        for item in file
        for spec in link_specs(item.loaded, "import")
        for end in spec.ends
    )


def prepare_bundles(
    session: Session,
    bundles: Sequence[LoadedBundle | Checked],
    *,
    replace: bool = False,
    merge: bool = False,
) -> Batch:
    """Every check of the file against the ledger; reads only, so any session will do.

    Run in a read session first, it finds a fault without keeping other writers
    waiting; the write transaction runs it again (fast queries), since the
    ledger may have changed in between.
    """
    if all(isinstance(item, Checked) for item in bundles):
        checked = [item for item in bundles if isinstance(item, Checked)]
    else:
        checked = check_bundles([_loaded(item) for item in bundles])
    return check_against_ledger(session, checked, replace=replace, merge=merge)


def _loaded(item: LoadedBundle | Checked) -> LoadedBundle:
    return item.loaded if isinstance(item, Checked) else item
