"""Claim tallies: ledger-wide figures without asking the rules of every claim

Revision ID: 0011
Revises: 0010

`claim_tallies`: for each article, how many live claims share one verdict
shape (fact or not, support, anonymous only, contradicted, and a chain flag:
a single intermediary or borrowed anonymity). Derived data,
refreshed by every write for the articles it touched. This revision creates
the table empty; `ledger init`, which runs it, then fills it for the claims
already in the ledger with the rules of the code doing the upgrade
(`ledger.read.tallies.rebuild`), so that the rules are stated in one place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_tallies",
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("fact", sa.Boolean(), primary_key=True),
        sa.Column("support", sa.Integer(), primary_key=True),
        sa.Column("anonymous_only", sa.Boolean(), primary_key=True),
        sa.Column("contradicted", sa.Boolean(), primary_key=True),
        sa.Column("chain_flag", sa.Boolean(), primary_key=True),
        sa.Column("claims", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("claim_tallies")
