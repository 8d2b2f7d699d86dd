"""Claim shapes keep what orders the desk's flagged claims, with indexes that give each order

Revision ID: 0017
Revises: 0016

The desk lists the ledger's flagged claims sorted by article, claim key, status
or number of flags, a page at a time. From 0014's rows every sorted page ranked
every flagged claim (636,140 of a million: about a second a page). Each row now
also keeps how many of its flags no threshold decides (`fixed_flags`), its
article's slug and its own key. A claim's flags and status at any threshold
follow from its cell (fact, support, fixed flags): sorted by status or flags, a
page is read from the cells' index ranges in the page's order, merged by the
database; sorted by article or claim key, from an index in that order holding
the cell, flagged claims kept as they come. A page reads a page of rows
(`ledger.read.flagged`). The table is derived: this revision
empties it and adds the columns, and `ledger init`, which runs it, shapes every
claim again (`ledger.read.tallies.rebuild`). The downgrade keeps every claim's row.
The two copies take the "C" collation on PostgreSQL, as the columns they copy do
(0016): the desk's orders read from them are code-point order on both engines.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")
"""A slug or key: compared by code point on PostgreSQL too, as since 0016."""
CELL = ("fact", "support", "fixed_flags")
INDEXES = {
    "ix_claim_shapes_cell_slug": (*CELL, "slug", "claim_id"),
    "ix_claim_shapes_slug": ("slug", "claim_id", *CELL),
    "ix_claim_shapes_slug_desc": (sa.text("slug DESC"), "claim_id", *CELL),
    "ix_claim_shapes_claim_key": ("claim_key", "slug", "claim_id", *CELL),
    "ix_claim_shapes_claim_key_desc": (sa.text("claim_key DESC"), "slug", "claim_id", *CELL),
}
ORDER_COLUMNS = ("fixed_flags", "slug", "claim_key")


def upgrade() -> None:
    op.execute("DELETE FROM claim_shapes")
    # SQLite adds a column NOT NULL without a default only to a table made anew (empty here)
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("claim_shapes", recreate=recreate) as batch:
        batch.add_column(sa.Column("fixed_flags", sa.Integer(), nullable=False))
        batch.add_column(sa.Column("slug", KEY, nullable=False))
        batch.add_column(sa.Column("claim_key", KEY, nullable=False))
    for name, columns in INDEXES.items():
        op.create_index(name, "claim_shapes", list(columns))


def downgrade() -> None:
    """Back to 0014's rows, every claim's row kept (left empty beside full tallies, the code
    of 0015 would count again on top of them each claim it shaped anew)."""
    for name in INDEXES:
        op.drop_index(name, "claim_shapes")
    with op.batch_alter_table("claim_shapes") as batch:
        for name in reversed(ORDER_COLUMNS):
            batch.drop_column(name)
