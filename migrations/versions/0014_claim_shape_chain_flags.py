"""Claim shapes keep the two chain flags apart: a claim's flags are counted from its row

Revision ID: 0014
Revises: 0013

`claim_shapes` kept one `chain_flag` for a claim's single intermediary and its
borrowed anonymity together (the tallies count them as one flag). Kept apart as
well, every flag of a claim is in its row, so the desk ranks a million flagged
claims by their flags or their status from these rows instead of asking the
rules of every claim. The table is derived: this revision makes it anew, empty,
with the two columns, and `ledger init`, which runs it, shapes every claim again
with the rules of the code doing the upgrade (`ledger.read.tallies.rebuild`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _claim_shapes(*chain_flags: str) -> None:
    """`claim_shapes` as 0012 made it, with the columns `chain_flags` after its own."""
    op.create_table(
        "claim_shapes",
        sa.Column(
            "claim_id",
            sa.Integer(),
            sa.ForeignKey("claims.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fact", sa.Boolean(), nullable=False),
        sa.Column("support", sa.Integer(), nullable=False),
        sa.Column("anonymous_only", sa.Boolean(), nullable=False),
        sa.Column("contradicted", sa.Boolean(), nullable=False),
        sa.Column("chain_flag", sa.Boolean(), nullable=False),
        *(sa.Column(name, sa.Boolean(), nullable=False) for name in chain_flags),
    )
    op.create_index("ix_claim_shapes_article_id", "claim_shapes", ["article_id"])


CHAIN_FLAGS = ("single_intermediary", "borrowed_anonymity")


def upgrade() -> None:
    op.drop_table("claim_shapes")
    _claim_shapes(*CHAIN_FLAGS)


def downgrade() -> None:
    """Back to one chain flag, every claim's row kept: left empty beside full tallies, the
    table had the code of 0013 count again on top of them each claim it shaped anew."""
    with op.batch_alter_table("claim_shapes") as batch:
        for name in reversed(CHAIN_FLAGS):
            batch.drop_column(name)
