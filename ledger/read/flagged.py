"""A page of the ledger's flagged claims in any of the desk's orders, read from an index.

The desk sorts the flagged claims by article, claim key, status or number of
flags, either way, ties in ledger order (article slug, then entry). Status and
flags depend on the threshold, which each desk is started with, so no kept
column can hold them. What `claim_shapes` keeps of a claim decides them at any
threshold: its *cell*, (fact, support, the flags no threshold decides). At a
threshold, every claim of a cell is flagged or none is, and all share one
status and one number of flags. The ledger holds a few dozen cells.

Sorted by article or claim key, the flagged claims are read from an index in that
order (`ix_claim_shapes_slug`, `_claim_key`, and their descending twins: ties in
ledger order) that holds each claim's cell, the unflagged passed over as they come.
Sorted by status or flags, a page is read rank by rank (a status, a number of
flags): the cells of one rank are each an index range already in ledger order
(`ix_claim_shapes_cell_slug`), and the database merges them (`UNION ALL ...
ORDER BY` of index scans: SQLite's merge of co-routines, PostgreSQL's Merge
Append); a rank wholly before the page is counted (index range counts) and passed
over; deep in a large rank, its rows are read from `ix_claim_shapes_slug` instead,
those of other ranks passed over as they come. The page is reached by `OFFSET`; one past the middle of its list (or rank) is
read from the far end, backwards, so no page steps over more than half of it. A
page reads a page of rows, plus those it steps over: never a sort of every flagged
claim.

tests/test_rules_sql.py holds every order, both ways, to the claims judged one by
one and sorted in Python; tests/test_query_plans.py that no order sorts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ledger.read import tallies
from ledger.storage.reader import reader_of, scalar

if TYPE_CHECKING:
    from ledger.storage.reader import Readable, Reader


class Cell(NamedTuple):
    """Claims that share their status and flags at every threshold."""

    fact: bool
    support: int
    fixed_flags: int

    def uncorroborated(self, threshold: int) -> bool:
        return self.fact and self.support < threshold

    def flagged(self, threshold: int) -> bool:
        return self.fixed_flags > 0 or self.uncorroborated(threshold)

    def rank(self, sort: str, threshold: int) -> int:
        """Its place in `sort` (`rules_sql.status_rank`, `rules_sql.flag_count`); 0 for the
        orders the index gives whole."""
        if sort == "status":
            return 0 if self.support < 1 else 1 if self.support < threshold else 2
        if sort == "flags":
            return self.fixed_flags + int(self.uncorroborated(threshold))
        return 0


ORDERS: dict[str, tuple[str, ...]] = {
    "article": ("slug", "claim_id"),
    "claim": ("claim_key", "slug", "claim_id"),
    "status": ("slug", "claim_id"),
    "flags": ("slug", "claim_id"),
}
"""Within one rank, the columns of the order (ties in ledger order); only the first
follows the page's direction, as a stable sort of ledger order gives."""
RANKED = ("status", "flags")
"""The orders that depend on the threshold: read rank by rank, each rank's cells merged."""


def cells(reader: Reader) -> list[Cell]:
    """Every cell that may hold a live claim, from the ledger's tallies (a row per verdict
    shape): their `chain_flag` joins two flags, so a row with it may stand for two cells."""
    found: set[Cell] = set()
    statement = "SELECT fact, support, anonymous_only, contradicted, chain_flag FROM ledger_tallies"
    for fact, support, anonymous_only, contradicted, chain_flag in reader.rows(statement):
        fixed = int(bool(anonymous_only)) + int(bool(contradicted))
        for chain_flags in (1, 2) if chain_flag else (0,):
            found.add(Cell(bool(fact), int(support), fixed + chain_flags))
    return sorted(found)


def page_ids(
    db: Readable, threshold: int, sort: str, descending: bool, offset: int, limit: int
) -> list[int]:
    """The ids of one page of the flagged live claims, sorted by `sort` (a key of `ORDERS`),
    ties in ledger order."""
    reader = reader_of(db)
    if sort not in RANKED:
        size = tallies.count_flagged(reader, threshold) if offset else None
        return _read(reader, None, threshold, sort, descending, offset, limit, size)
    ranks: dict[int, list[Cell]] = {}
    for cell in cells(reader):
        if cell.flagged(threshold):
            ranks.setdefault(cell.rank(sort, threshold), []).append(cell)
    ids: list[int] = []
    skip = offset
    ordered = sorted(ranks.items(), reverse=descending)
    live = None
    statuses = _status_sizes(reader, threshold) if sort == "status" and skip else {}
    for rank, members in ordered:
        if len(ids) >= limit:
            break
        size = None
        if skip:  # the rank's size, to pass it over or to read it from its end
            size = statuses[rank] if sort == "status" else _count(reader, members)
        if size is not None and skip >= size:
            skip -= size
            continue
        if size is not None and skip and live is None:
            live = int(scalar(reader, "SELECT SUM(claims) FROM ledger_tallies") or 0)
        if size is not None and skip and size * DENSE >= (live or 0):
            # a large rank: passed over in ledger order as a single index holds it, a row
            # at a time, rather than through the merge of its cells
            source: Sequence[Cell] | str = RANK_WHERE[sort].replace(":rank", str(int(rank)))
        else:
            source = members
        ids += _read(reader, source, threshold, sort, False, skip, limit - len(ids), size)
        skip = 0
    return ids


