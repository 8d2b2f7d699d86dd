"""Parties and aliases: `speaks_for` on sources, their derived party, merged keys

Revision ID: 0007
Revises: 0006

Existing ledgers upgrade unchanged: nobody speaks for anyone (both columns
NULL) and no key is an alias. The Datasette views are rebuilt so that their
flags count parties, as `ledger claims` does.
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

# The views of 0005 with the rules as they stand at this revision: `support_size`,
# `status` and `uncorroborated` count parties (rule 3), compiled once per engine.
STATEMENTS: dict[str, tuple[str, ...]] = {
    "sqlite": (
        'CREATE VIEW claim_chains AS SELECT ordered_hops.claim_id, ordered_hops.chain + 1 AS chain, group_concat(ordered_hops."key", \' > \') AS sources \nFROM (SELECT hops.claim_id AS claim_id, hops.chain AS chain, hops.position AS position, sources."key" AS "key" \nFROM hops JOIN sources ON sources.id = hops.source_id ORDER BY hops.claim_id, hops.chain, hops.position) AS ordered_hops GROUP BY ordered_hops.claim_id, ordered_hops.chain',
        "CREATE VIEW claim_flags AS SELECT articles.slug AS article, claims.\"key\" AS claim, claims.kind, claims.text, claims.quote, (SELECT count(distinct(coalesce(sources_1.party, sources_1.\"key\"))) AS count_1 \nFROM hops JOIN sources AS sources_1 ON sources_1.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1) + (SELECT count(distinct(coalesce(sources_2.party, sources_2.\"key\"))) AS count_2 \nFROM links JOIN claims AS claims_1 ON claims_1.id = links.from_claim_id JOIN hops AS hops_1 ON hops_1.claim_id = links.from_claim_id AND hops_1.is_origin = 1 JOIN sources AS sources_2 ON sources_2.id = hops_1.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_1.retracted_reason IS NULL AND (coalesce(sources_2.party, sources_2.\"key\") NOT IN (SELECT coalesce(sources_3.party, sources_3.\"key\") AS coalesce_1 \nFROM hops JOIN sources AS sources_3 ON sources_3.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1))) AS support_size, CASE WHEN ((SELECT count(distinct(coalesce(sources_4.party, sources_4.\"key\"))) AS count_3 \nFROM hops JOIN sources AS sources_4 ON sources_4.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1) + (SELECT count(distinct(coalesce(sources_5.party, sources_5.\"key\"))) AS count_4 \nFROM links JOIN claims AS claims_2 ON claims_2.id = links.from_claim_id JOIN hops AS hops_2 ON hops_2.claim_id = links.from_claim_id AND hops_2.is_origin = 1 JOIN sources AS sources_5 ON sources_5.id = hops_2.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_2.retracted_reason IS NULL AND (coalesce(sources_5.party, sources_5.\"key\") NOT IN (SELECT coalesce(sources_6.party, sources_6.\"key\") AS coalesce_2 \nFROM hops JOIN sources AS sources_6 ON sources_6.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1))) >= 2) THEN 'corroborated' WHEN ((SELECT count(distinct(coalesce(sources_4.party, sources_4.\"key\"))) AS count_3 \nFROM hops JOIN sources AS sources_4 ON sources_4.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1) + (SELECT count(distinct(coalesce(sources_5.party, sources_5.\"key\"))) AS count_4 \nFROM links JOIN claims AS claims_2 ON claims_2.id = links.from_claim_id JOIN hops AS hops_2 ON hops_2.claim_id = links.from_claim_id AND hops_2.is_origin = 1 JOIN sources AS sources_5 ON sources_5.id = hops_2.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_2.retracted_reason IS NULL AND (coalesce(sources_5.party, sources_5.\"key\") NOT IN (SELECT coalesce(sources_6.party, sources_6.\"key\") AS coalesce_2 \nFROM hops JOIN sources AS sources_6 ON sources_6.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1))) >= 1) THEN 'single-source' ELSE 'unattributed' END AS status, claims.kind = 'fact' AND (SELECT count(distinct(coalesce(sources_7.party, sources_7.\"key\"))) AS count_5 \nFROM hops JOIN sources AS sources_7 ON sources_7.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1) + (SELECT count(distinct(coalesce(sources_8.party, sources_8.\"key\"))) AS count_6 \nFROM links JOIN claims AS claims_3 ON claims_3.id = links.from_claim_id JOIN hops AS hops_3 ON hops_3.claim_id = links.from_claim_id AND hops_3.is_origin = 1 JOIN sources AS sources_8 ON sources_8.id = hops_3.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_3.retracted_reason IS NULL AND (coalesce(sources_8.party, sources_8.\"key\") NOT IN (SELECT coalesce(sources_9.party, sources_9.\"key\") AS coalesce_3 \nFROM hops JOIN sources AS sources_9 ON sources_9.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1))) < 2 AS uncorroborated, ((EXISTS (SELECT hops.source_id \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1)) OR (EXISTS (SELECT hops_4.source_id \nFROM links JOIN claims AS claims_4 ON claims_4.id = links.from_claim_id JOIN hops AS hops_4 ON hops_4.claim_id = links.from_claim_id AND hops_4.is_origin = 1 \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_4.retracted_reason IS NULL))) AND NOT (EXISTS (SELECT hops.source_id \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1 AND (EXISTS (SELECT sources.id \nFROM sources \nWHERE sources.id = hops.source_id AND sources.anonymity = 'named')))) AND NOT (EXISTS (SELECT hops_4.source_id \nFROM links JOIN claims AS claims_4 ON claims_4.id = links.from_claim_id JOIN hops AS hops_4 ON hops_4.claim_id = links.from_claim_id AND hops_4.is_origin = 1 \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_4.retracted_reason IS NULL AND (EXISTS (SELECT sources.id \nFROM sources \nWHERE sources.id = hops_4.source_id AND sources.anonymity = 'named')))) AS anonymous_only, (EXISTS (SELECT links.id \nFROM links JOIN claims AS claims_5 ON claims_5.id = links.to_claim_id \nWHERE links.from_claim_id = claims.id AND links.relation = 'contradicts' AND claims_5.retracted_reason IS NULL)) OR (EXISTS (SELECT links.id \nFROM links JOIN claims AS claims_5 ON claims_5.id = links.from_claim_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'contradicts' AND claims_5.retracted_reason IS NULL)) AS contradicted, (SELECT count(*) AS count_7 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) >= 2 AND (SELECT count(*) AS count_8 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 1) = (SELECT count(*) AS count_7 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) AND (SELECT count(distinct(hops.source_id)) AS count_9 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) = 1 AS single_intermediary, EXISTS (SELECT hops.claim_id \nFROM hops JOIN sources AS sources_10 ON sources_10.id = hops.source_id JOIN hops AS hops_5 ON hops_5.claim_id = hops.claim_id AND hops_5.chain = hops.chain AND hops_5.position < hops.position JOIN sources AS sources_11 ON sources_11.id = hops_5.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin = 1 AND sources_10.anonymity != 'named' AND sources_11.kind = 'outlet') AS borrowed_anonymity, chain_lists.chains \nFROM claims JOIN articles ON articles.id = claims.article_id LEFT OUTER JOIN (SELECT ordered.claim_id AS claim_id, group_concat(ordered.sources, ' | ') AS chains \nFROM (SELECT claim_chains.claim_id AS claim_id, claim_chains.chain AS chain, claim_chains.sources AS sources \nFROM claim_chains ORDER BY claim_chains.claim_id, claim_chains.chain) AS ordered GROUP BY claim_id) AS chain_lists ON chain_lists.claim_id = claims.id \nWHERE claims.retracted_reason IS NULL",
        "CREATE VIEW source_claims AS SELECT sources.\"key\" AS source, sources.label, sources.kind, sources.anonymity, articles.slug AS article, claims.\"key\" AS claim, hops.chain + 1 AS chain, hops.position + 1 AS position, CASE WHEN hops.is_origin THEN 'origin' ELSE 'intermediary' END AS role \nFROM hops JOIN sources ON sources.id = hops.source_id JOIN claims ON claims.id = hops.claim_id JOIN articles ON articles.id = claims.article_id \nWHERE claims.retracted_reason IS NULL",
    ),
    "postgresql": (
        "CREATE VIEW claim_chains AS SELECT ordered_hops.claim_id, ordered_hops.chain + 1 AS chain, string_agg(ordered_hops.key, ' > ' ORDER BY ordered_hops.position) AS sources \nFROM (SELECT hops.claim_id AS claim_id, hops.chain AS chain, hops.position AS position, sources.key AS key \nFROM hops JOIN sources ON sources.id = hops.source_id ORDER BY hops.claim_id, hops.chain, hops.position) AS ordered_hops GROUP BY ordered_hops.claim_id, ordered_hops.chain",
        "CREATE VIEW claim_flags AS SELECT articles.slug AS article, claims.key AS claim, claims.kind, claims.text, claims.quote, (SELECT count(distinct(coalesce(sources_1.party, sources_1.key))) AS count_1 \nFROM hops JOIN sources AS sources_1 ON sources_1.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin) + (SELECT count(distinct(coalesce(sources_2.party, sources_2.key))) AS count_2 \nFROM links JOIN claims AS claims_1 ON claims_1.id = links.from_claim_id JOIN hops AS hops_1 ON hops_1.claim_id = links.from_claim_id AND hops_1.is_origin JOIN sources AS sources_2 ON sources_2.id = hops_1.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_1.retracted_reason IS NULL AND (coalesce(sources_2.party, sources_2.key) NOT IN (SELECT coalesce(sources_3.party, sources_3.key) AS coalesce_1 \nFROM hops JOIN sources AS sources_3 ON sources_3.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin))) AS support_size, CASE WHEN ((SELECT count(distinct(coalesce(sources_4.party, sources_4.key))) AS count_3 \nFROM hops JOIN sources AS sources_4 ON sources_4.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin) + (SELECT count(distinct(coalesce(sources_5.party, sources_5.key))) AS count_4 \nFROM links JOIN claims AS claims_2 ON claims_2.id = links.from_claim_id JOIN hops AS hops_2 ON hops_2.claim_id = links.from_claim_id AND hops_2.is_origin JOIN sources AS sources_5 ON sources_5.id = hops_2.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_2.retracted_reason IS NULL AND (coalesce(sources_5.party, sources_5.key) NOT IN (SELECT coalesce(sources_6.party, sources_6.key) AS coalesce_2 \nFROM hops JOIN sources AS sources_6 ON sources_6.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin))) >= 2) THEN 'corroborated' WHEN ((SELECT count(distinct(coalesce(sources_4.party, sources_4.key))) AS count_3 \nFROM hops JOIN sources AS sources_4 ON sources_4.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin) + (SELECT count(distinct(coalesce(sources_5.party, sources_5.key))) AS count_4 \nFROM links JOIN claims AS claims_2 ON claims_2.id = links.from_claim_id JOIN hops AS hops_2 ON hops_2.claim_id = links.from_claim_id AND hops_2.is_origin JOIN sources AS sources_5 ON sources_5.id = hops_2.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_2.retracted_reason IS NULL AND (coalesce(sources_5.party, sources_5.key) NOT IN (SELECT coalesce(sources_6.party, sources_6.key) AS coalesce_2 \nFROM hops JOIN sources AS sources_6 ON sources_6.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin))) >= 1) THEN 'single-source' ELSE 'unattributed' END AS status, claims.kind = 'fact' AND (SELECT count(distinct(coalesce(sources_7.party, sources_7.key))) AS count_5 \nFROM hops JOIN sources AS sources_7 ON sources_7.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin) + (SELECT count(distinct(coalesce(sources_8.party, sources_8.key))) AS count_6 \nFROM links JOIN claims AS claims_3 ON claims_3.id = links.from_claim_id JOIN hops AS hops_3 ON hops_3.claim_id = links.from_claim_id AND hops_3.is_origin JOIN sources AS sources_8 ON sources_8.id = hops_3.source_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_3.retracted_reason IS NULL AND (coalesce(sources_8.party, sources_8.key) NOT IN (SELECT coalesce(sources_9.party, sources_9.key) AS coalesce_3 \nFROM hops JOIN sources AS sources_9 ON sources_9.id = hops.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin))) < 2 AS uncorroborated, ((EXISTS (SELECT hops.source_id \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.is_origin)) OR (EXISTS (SELECT hops_4.source_id \nFROM links JOIN claims AS claims_4 ON claims_4.id = links.from_claim_id JOIN hops AS hops_4 ON hops_4.claim_id = links.from_claim_id AND hops_4.is_origin \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_4.retracted_reason IS NULL))) AND NOT (EXISTS (SELECT hops.source_id \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.is_origin AND (EXISTS (SELECT sources.id \nFROM sources \nWHERE sources.id = hops.source_id AND sources.anonymity = 'named')))) AND NOT (EXISTS (SELECT hops_4.source_id \nFROM links JOIN claims AS claims_4 ON claims_4.id = links.from_claim_id JOIN hops AS hops_4 ON hops_4.claim_id = links.from_claim_id AND hops_4.is_origin \nWHERE links.to_claim_id = claims.id AND links.relation = 'corroborates' AND claims_4.retracted_reason IS NULL AND (EXISTS (SELECT sources.id \nFROM sources \nWHERE sources.id = hops_4.source_id AND sources.anonymity = 'named')))) AS anonymous_only, (EXISTS (SELECT links.id \nFROM links JOIN claims AS claims_5 ON claims_5.id = links.to_claim_id \nWHERE links.from_claim_id = claims.id AND links.relation = 'contradicts' AND claims_5.retracted_reason IS NULL)) OR (EXISTS (SELECT links.id \nFROM links JOIN claims AS claims_5 ON claims_5.id = links.from_claim_id \nWHERE links.to_claim_id = claims.id AND links.relation = 'contradicts' AND claims_5.retracted_reason IS NULL)) AS contradicted, (SELECT count(*) AS count_7 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) >= 2 AND (SELECT count(*) AS count_8 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 1) = (SELECT count(*) AS count_7 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) AND (SELECT count(distinct(hops.source_id)) AS count_9 \nFROM hops \nWHERE hops.claim_id = claims.id AND hops.position = 0) = 1 AS single_intermediary, EXISTS (SELECT hops.claim_id \nFROM hops JOIN sources AS sources_10 ON sources_10.id = hops.source_id JOIN hops AS hops_5 ON hops_5.claim_id = hops.claim_id AND hops_5.chain = hops.chain AND hops_5.position < hops.position JOIN sources AS sources_11 ON sources_11.id = hops_5.source_id \nWHERE hops.claim_id = claims.id AND hops.is_origin AND sources_10.anonymity != 'named' AND sources_11.kind = 'outlet') AS borrowed_anonymity, chain_lists.chains \nFROM claims JOIN articles ON articles.id = claims.article_id LEFT OUTER JOIN (SELECT claim_chains.claim_id AS claim_id, string_agg(claim_chains.sources, ' | ' ORDER BY claim_chains.chain) AS chains \nFROM claim_chains GROUP BY claim_id) AS chain_lists ON chain_lists.claim_id = claims.id \nWHERE claims.retracted_reason IS NULL",
        "CREATE VIEW source_claims AS SELECT sources.key AS source, sources.label, sources.kind, sources.anonymity, articles.slug AS article, claims.key AS claim, hops.chain + 1 AS chain, hops.position + 1 AS position, CASE WHEN hops.is_origin THEN 'origin' ELSE 'intermediary' END AS role \nFROM hops JOIN sources ON sources.id = hops.source_id JOIN claims ON claims.id = hops.claim_id JOIN articles ON articles.id = claims.article_id \nWHERE claims.retracted_reason IS NULL",
    ),
}
