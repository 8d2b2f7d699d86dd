"""Label signatures kept as digests: a long label or description no longer breaks a write

Revision ID: 0015
Revises: 0014

`label_signatures` (0013) kept each signature and the source's description as
text, in its primary key and in an index. PostgreSQL refuses an index row of
more than about 2,700 bytes, so from 0013 a source whose label or description
was that long (a description of a few hundred words) could not be added, nor a
ledger holding one upgraded. Only their equality is ever asked, so the table now
keeps a fixed-size digest of each (`ledger.read.label_signatures.digest`). It
is derived: this revision makes it anew, empty, and `ledger init`, which runs
it, derives every label's rows again (`ledger.read.label_signatures.rebuild`).
The downgrade gives 0013's table back with every label's rows (left empty, the
code of 0013 would find no probable duplicates for one article's sources).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("label_signatures")
    op.create_table(
        "label_signatures",
        sa.Column("signature_digest", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(200), primary_key=True),
        sa.Column("description_digest", sa.String(32), nullable=True),
    )
    op.create_index("ix_label_signatures_holder", "label_signatures", ["holder"])
    op.create_index(
        "ix_label_signatures_signature_digest_description_digest",
        "label_signatures",
        ["signature_digest", "description_digest"],
    )


def downgrade() -> None:
    op.drop_table("label_signatures")
    table = op.create_table(
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
    holders = op.get_bind().execute(
        sa.text(
            "SELECT key, label, description FROM sources UNION ALL"
            " SELECT a.key, a.label, s.description FROM source_aliases a"
            " JOIN sources s ON s.key = a.source WHERE a.label IS NOT NULL"
        )
    )
    rows = {
        (signature, key, description)
        for key, label, description in holders
        for signature in _signatures(label)
    }
    if rows:
        columns = ("signature", "holder", "description")
        op.bulk_insert(table, [dict(zip(columns, row, strict=True)) for row in sorted(rows)])


def _signatures(label: str | None) -> set[str]:
    """The signatures of a label as 0013 kept them (`ledger.text.labels`)."""
    from ledger.text.labels import fold_label, signatures

    folded = fold_label(label) if label else ""
    return set(signatures(folded)) if folded else set()
