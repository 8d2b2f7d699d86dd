"""Publishable source fields: what a public export may carry for an unnamed source

Revision ID: 0010
Revises: 0009

`sources.publishable`, a JSON list of field names (NULL: none). Existing
sources get none: a public output then carries, for an unnamed source, only
what the exported article itself prints about it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("publishable", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("publishable")
