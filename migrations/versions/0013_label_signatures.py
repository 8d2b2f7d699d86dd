"""Label signatures: where each source's and alias's label meets others, kept by the writes

Revision ID: 0013
Revises: 0012

`label_signatures`: for every source and every alias with a label, the signatures
its folded label meets others at (`ledger.text.labels.signatures`), with the
source's description, so that the probable duplicates of an article's sources are
found by reading the few sources that may pair with theirs (the same signature,
the same description or none), not by folding every label of the ledger. Derived data, like the
tallies: this revision creates the table empty; `ledger init`, which runs it,
then writes every label's signatures (`ledger.read.label_signatures.rebuild`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "label_signatures",
        sa.Column("signature", sa.Text(), primary_key=True),
        sa.Column("holder", sa.String(200), primary_key=True),
        sa.Column("description", sa.Text(), nullable=True),
    )
    op.create_index("ix_label_signatures_holder", "label_signatures", ["holder"])
    op.create_index(
        "ix_label_signatures_signature_description",
        "label_signatures",
        ["signature", "description"],
    )


def downgrade() -> None:
    op.drop_table("label_signatures")
