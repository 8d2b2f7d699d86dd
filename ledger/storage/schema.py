"""The relational schema: SQLAlchemy 2.x typed ORM tables.

Migrations in `migrations/` must describe exactly these tables (a test compares
them). Constraint names come from one naming convention so that later
migrations can refer to them on every engine.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: list[str], *, nullable: bool = False) -> str:
    allowed = ", ".join(f"'{value}'" for value in values)
    check = f"{column} IN ({allowed})"
    return f"{column} IS NULL OR {check}" if nullable else check


SOURCE_KINDS = ["person", "organization", "outlet", "document", "recording", "unknown"]
ANONYMITIES = ["named", "pseudonym", "anonymous", "unknown"]
KNOWLEDGE = ["direct", "secondhand", "unknown"]
GROUND_RULES = ["on-record", "background", "deep-background", "off-record"]
CLAIM_KINDS = ["fact", "opinion"]
RELATIONS = ["corroborates", "contradicts", "refines"]
CLEARANCE_KINDS = ["knows", "approved"]
KEY = String(200).with_variant(String(200, collation="C"), "postgresql")
"""A key or a slug: compared by code point, as Python sorts them, on both engines (SQLite's
BINARY; on PostgreSQL the "C" collation, whatever the database's, since schema 0016)."""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(KEY, unique=True)
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    byline: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ClaimRow.id"
    )

    __table_args__ = (
        CheckConstraint("(text IS NULL) = (text_sha256 IS NULL)", name="text_hash_with_text"),
    )


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(KEY, unique=True)
    label: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    anonymity: Mapped[str] = mapped_column(String(20))
    anonymity_reason: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)
    knowledge: Mapped[str | None] = mapped_column(String(20))
    motive: Mapped[str | None] = mapped_column(Text)
    ground_rules: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    # Fields a `--public` output may carry for an unnamed source (DESIGN.md extension,
    # `Source.publishable`): a JSON list of field names, NULL for none.
    publishable: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The source on whose behalf this one speaks (DESIGN.md `speaks_for`), by key.
    speaks_for: Mapped[str | None] = mapped_column(KEY, ForeignKey("sources.key"), index=True)
    # The end of the `speaks_for` path when it is another source (NULL: the source
    # is its own party). Derived from `speaks_for` by every write that changes it,
    # so that the SQL form of the rules counts parties without walking paths.
    party: Mapped[str | None] = mapped_column(KEY, index=True)

    __table_args__ = (
        CheckConstraint(_one_of("kind", SOURCE_KINDS), name="kind"),
        CheckConstraint(_one_of("anonymity", ANONYMITIES), name="anonymity"),
        CheckConstraint(_one_of("knowledge", KNOWLEDGE, nullable=True), name="knowledge"),
        CheckConstraint(_one_of("ground_rules", GROUND_RULES, nullable=True), name="ground_rules"),
    )


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(KEY)
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="fact")
    cue: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)
    # Where the quote stands in the article text (W3C Web Annotation: a text
    # position selector, and a quote selector's prefix and suffix). Derived from
    # the text and the quote, so not part of the audited state.
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)
    quote_prefix: Mapped[str | None] = mapped_column(Text)
    quote_suffix: Mapped[str | None] = mapped_column(Text)
    retracted_reason: Mapped[str | None] = mapped_column(Text)
    retracted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    article: Mapped[ArticleRow] = relationship(back_populates="claims")
    hops: Mapped[list[HopRow]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        order_by="(HopRow.chain, HopRow.position)",
    )

    __table_args__ = (
        UniqueConstraint("article_id", "key", name="uq_claims_article_id_key"),
        CheckConstraint(_one_of("kind", CLAIM_KINDS), name="kind"),
    )


class HopRow(Base):
    """One source in one attribution chain of a claim.

    A chain exists only through its hops, so an empty chain cannot be stored.
    `is_origin` marks the last hop of its chain; chains are written whole and
    never edited in place, so the flag cannot drift from the positions.
    """

    __tablename__ = "hops"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    chain: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"))
    is_origin: Mapped[bool] = mapped_column(default=False)
    cue: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[ClaimRow] = relationship(back_populates="hops")
    source: Mapped[SourceRow] = relationship()

    __table_args__ = (
        CheckConstraint("chain >= 0", name="chain_not_negative"),
        CheckConstraint("position >= 0", name="position_not_negative"),
        Index("ix_hops_source_id_is_origin", "source_id", "is_origin"),
        # The origins of a claim without reading its rows: what the SQL rules probe.
        Index("ix_hops_claim_id_is_origin_source_id", "claim_id", "is_origin", "source_id"),
    )


