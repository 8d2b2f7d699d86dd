"""The questions of one claim, one article or one source: SQL text run by a `Reader`.

These are what an editor types all day (`claim show`, `article show`,
`claims --article X`), so they are asked through `ledger.storage.reader`, which
on a SQLite file needs nothing but `sqlite3`: a fresh process answers about as
fast as a `sqlite-utils query` would. The claims found are judged by the one
read path, `ledger.read.gather`. Ledger-wide questions, which need the SQL form
of the rules, are in `ledger.read.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger import rules
from ledger.claimview import ArticleView, ClaimView, split_claim_ref
from ledger.errors import NotFound
from ledger.read import gather
from ledger.read.names import no_article, no_claim
from ledger.read.sourcekeys import canonical_key
from ledger.storage.reader import first, reader_of, scalar

if TYPE_CHECKING:
    from ledger.storage.reader import Readable, Reader


@dataclass(frozen=True)
class ClaimFilter:
    """The editor's query; every given criterion must hold (they combine with AND)."""

    article: str | None = None
    source: str | None = None
    uncorroborated: bool = False
    anonymous_only: bool = False
    contradicted: bool = False
    include_retracted: bool = False

    @property
    def scoped(self) -> bool:
        """Limited to an article or a source: a few hundred claims, judged in Python."""
        return self.article is not None or self.source is not None

    def accepts(self, verdict: rules.Verdict) -> bool:
        return (
            (not self.uncorroborated or verdict.uncorroborated)
            and (not self.anonymous_only or verdict.anonymous_only)
            and (not self.contradicted or verdict.contradicted)
        )


def article_id(db: Readable, slug: str) -> int:
    reader = reader_of(db)
    found = scalar(reader, "SELECT id FROM articles WHERE slug = :slug", {"slug": slug})
    if found is None:
        raise no_article(reader, slug)
    return int(found)


def claim_conditions(db: Readable, criteria: ClaimFilter) -> tuple[list[str], dict[str, Any]]:
    """The structural criteria (article, source, retraction) as SQL conditions on claim `c`,
    with their parameters: what `claim_ids` asks, and the ledger-wide questions narrow."""
    reader = reader_of(db)
    where: list[str] = []
    params: dict[str, Any] = {}
    if not criteria.include_retracted:
        where.append("c.retracted_reason IS NULL")
    if criteria.article is not None:
        where.append("c.article_id = :article")
        params["article"] = article_id(reader, criteria.article)
    if criteria.source is not None:
        key = canonical_key(reader, criteria.source)
        where.append(
            "c.id IN (SELECT h.claim_id FROM hops h JOIN sources s ON h.source_id = s.id"
            " WHERE s.key = :source)"
        )
        params["source"] = key
    return where, params


def where_clause(conditions: Sequence[str]) -> str:
    """` WHERE a AND b`, or nothing when there is no condition."""
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def claim_ids(db: Readable, criteria: ClaimFilter) -> list[int]:
    """The ids of the claims matching the structural criteria (article, source, retraction)."""
    reader = reader_of(db)
    where, params = claim_conditions(reader, criteria)
    return [
        row[0] for row in reader.rows(f"SELECT c.id FROM claims c{where_clause(where)}", params)
    ]


def judged(
    db: Readable,
    ids: Sequence[int],
    *,
    threshold: int,
    accept: Any = None,
    include_retracted: bool = False,
) -> list[ClaimView]:
    """The claims `ids` names, judged, in article then entry order; those `accept` takes."""
    return gather.claim_views(
        reader_of(db).rows,
        ids,
        threshold=threshold,
        accept=accept or (lambda _verdict: True),
        include_retracted=include_retracted,
    )


def claim_views(
    db: Readable, criteria: ClaimFilter = ClaimFilter(), *, threshold: int = 2
) -> list[ClaimView]:
    """Every claim matching `criteria`, judged by the rules, in article then entry order."""
    reader = reader_of(db)
    return judged(
        reader,
        claim_ids(reader, criteria),
        threshold=threshold,
        accept=criteria.accepts,
        include_retracted=criteria.include_retracted,
    )


def claim_view(db: Readable, ref: str, *, threshold: int = 2) -> ClaimView:
    """One claim, named `SLUG/KEY`."""
    reader = reader_of(db)
    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    found = scalar(
        reader,
        "SELECT c.id FROM claims c JOIN articles a ON c.article_id = a.id"
        " WHERE a.slug = :slug AND c.key = :key",
        {"slug": slug, "key": key},
    )
    views = judged(reader, [found], threshold=threshold) if found is not None else []
    if not views:
        raise no_claim(reader, ref)
    return views[0]


ARTICLE_COLUMNS = "slug, title, outlet, url, published, byline, text, text_sha256"


def get_article(db: Readable, slug: str) -> ArticleView:
    reader = reader_of(db)
    row = first(
        reader, f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE slug = :slug", {"slug": slug}
    )
    if row is None:
        raise no_article(reader, slug)
    return article_view(row)


def article_view(row: Sequence[Any]) -> ArticleView:
    """An `ArticleView` from a row of `ARTICLE_COLUMNS` (SQLite keeps dates as text)."""
    slug, title, outlet, url, published, byline, text, text_sha256 = row
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return ArticleView(slug, title, outlet, url, published, byline, text, text_sha256)


@dataclass(frozen=True)
class ArticleSummary:
    article: ArticleView
    claims: int

    def to_json(self) -> dict[str, Any]:
        """The article's fields without its text, and its number of claims (`article list --json`)."""
        return {**self.article.to_json(text=False), "claims": self.claims}


def list_articles(db: Readable) -> list[ArticleSummary]:
    """Every article, by slug, with its number of claims (retracted ones included)."""
    columns = ", ".join(f"a.{name}" for name in ARTICLE_COLUMNS.split(", "))
    statement = (
        f"SELECT {columns}, COALESCE(n.claims, 0) FROM articles a LEFT JOIN"
        " (SELECT article_id, COUNT(*) AS claims FROM claims GROUP BY article_id) n"
        " ON n.article_id = a.id ORDER BY a.slug"
    )
    return [
        ArticleSummary(article_view(row[:-1]), int(row[-1]))
        for row in reader_of(db).rows(statement)
    ]


def article_claim_keys(reader: Reader, slug: str) -> set[str]:
    """Every claim key of an article, retracted ones too (a new claim may not take one)."""
    statement = (
        "SELECT c.key FROM claims c JOIN articles a ON c.article_id = a.id WHERE a.slug = :slug"
    )
    return {row[0] for row in reader.rows(statement, {"slug": slug})}
