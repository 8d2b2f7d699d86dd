"""The editor's desk's few questions of the whole ledger, as SQL text for a `Reader`.

The overview shows the ledger's figures, how many claims are flagged, and the
figures of one page of articles. The figures are the sums of `ledger.read.tallies` over the
tallies writes keep; the ledger's totals and the flagged count are read together
from the ledger's tallies (a row per verdict shape), not from every article's. A page's
articles are then counted alone, and its claims numbered in one statement.
The answers are those of `tallies.figure_counts`, `tallies.count_flagged` and
`wide.claim_numbers` (tests/test_desk_figures.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ledger.read.tallies import FIGURE_SUMS, FLAGGED_SUM
from ledger.storage.reader import in_params, reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

CHUNK = 500


def ledger_figures(db: Readable, threshold: int) -> tuple[tuple[int, ...], int]:
    """(the whole ledger's counts in `FIGURE_NAMES` order, how many live claims are flagged),
    read from the ledger's tallies (a row per verdict shape)."""
    statement = f"SELECT {FIGURE_SUMS}, {FLAGGED_SUM} FROM ledger_tallies"
    for row in reader_of(db).rows(statement, {"threshold": threshold}):
        *counts, flagged = (int(value or 0) for value in row)
        return tuple(counts), flagged
    return (0,) * 7, 0


def article_figures(
    db: Readable, threshold: int, article_ids: Iterable[int]
) -> dict[int, tuple[int, ...]]:
    """Article id -> its counts in `FIGURE_NAMES` order, for these articles (those with no
    live claim are absent, as from `tallies.figure_counts`)."""
    reader = reader_of(db)
    wanted = sorted(set(article_ids))
    found: dict[int, tuple[int, ...]] = {}
    for start in range(0, len(wanted), CHUNK):
        condition, names = in_params("article_id", "a", wanted[start : start + CHUNK])
        statement = (
            f"SELECT article_id, {FIGURE_SUMS} FROM claim_tallies WHERE {condition} "
            "GROUP BY article_id"
        )
        for article_id, *counts in reader.rows(statement, {**names, "threshold": threshold}):
            found[int(article_id)] = tuple(int(value or 0) for value in counts)
    return found


def claim_numbers(db: Readable, refs: Sequence[str]) -> dict[str, int]:
    """Each claim's number in its article (1 for its first live claim), by `SLUG/KEY`; 0 for
    a claim not in the ledger. Every claim of the refs' articles is read, in one statement."""
    reader = reader_of(db)
    slugs = sorted({ref.partition("/")[0] for ref in refs})
    numbers: dict[str, int] = {}
    for start in range(0, len(slugs), CHUNK):
        condition, names = in_params("a.slug", "s", slugs[start : start + CHUNK])
        statement = (
            "SELECT a.slug, c.key, c.retracted_reason IS NULL FROM claims c "
            f"JOIN articles a ON a.id = c.article_id WHERE {condition} "
            "ORDER BY c.article_id, c.id"
        )
        live: dict[str, int] = {}
        for slug, key, alive in reader.rows(statement, names):
            live[slug] = live.get(slug, 0) + (1 if alive else 0)
            numbers[f"{slug}/{key}"] = live[slug]
    return {ref: numbers.get(ref, 0) for ref in refs}
