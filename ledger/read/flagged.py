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
flags). A small rank is the merge of its cells, each an index range already in
ledger order (`ix_claim_shapes_cell_slug`): `UNION ALL ... ORDER BY` of index
scans, which SQLite merges as co-routines (PostgreSQL may sort the small rank). A
large rank is read from `ix_claim_shapes_slug` with its condition, the claims of
other ranks passed over as they come. A rank wholly before the page is sized and
passed over. The page is reached by `OFFSET`; one past the middle of its list (or
rank) is read from the far end, backwards, so no page steps over more than half of
it. A page reads a page of rows, plus those it steps over: never a sort of every
flagged claim.

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
"""The orders that depend on the threshold: read rank by rank."""


TallyCells = list[tuple[tuple[Cell, ...], int]]
"""Each row of the ledger's tallies as the cells it may stand for, and how many live claims
it counts."""


def tally_cells(reader: Reader) -> TallyCells:
    """The ledger's tallies (a row per verdict shape) as cells: a row's `chain_flag` joins
    two flags, so a row with it may stand for two cells (one chain flag or both)."""
    found: TallyCells = []
    statement = (
        "SELECT fact, support, anonymous_only, contradicted, chain_flag, claims FROM ledger_tallies"
    )
    for fact, support, anonymous_only, contradicted, chain_flag, claims in reader.rows(statement):
        fixed = int(bool(anonymous_only)) + int(bool(contradicted))
        chain_flags = (1, 2) if chain_flag else (0,)
        found.append(
            (tuple(Cell(bool(fact), int(support), fixed + n) for n in chain_flags), int(claims))
        )
    return found


def page_ids(
    db: Readable, threshold: int, sort: str, descending: bool, offset: int, limit: int
) -> list[int]:
    """The ids of one page of the flagged live claims, sorted by `sort` (a key of `ORDERS`),
    ties in ledger order."""
    reader = reader_of(db)
    if sort not in RANKED:
        size = tallies.count_flagged(reader, threshold) if offset else None
        return _read(reader, None, threshold, sort, descending, offset, limit, size)
    rows = tally_cells(reader)
    ranks: dict[int, list[Cell]] = {}
    for cell in sorted({cell for stand, _claims in rows for cell in stand}):
        if cell.flagged(threshold):
            ranks.setdefault(cell.rank(sort, threshold), []).append(cell)
    ids: list[int] = []
    skip = offset
    ordered = sorted(ranks.items(), reverse=descending)
    estimates, live = _rank_sizes(rows, threshold, sort)
    for rank, members in ordered:
        if len(ids) >= limit:
            break
        size = None
        if skip:  # the rank's size, to pass it over or to read it from its end
            size = estimates[rank] if sort == "status" else _count(reader, members)
        if size is not None and skip >= size:
            skip -= size
            continue
        if estimates.get(rank, 0) * (DENSE if skip else SPARSE) >= live:
            # a large rank: read in ledger order as a single index holds it, the claims of
            # other ranks passed over as they come, rather than through the merge of its
            # cells (slower a row deep in a rank; and PostgreSQL sorts a large rank whole)
            source: Sequence[Cell] | str = RANK_WHERE[sort][rank]
            if sort == "status":
                source = f"{source} AND {FLAGGED}"
        else:
            source = members
        ids += _read(reader, source, threshold, sort, False, skip, limit - len(ids), size)
        skip = 0
    return ids


DENSE = 4
SPARSE = 100
"""A page starting inside a rank holding at least one live claim in `DENSE` (one in `SPARSE`
when the page starts at its first claim) reads it from `ix_claim_shapes_slug` with its
condition; a smaller one through the merge of its cells."""
_UNCORROBORATED = "(fact AND support < :threshold)"
RANK_WHERE = {
    "status": (
        "support < 1",
        "support >= 1 AND support < :threshold",
        "support >= :threshold",
    ),
    "flags": tuple(
        f"((fixed_flags = {rank - 1} AND {_UNCORROBORATED})"
        f" OR (fixed_flags = {rank} AND NOT {_UNCORROBORATED}))"
        for rank in range(6)
    ),
}
"""The claims of each rank (`Cell.rank`), as a condition on plain columns of a kept row
(PostgreSQL's statistics then estimate how many it holds: for an expression it guessed
one in two hundred, and sorted the rank rather than read the index in order); the
status ranks are then kept to the flagged claims (`FLAGGED`)."""


def _rank_sizes(rows: TallyCells, threshold: int, sort: str) -> tuple[dict[int, int], int]:
    """(how many flagged claims each rank holds, how many live claims the ledger holds),
    from the ledger's tallies. Exact for status: a claim's status and whether it is
    flagged follow from its tally row. For flags, `chain_flag` stands for one chain flag
    or two: such a row is counted in both ranks it may fall in (a bound, to choose how
    to read a rank; a rank passed over is counted through its cells)."""
    sizes: dict[int, int] = {}
    live = 0
    for stand, claims in rows:
        live += claims
        for cell in stand[:1] if sort == "status" else stand:  # either way, one status
            if cell.flagged(threshold):
                rank = cell.rank(sort, threshold)
                sizes[rank] = sizes.get(rank, 0) + claims
    return sizes, live


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