class LinkRow(Base):
    __tablename__ = "links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(20))
    to_claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (
        UniqueConstraint(
            "from_claim_id", "relation", "to_claim_id", name="uq_links_from_relation_to"
        ),
        CheckConstraint(_one_of("relation", RELATIONS), name="relation"),
        CheckConstraint("from_claim_id <> to_claim_id", name="not_to_itself"),
    )


class EventRow(Base):
    """One entry of the audit trail: a hash-chained record of one change.

    `at` is kept as the exact ISO-8601 text that was hashed, so that reading
    it back can never alter what the hash covers. `article` names the article
    an event concerns (for `ledger log --article`). `db_role` is the database
    role that wrote the event (PostgreSQL's `current_user`; NULL on SQLite),
    beside the actor the writer asserted. `format` says what the hash covers:
    1 (events written before schema 0009) every column but `article` and
    `db_role`, which `verify` derives and requires empty instead; 2 every column.
    """

    __tablename__ = "events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(20))
    entity_key: Mapped[str] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(String(200), index=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    format: Mapped[int] = mapped_column(SmallInteger, server_default="1")
    db_role: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("seq >= 1", name="seq_positive"),
        Index("ix_events_entity_entity_key", "entity", "entity_key"),
    )


class MerkleNodeRow(Base):
    """One perfect subtree of the RFC 6962 Merkle tree over the events' hashes.

    The node at `level`, `idx` covers events idx·2^level + 1 to (idx+1)·2^level
    (level 0: one event, whose leaf is SHA-256(0x00 ‖ the event's 32-byte hash)).
    A node is written once, by the transaction that appends its last event,
    and never changes: checkpoints and proofs read O(log n) of them.
    """

    __tablename__ = "merkle_nodes"

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))

    __table_args__ = (
        CheckConstraint("level >= 0 AND idx >= 0", name="position"),
        {"sqlite_with_rowid": False},
    )


class LedgerInfoRow(Base):
    """Facts about the ledger itself; `origin` names it in its checkpoints, once and for good."""

    __tablename__ = "ledger_info"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class _VerdictShapeCount:
    """A verdict shape and how many live claims have it: the key and count of a tally row."""

    fact: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    support: Mapped[int] = mapped_column(Integer, primary_key=True)
    anonymous_only: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    contradicted: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    chain_flag: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    claims: Mapped[int] = mapped_column(Integer)


class ClaimTallyRow(_VerdictShapeCount, Base):
    """How many live claims of an article share one verdict shape: kind, support (the
    number of independent parties behind them) and the flags the threshold does not
    decide (`chain_flag`: a single intermediary or borrowed anonymity). Derived, not
    recorded: every write refreshes the rows of the articles it touched (`ledger.read.tallies`), so that ledger-wide figures for any threshold are a
    sum over a few rows per article instead of the rules asked of every claim.
    """

    __tablename__ = "claim_tallies"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )


class ClaimShapeRow(Base):
    """One live claim's verdict shape, as `claim_tallies` counts it. Derived, not recorded:
    kept so that a write which only adds can take the old shapes of the few claims it
    touched off their articles' tallies and put the new ones on (`ledger.read.tallies`),
    instead of counting every claim of every article it reached."""

    __tablename__ = "claim_shapes"

    claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True
    )
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    fact: Mapped[bool] = mapped_column(Boolean)
    support: Mapped[int] = mapped_column(Integer)
    anonymous_only: Mapped[bool] = mapped_column(Boolean)
    contradicted: Mapped[bool] = mapped_column(Boolean)
    chain_flag: Mapped[bool] = mapped_column(Boolean)
    single_intermediary: Mapped[bool] = mapped_column(Boolean)
    borrowed_anonymity: Mapped[bool] = mapped_column(Boolean)
    """`chain_flag`'s two flags apart, so that a claim's flags are counted from this row (the
    desk ranks its flagged claims by them)."""
    fixed_flags: Mapped[int] = mapped_column(Integer)
    """How many of its flags no threshold decides (anonymous only, contradicted, single
    intermediary, borrowed anonymity): with `fact` and `support`, its flags and status at
    any threshold."""
    slug: Mapped[str] = mapped_column(KEY)
    claim_key: Mapped[str] = mapped_column(KEY)
    """Its article's slug and its own key (neither ever changes), so that the desk's sorted
    pages of flagged claims are read in order from an index (`ledger.read.flagged`)."""


