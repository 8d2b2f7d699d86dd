"""A page of the ledger's flagged claims in any of the desk's orders, read from an index.

The desk sorts the flagged claims by article, claim key, status or number of
flags, either way, ties in ledger order (article slug, then entry). Status and
flags depend on the threshold, which each desk is started with, so no kept
column can hold them. What `claim_shapes` keeps of a claim decides them at any
threshold: its *cell*, (fact, support, the flags no threshold decides). At a
threshold, every claim of a cell is flagged or none is, and all share one
status and one number of flags. The ledger holds a few dozen cells.

So a page is read cell by cell: the cells of one rank (a status, a number of
flags; for article and claim key, every flagged cell is one rank) are each an
index range already in the page's order (the indexes of `claim_shapes`: the cell, then
slug or key, then the claim), and the database merges them (`UNION ALL ...
ORDER BY` of index scans: SQLite's merge of co-routines, PostgreSQL's Merge
Append) and skips to the page by `OFFSET`. The ranks are taken in turn; a rank
wholly before the page is counted (an index range count) and passed over. A page
past the middle of its rank is read from the rank's end, backwards, so no page
steps over more than half of one rank. A page reads a page of rows, plus the rows
it skips within its rank: never a sort of every flagged claim.

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
    ranks: dict[int, list[Cell]] = {}
    for cell in cells(reader):
        if cell.flagged(threshold):
            ranks.setdefault(cell.rank(sort, threshold), []).append(cell)
    ids: list[int] = []
    skip = offset
    ordered = sorted(ranks.items(), reverse=descending)
    for number, (_rank, members) in enumerate(ordered):
        if len(ids) >= limit:
            break
        if len(ordered) == 1:  # every flagged claim: the tallies have counted them
            size: int | None = tallies.count_flagged(reader, threshold) if skip else None
        elif number == len(ordered) - 1 and not skip:
            size = None
        else:
            size = _count(reader, members)
        if size is not None and skip >= size:
            skip -= size
            continue
        ids += _read(reader, members, sort, descending, skip, limit - len(ids), size)
        skip = 0
    return ids


def _count(reader: Reader, members: Sequence[Cell]) -> int:
    """How many claims these cells hold (each an index range)."""
    return sum(
        int(scalar(reader, f"SELECT COUNT(*) FROM claim_shapes WHERE {_where(cell)}") or 0)
        for cell in members
    )


def _read(
    reader: Reader,
    members: Sequence[Cell],
    sort: str,
    descending: bool,
    skip: int,
    wanted: int,
    size: int | None,
) -> list[int]:
    """`wanted` ids of these cells' claims from the `skip`th in the page's order; from the
    far end, backwards, when that is nearer (`size` known)."""
    columns = ORDERS[sort]
    backwards = size is not None and skip > size - skip - wanted
    if backwards:
        assert size is not None
        start = max(0, size - skip - wanted)
        wanted = min(wanted, size - skip)
        skip = start
    directions = [descending and sort in ("article", "claim"), *[False] * (len(columns) - 1)]
    terms = ", ".join(
        f"{column}{' DESC' if down != backwards else ''}"
        for column, down in zip(columns, directions, strict=True)
    )
    arms = " UNION ALL ".join(
        f"SELECT {', '.join(columns)} FROM claim_shapes WHERE {_where(cell)}" for cell in members
    )
    statement = f"{arms} ORDER BY {terms} LIMIT :wanted OFFSET :skip"
    ids = [row[-1] for row in reader.rows(statement, {"wanted": wanted, "skip": skip})]
    return ids[::-1] if backwards else ids


def _where(cell: Cell) -> str:
    """The index range of one cell (its values are the database's own, written out)."""
    fact = "TRUE" if cell.fact else "FALSE"
    return (
        f"fact = {fact} AND support = {int(cell.support)} AND fixed_flags = {int(cell.fixed_flags)}"
    )
