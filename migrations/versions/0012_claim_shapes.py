"""Claim shapes and ledger tallies: each live claim's verdict shape, and the whole ledger's counts

Revision ID: 0012
Revises: 0011

`claim_shapes`: for each live claim, the shape `claim_tallies` counts (fact or
not, support, anonymous only, contradicted, a chain flag). Derived data, like
the tallies: a write that only adds (a new article, new claims, links) can then
count again only the claims it touched, taking each one's old shape off its
article's tallies and putting its new one on, instead of counting every claim
of every article it reached. `ledger_tallies`: the article tallies summed over
the ledger, a row per shape, so that the ledger's figures are read from a few
hundred rows, not from every article's. This revision creates both empty;
`ledger init`, which runs it, then counts every claim with the rules of the
code doing the upgrade (`ledger.read.tallies.rebuild`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
    )
    op.create_index("ix_claim_shapes_article_id", "claim_shapes", ["article_id"])
    op.create_table(
        "ledger_tallies",
        sa.Column("fact", sa.Boolean(), primary_key=True),
        sa.Column("support", sa.Integer(), primary_key=True),
        sa.Column("anonymous_only", sa.Boolean(), primary_key=True),
        sa.Column("contradicted", sa.Boolean(), primary_key=True),
        sa.Column("chain_flag", sa.Boolean(), primary_key=True),
        sa.Column("claims", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ledger_tallies")
    op.drop_table("claim_shapes")
