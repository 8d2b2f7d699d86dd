"""Keys and slugs compare by code point on PostgreSQL, whatever the database's collation

Revision ID: 0016
Revises: 0015

Python sorts strings by code point and SQLite compares them byte by byte (BINARY),
the same order for UTF-8; a PostgreSQL database created with a locale as its
default collation ordered the key and slug columns by that locale instead (in
`en_US`, `a-c` after `ab`: the hyphen passed over), so the desk sorted by claim or
article, walked the ledger by slug and listed sources in another order than every
other part of the ledger. The columns that hold keys and slugs (and the keys that
name other sources) take the "C" collation: every ORDER BY and range on them is
code-point order, and their indexes, rebuilt with it, still serve those queries.
The Datasette views read these columns, so they are dropped and made again as the
database holds them. Nothing changes on SQLite.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY_COLUMNS = {
    "articles": ("slug",),
    "claims": ("key",),
    "sources": ("key", "speaks_for", "party"),
    "source_aliases": ("key", "source"),
}
VIEWS = ("claim_flags", "source_claims", "claim_chains")
"""The Datasette views (0005, 0007), each before the views it reads."""


def _collate(collation: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    definitions = {}
    for name in VIEWS:
        definition = bind.scalar(
            sa.text("SELECT pg_get_viewdef(to_regclass(:name), true)"), {"name": name}
        )
        if definition is not None:
            definitions[name] = definition
            op.execute(f"DROP VIEW {name}")
    for table, columns in KEY_COLUMNS.items():
        changes = ", ".join(
            f'ALTER COLUMN {column} TYPE VARCHAR(200) COLLATE "{collation}"' for column in columns
        )
        op.execute(f"ALTER TABLE {table} {changes}")
    for name in reversed(VIEWS):
        if name in definitions:
            op.execute(f"CREATE VIEW {name} AS {definitions[name]}")


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
