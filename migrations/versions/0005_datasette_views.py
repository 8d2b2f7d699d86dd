"""SQL views for browsing the ledger in Datasette (or any SQL client)

Revision ID: 0005
Revises: 0004

`claim_flags` has one row per live claim with its status, its flags and its
chains as text; `source_claims` one row per source per hop, as origin or as
intermediary; `claim_chains` one row per chain. The flags come from the SQL
form of the rules in `ledger.rules`, compiled for the engine at hand: a later
change to the rules must come with a revision that recreates these views.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VIEWS = ("claim_flags", "source_claims", "claim_chains")


def _create_view(name: str, statement: sa.Select) -> None:
    connection = op.get_bind()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    op.execute(f"CREATE VIEW {name} AS {compiled}")


def upgrade() -> None:
    from ledger.read.rules_sql import sql_verdict_columns
    from ledger.rules import DEFAULT_THRESHOLD
    from ledger.storage.schema import ArticleRow, ClaimRow, HopRow, SourceRow

    dialect = op.get_bind().dialect.name
    ordered = (
        sa.select(HopRow.claim_id, HopRow.chain, HopRow.position, SourceRow.key)
        .join(SourceRow, SourceRow.id == HopRow.source_id)
        .order_by(HopRow.claim_id, HopRow.chain, HopRow.position)
        .subquery("ordered_hops")
    )
    if dialect == "postgresql":
        chain_text = sa.func.string_agg(
            ordered.c.key, sa.literal_column("' > ' ORDER BY ordered_hops.position")
        )
    else:  # SQLite keeps the subquery's order inside group_concat
        chain_text = sa.func.group_concat(ordered.c.key, " > ")
    _create_view(
        "claim_chains",
        sa.select(
            ordered.c.claim_id,
            (ordered.c.chain + 1).label("chain"),
            chain_text.label("sources"),
        ).group_by(ordered.c.claim_id, ordered.c.chain),
    )

    chains = sa.table(
        "claim_chains", sa.column("claim_id"), sa.column("chain"), sa.column("sources")
    )
    if dialect == "postgresql":
        in_order = sa.literal_column("' | ' ORDER BY claim_chains.chain")
        lists = sa.select(
            chains.c.claim_id, sa.func.string_agg(chains.c.sources, in_order).label("chains")
        )
    else:  # group_concat follows the order of the subquery it reads, on SQLite
        ordered_chains = (
            sa.select(chains).order_by(chains.c.claim_id, chains.c.chain).subquery("ordered")
        )
        lists = sa.select(
            ordered_chains.c.claim_id,
            sa.func.group_concat(ordered_chains.c.sources, " | ").label("chains"),
        )
    chain_lists = lists.group_by(sa.literal_column("claim_id")).subquery("chain_lists")
    _create_view(
        "claim_flags",
        sa.select(
            ArticleRow.slug.label("article"),
            ClaimRow.key.label("claim"),
            ClaimRow.kind,
            ClaimRow.text,
            ClaimRow.quote,
            *sql_verdict_columns(ClaimRow, DEFAULT_THRESHOLD),
            chain_lists.c.chains,
        )
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .outerjoin(chain_lists, chain_lists.c.claim_id == ClaimRow.id)
        .where(ClaimRow.retracted_reason.is_(None)),
    )
    _create_view(
        "source_claims",
        sa.select(
            SourceRow.key.label("source"),
            SourceRow.label,
            SourceRow.kind,
            SourceRow.anonymity,
            ArticleRow.slug.label("article"),
            ClaimRow.key.label("claim"),
            (HopRow.chain + 1).label("chain"),
            (HopRow.position + 1).label("position"),
            sa.case((HopRow.is_origin, "origin"), else_="intermediary").label("role"),
        )
        .join(SourceRow, SourceRow.id == HopRow.source_id)
        .join(ClaimRow, ClaimRow.id == HopRow.claim_id)
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.retracted_reason.is_(None)),
    )


def downgrade() -> None:
    for name in VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {name}")
