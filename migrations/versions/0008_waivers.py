"""Waivers: a standards finding an editor has accepted, with who, when and why

Revision ID: 0008
Revises: 0007

A new table only; existing ledgers upgrade with no waiver.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waivers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(420), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("waived_by", sa.Text(), nullable=False),
        sa.Column("waived_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_waivers"),
        sa.UniqueConstraint("code", "subject", name="uq_waivers_code_subject"),
    )
    op.create_index("ix_waivers_subject", "waivers", ["subject"])


def downgrade() -> None:
    op.drop_index("ix_waivers_subject", table_name="waivers")
    op.drop_table("waivers")