DENSE = 4
"""A rank holding at least one live claim in `DENSE` is read from `ix_claim_shapes_slug`
with its condition (deep in it, a merge of its cells steps over rows several times slower)."""
RANK_WHERE = {
    "status": "(CASE WHEN support < 1 THEN 0 WHEN support < :threshold THEN 1 ELSE 2 END)"
    " = :rank AND (fixed_flags > 0 OR (fact AND support < :threshold))",
    "flags": "(fixed_flags + CASE WHEN fact AND support < :threshold THEN 1 ELSE 0 END) = :rank",
}
"""The claims of one rank (`Cell.rank`), as a condition on a kept row: an expression, so
that no index serves it but the one in the page's order."""


def _status_sizes(reader: Reader, threshold: int) -> dict[int, int]:
    """How many flagged claims each status holds, from the ledger's tallies: a claim's
    status and whether it is flagged both follow from its tally row (`chain_flag` is
    either of two flags, and flags the claim whichever it is)."""
    sizes = {0: 0, 1: 0, 2: 0}
    statement = (
        "SELECT fact, support, anonymous_only, contradicted, chain_flag, claims FROM ledger_tallies"
    )
    for fact, support, anonymous_only, contradicted, chain_flag, claims in reader.rows(statement):
        cell = Cell(
            bool(fact), int(support), int(bool(anonymous_only or contradicted or chain_flag))
        )
        if cell.flagged(threshold):
            sizes[cell.rank("status", threshold)] += int(claims)
    return sizes


def _count(reader: Reader, members: Sequence[Cell]) -> int:
    """How many claims these cells hold (each an index range)."""
    return sum(
        int(scalar(reader, f"SELECT COUNT(*) FROM claim_shapes WHERE {_where(cell)}") or 0)
        for cell in members
    )


def _read(
    reader: Reader,
    members: Sequence[Cell] | str | None,
    threshold: int,
    sort: str,
    descending: bool,
    skip: int,
    wanted: int,
    size: int | None,
) -> list[int]:
    """`wanted` ids from the `skip`th in the page's order, of these cells' claims merged, or
    of the flagged claims (`members` None) or those meeting a condition (`members` SQL) as
    an index in that order holds them; from the far end, backwards, when that is nearer
    (`size` known)."""
    if size is not None and skip >= size:
        return []
    columns = ORDERS[sort]
    backwards = size is not None and skip > size - skip - wanted
    if backwards:
        assert size is not None
        start = max(0, size - skip - wanted)
        wanted = min(wanted, size - skip)
        skip = start
    directions = [descending, *[False] * (len(columns) - 1)]
    terms = ", ".join(
        f"{column}{' DESC' if down != backwards else ''}"
        for column, down in zip(columns, directions, strict=True)
    )
    if members is None or isinstance(members, str):
        condition = FLAGGED if members is None else members
        source = f"SELECT {', '.join(columns)} FROM claim_shapes WHERE {condition}"
    else:
        source = " UNION ALL ".join(
            f"SELECT {', '.join(columns)} FROM claim_shapes WHERE {_where(cell)}"
            for cell in members
        )
    statement = f"{source} ORDER BY {terms} LIMIT :wanted OFFSET :skip"
    params = {"wanted": wanted, "skip": skip, "threshold": threshold}
    ids = [row[-1] for row in reader.rows(statement, params)]
    return ids[::-1] if backwards else ids


FLAGGED = "(fixed_flags > 0 OR (fact AND support < :threshold))"
"""A kept claim with a flag (`ledger.read.rules_sql.flagged`, from its row)."""


def _where(cell: Cell) -> str:
    """The index range of one cell (its values are the database's own, written out)."""
    fact = "TRUE" if cell.fact else "FALSE"
    return (
        f"fact = {fact} AND support = {int(cell.support)} AND fixed_flags = {int(cell.fixed_flags)}"
    )
