"""The desk, the wide reads and the listings order keys and slugs by code point, whatever
the database's collation.

Python sorts strings by code point, and SQLite compares them byte by byte (BINARY), which
for UTF-8 is the same order. A PostgreSQL database created with a locale as its default
collation orders text by that locale instead: `a-c` before `ab` by code point, after it
in `en-US`, which passes over the hyphen. The ledger's key and slug columns therefore
compare by code point on PostgreSQL too (schema 0016), so every page of the desk, every
walk of the ledger by slug and every list of sources comes in the one order, and the
indexes on those columns still serve them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from ledger.api import Ledger
from ledger.model import Article, Hop, Source
from ledger.read import wide
from ledger.storage.database import Database
from ledger.storage.migrations import SCHEMA_REVISION
from ledger.write.entries import ClaimInput
from tests.conftest import ENGINES, POSTGRES_SKIP, POSTGRES_URL

KEYS = ["a-c", "ab", "a0", "a-b", "a9", "a10", "b", "a"]
"""Keys whose code-point order is not their order in `en-US` with punctuation passed over."""
LOCALE = "en-US-u-ka-shifted"
"""An ICU locale that passes over punctuation at first, as the C library's en_US does."""


@pytest.fixture(params=ENGINES)
def locale_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """An empty ledger database: a SQLite file, or a PostgreSQL database of its own whose
    default collation is `LOCALE` (dropped afterwards)."""
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    if not POSTGRES_URL:
        pytest.skip(POSTGRES_SKIP)
    name = f"ledger_test_locale_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(
            text(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'"
                f" LOCALE_PROVIDER icu ICU_LOCALE '{LOCALE}' LOCALE 'C.UTF-8'"
            )
        )
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def book(locale_db: str) -> Iterator[Ledger]:
    with Ledger.open(locale_db, create=True, actor="editor") as opened:
        for key in KEYS:
            opened.add_article(Article(slug=key, title=f"Article {key}"))
            opened.add_source(Source(key=key, label=f"source {key}", anonymity="named"))
        for key in KEYS:  # facts on one source or none: all flagged
            opened.add_claim("a", ClaimInput(key=key, text=f"claim {key}"))
            chain = [Hop(source=key)]
            opened.add_claim(key, ClaimInput(key="c", text=f"claim of {key}", chains=[chain]))
        yield opened


def test_the_database_orders_keys_as_python_does(book, locale_db):
    ordered = sorted(KEYS)
    assert [summary.article.slug for summary in book.articles()] == ordered
    assert book.source_keys() == ordered
    database = Database.open(locale_db)
    with database.read() as session:
        assert [view.slug for _id, view in wide.iter_articles(session)] == ordered
        assert [view.slug for _id, view in wide.article_page(session, 0, 100)] == ordered
        assert [item.source.key for item in wide.source_page(session, 0, 100)] == ordered
        assert [item.source.key for item in wide.iter_cited_sources(session)] == ordered
        in_ledger_order = [view.ref for view in wide.flagged_page(session, 2, limit=100)]
        first_article = [f"a/{key}" for key in KEYS] + ["a/c"]  # in the order entered
        assert in_ledger_order == [
            ref for slug in ordered for ref in (first_article if slug == "a" else [f"{slug}/c"])
        ]
        by_claim = wide.flagged_page(session, 2, sort="claim", limit=100)
        assert [view.ref for view in by_claim] == sorted(
            (view.ref for view in by_claim),
            key=lambda ref: (ref.partition("/")[2], ref.partition("/")[0]),
        )
        by_article = wide.flagged_page(session, 2, sort="article", descending=True, limit=100)
        slugs = [view.ref.partition("/")[0] for view in by_article]
        assert slugs == sorted(slugs, reverse=True)
    database.dispose()


WALKS = {
    "articles by slug": "SELECT id, slug FROM articles WHERE slug > :after ORDER BY slug LIMIT 5",
    "sources by key": "SELECT key FROM sources WHERE key > :after ORDER BY key LIMIT 5",
    "aliases by key": "SELECT key FROM source_aliases WHERE key > :after ORDER BY key LIMIT 5",
}


@pytest.mark.postgresql
def test_the_walks_by_slug_and_key_still_read_their_index_in_code_point_order(book, locale_db):
    if "://" not in locale_db:
        pytest.skip("SQLite orders by its indexes' BINARY collation already")
    database = Database.open(locale_db)
    with database.read() as session:
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a few rows: force the choice
        for name, statement in WALKS.items():
            plan = "\n".join(session.scalars(text(f"EXPLAIN {statement}"), {"after": "a"}))
            assert "Index" in plan and "Sort" not in plan, (name, plan)
    database.dispose()


@pytest.mark.postgresql
def test_a_downgrade_gives_the_columns_the_databases_collation_back(book, locale_db):
    from alembic import command

    from ledger.storage.migrations import alembic_config

    if "://" not in locale_db:
        pytest.skip("nothing changes on SQLite")
    database = Database.open(locale_db)
    collations = (
        "SELECT table_name || '.' || column_name, collation_name"
        " FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND collation_name IS NOT NULL AND table_name IN (SELECT table_name"
        " FROM information_schema.tables WHERE table_type = 'BASE TABLE') ORDER BY 1"
    )
    with database.engine.begin() as connection:
        assert dict(connection.execute(text(collations)).all()) == {
            "articles.slug": "C",
            "claim_shapes.claim_key": "C",  # the desk's copies (0017)
            "claim_shapes.slug": "C",
            "claims.key": "C",
            "source_aliases.key": "C",
            "source_aliases.source": "C",
            "sources.key": "C",
            "sources.party": "C",
            "sources.speaks_for": "C",
        }
        command.downgrade(alembic_config(connection), "0015")
        assert connection.execute(text(collations)).all() == []
        slugs = "SELECT slug FROM articles ORDER BY slug"
        assert connection.scalars(text(slugs)).all() != sorted(KEYS)  # the locale's order
        views = (
            "SELECT COUNT(*) FROM claim_flags"
            " JOIN source_claims ON source_claims.claim = claim_flags.claim"
        )
        assert connection.scalar(text(views)) > 0  # the views made again
    database.dispose()
    with Ledger.open(locale_db, create=True) as upgraded:
        assert upgraded.upgraded == ("0015", SCHEMA_REVISION)
        assert [summary.article.slug for summary in upgraded.articles()] == sorted(KEYS)