def _shape_order_indexes() -> None:
    """The indexes of `claim_shapes` that give the desk's flagged claims in order: by status
    or flags, a claim's cell (fact, support, the flags no threshold decides) then ledger
    order; by article or claim key (either way; ties in ledger order), that order then the
    cell, which says whether the claim is flagged. Migration 0017 makes them."""
    row = ClaimShapeRow
    cell = (row.fact, row.support, row.fixed_flags)
    Index("ix_claim_shapes_cell_slug", *cell, row.slug, row.claim_id)
    Index("ix_claim_shapes_slug", row.slug, row.claim_id, *cell)
    Index("ix_claim_shapes_slug_desc", row.slug.desc(), row.claim_id, *cell)
    Index("ix_claim_shapes_claim_key", row.claim_key, row.slug, row.claim_id, *cell)
    Index("ix_claim_shapes_claim_key_desc", row.claim_key.desc(), row.slug, row.claim_id, *cell)


_shape_order_indexes()


class LedgerTallyRow(_VerdictShapeCount, Base):
    """How many live claims of the whole ledger share one verdict shape: `claim_tallies`
    summed over the articles, kept by the same writes, so that the ledger's figures (the
    desk's overview after every write) are read from a row per shape."""

    __tablename__ = "ledger_tallies"


class SealedIdentityRow(Base):
    """A source's confidential details, encrypted (AES-256-GCM) under the newsroom key.

    Only ciphertext is stored: the plaintext never touches the database, its
    journal or the audit trail. `key_id` names the key that sealed it, so a
    wrong key is recognised before any decryption is attempted.
    """

    __tablename__ = "sealed_identities"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    key_id: Mapped[str] = mapped_column(String(32))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SourceAliasRow(Base):
    """A key merged into another source (`ledger source merge DUPLICATE KEEP`).

    The alias resolves to `source` wherever a key is accepted. `label` keeps the
    label the duplicate was entered under, so a merge loses nothing.
    """

    __tablename__ = "source_aliases"

    key: Mapped[str] = mapped_column(KEY, primary_key=True)
    source: Mapped[str] = mapped_column(
        KEY, ForeignKey("sources.key", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LabelSignatureRow(Base):
    """A signature a source's or an alias's label meets others at (`ledger.text.labels`),
    with the source's description, each kept as a digest (only their equality is asked,
    and PostgreSQL indexes no row of more than about 2,700 bytes). Derived, not recorded:
    kept by the writes (`ledger.read.label_signatures`) so that the probable duplicates of
    a few sources are found without folding every label."""

    __tablename__ = "label_signatures"
    __table_args__ = (
        Index(
            "ix_label_signatures_signature_digest_description_digest",
            "signature_digest",
            "description_digest",
        ),
    )

    signature_digest: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    description_digest: Mapped[str | None] = mapped_column(String(32))
    """The digest of the source's description (an alias's source's): sources under one
    label whose descriptions differ are never duplicates, so the index finds the few that
    may be."""


class WaiverRow(Base):
    """A standards finding an editor has accepted (`ledger waive CODE SUBJECT --reason …`).

    `code` and `subject` are a finding's, as `ledger check --json` gives them: a
    check code and a claim (`SLUG/KEY`) or a source key. No foreign key: a
    subject names either kind; the writes that remove a claim or a source
    remove or refuse its waivers themselves, with events. `waived_at` is the
    ISO-8601 text recorded in the audit trail, kept exactly.
    """

    __tablename__ = "waivers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(420), index=True)
    reason: Mapped[str] = mapped_column(Text)
    waived_by: Mapped[str] = mapped_column(Text)
    waived_at: Mapped[str] = mapped_column(String(40))

    __table_args__ = (UniqueConstraint("code", "subject", name="uq_waivers_code_subject"),)


class ClearanceRow(Base):
    """Who knows an unnamed source's identity, and who approved using the source."""

    __tablename__ = "clearances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    on: Mapped[dt.date] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(_one_of("kind", CLEARANCE_KINDS), name="kind"),
        UniqueConstraint("source_id", "kind", "name", name="uq_clearances_source_kind_name"),
    )


class ArticleVersionRow(Base):
    """Every version of an article's text, by hash: a silent edit shows as a new hash."""

    __tablename__ = "article_versions"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_sha256: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
