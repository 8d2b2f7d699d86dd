"""Parties and aliases: `speaks_for` on sources, their derived party, merged keys

Revision ID: 0007
Revises: 0006

Existing ledgers upgrade unchanged: nobody speaks for anyone (both columns
NULL) and no key is an alias.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


VIEWS = ("claim_flags", "source_claims", "claim_chains")


def _drop_views() -> None:
    for name in VIEWS:  # they read `sources`, which SQLite rebuilds below
        op.execute(f"DROP VIEW IF EXISTS {name}")


def _create_views() -> None:
    for statement in STATEMENTS[op.get_bind().dialect.name]:
        op.execute(statement)


def upgrade() -> None:
    _drop_views()
    # Plain ADD COLUMN: a batch copy of `sources` would break the foreign keys of
    # hops and clearances on SQLite. A source speaking for itself, directly or
    # through a cycle, is refused by the code that writes `speaks_for`.
    if op.get_bind().dialect.name == "sqlite":  # ADD COLUMN may carry its reference inline
        op.execute(
            "ALTER TABLE sources ADD COLUMN speaks_for VARCHAR(200) "
            'CONSTRAINT fk_sources_speaks_for_sources REFERENCES sources ("key")'
        )
    else:
        op.add_column("sources", sa.Column("speaks_for", sa.String(200), nullable=True))
        op.create_foreign_key(
            "fk_sources_speaks_for_sources", "sources", "sources", ["speaks_for"], ["key"]
        )
    op.add_column("sources", sa.Column("party", sa.String(200), nullable=True))
    op.create_index("ix_sources_speaks_for", "sources", ["speaks_for"])
    op.create_index("ix_sources_party", "sources", ["party"])
    op.create_table(
        "source_aliases",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source"], ["sources.key"], name="fk_source_aliases_source_sources", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", name="pk_source_aliases"),
    )
    op.create_index("ix_source_aliases_source", "source_aliases", ["source"])
    _create_views()


def downgrade() -> None:
    _drop_views()
    op.drop_index("ix_source_aliases_source", table_name="source_aliases")
    op.drop_table("source_aliases")
    op.drop_index("ix_sources_party", table_name="sources")
    op.drop_index("ix_sources_speaks_for", table_name="sources")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("party")
        batch.drop_column("speaks_for")
    for statement in PREVIOUS_STATEMENTS[op.get_bind().dialect.name]:
        op.execute(statement)


def _previous() -> dict[str, tuple[str, ...]]:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name("0005_datasette_views.py")
    spec = importlib.util.spec_from_file_location("datasette_views_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STATEMENTS


PREVIOUS_STATEMENTS = _previous()
STATEMENTS = PREVIOUS_STATEMENTS  # replaced below once the views count parties
