"""The editor's desk's few questions of the whole ledger, as SQL text for a `Reader`.

The overview shows the ledger's figures, how many claims are flagged, and the
figures of one page of articles. The figures are sums over the tallies writes
keep (`ledger.read.tallies`); asking for the ledger's totals and the flagged
count together reads the tallies once and returns one row, where grouping them
by article returns a row for each of tens of thousands of articles. A page's
articles are then counted alone, and its claims numbered in one statement.
The answers are those of `tallies.figure_counts`, `tallies.count_flagged` and
`wide.claim_numbers` (tests/test_desk_figures.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ledger.storage.reader import reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

CHUNK = 500

_FACT = "CAST(fact AS INTEGER) = 1"
_FIGURES = ", ".join(
    f"sum(CASE WHEN {condition} THEN claims ELSE 0 END)"
    for condition in (
        "1 = 1",  # claims
        _FACT,  # facts
        "support >= :threshold",  # corroborated
        f"{_FACT} AND support < :threshold",  # uncorroborated facts
        "CAST(anonymous_only AS INTEGER) = 1",
        "CAST(contradicted AS INTEGER) = 1",
        f"{_FACT} AND support < 1",  # unattributed facts
    )
)
"""The counts of `ledger.read.wide.FIGURE_NAMES`, in order, summed over tally rows."""
_FLAGGED = (
    f"sum(CASE WHEN ({_FACT} AND support < :threshold) OR CAST(anonymous_only AS INTEGER) = 1 "
    "OR CAST(contradicted AS INTEGER) = 1 OR CAST(chain_flag AS INTEGER) = 1 "
    "THEN claims ELSE 0 END)"
)
"""Live claims with at least one flag (`ledger.read.tallies.count_flagged`)."""


def ledger_figures(db: Readable, threshold: int) -> tuple[tuple[int, ...], int]:
    """(the whole ledger's counts in `FIGURE_NAMES` order, how many live claims are flagged),
    read from the tallies in one pass."""
    statement = f"SELECT {_FIGURES}, {_FLAGGED} FROM claim_tallies"
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
        names = {f"a{index}": key for index, key in enumerate(wanted[start : start + CHUNK])}
        statement = (
            f"SELECT article_id, {_FIGURES} FROM claim_tallies "
            f"WHERE article_id IN ({', '.join(f':{name}' for name in names)}) "
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
        names = {f"s{index}": slug for index, slug in enumerate(slugs[start : start + CHUNK])}
        statement = (
            "SELECT a.slug, c.key, c.retracted_reason IS NULL FROM claims c "
            "JOIN articles a ON a.id = c.article_id "
            f"WHERE a.slug IN ({', '.join(f':{name}' for name in names)}) "
            "ORDER BY c.article_id, c.id"
        )
        live: dict[str, int] = {}
        for slug, key, alive in reader.rows(statement, names):
            live[slug] = live.get(slug, 0) + (1 if alive else 0)
            numbers[f"{slug}/{key}"] = live[slug]
    return {ref: numbers.get(ref, 0) for ref in refs}
