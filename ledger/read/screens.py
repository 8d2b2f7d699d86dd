"""What one screen shows, read in one transaction: the same values for the CLI and the web.

A screen is a plain value with `to_json()`, so the terminal renders it, `--json`
prints it, and the desk can show it, all from one read. Reading is over before
anything is rendered: no transaction is held while a person looks at a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.audit.events import history as entity_history
from ledger.claimview import ArticleView, ClaimView
from ledger.read.scoped import (
    ClaimFilter,
    article_claim_keys,
    claim_view,
    claim_views,
    get_article,
)
from ledger.storage.reader import first, reader_of
from ledger.text import anchoring

if TYPE_CHECKING:
    from ledger.storage.reader import Readable


@dataclass(frozen=True)
class ArticleScreen:
    """`article show`: the article, its claims judged, where each quote sits, and its versions."""

    article: ArticleView
    claims: list[ClaimView]
    anchors: dict[str, anchoring.Span]
    history: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "article": self.article.to_json(),
            "claims": [view.to_json() for view in self.claims],
        }
        if self.history is not None:
            data["history"] = self.history
        return data


@dataclass(frozen=True)
class ClaimScreen:
    """`claim show`: one claim judged, and its versions when asked for."""

    claim: ClaimView
    history: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        data = self.claim.to_json()
        return {**data, "history": self.history} if self.history is not None else data


def article_screen(
    db: Readable, slug: str, *, threshold: int, history: bool = False
) -> ArticleScreen:
    reader = reader_of(db)
    return ArticleScreen(
        article=get_article(reader, slug),
        claims=claim_views(reader, ClaimFilter(article=slug), threshold=threshold),
        anchors=quote_spans(reader, slug),
        history=entity_history(reader, "article", slug) if history else None,
    )


def claim_screen(db: Readable, ref: str, *, threshold: int, history: bool = False) -> ClaimScreen:
    reader = reader_of(db)
    view = claim_view(reader, ref, threshold=threshold)
    return ClaimScreen(view, entity_history(reader, "claim", view.ref) if history else None)


@dataclass(frozen=True)
class Coverage:
    """What of an article's text its claims cover already: a draft suggests only the rest."""

    article: ArticleView
    spans: list[tuple[int, int]]
    keys: set[str]  # every claim's key, retracted ones too: a new claim may not take one


def article_coverage(db: Readable, slug: str) -> Coverage:
    reader = reader_of(db)
    article = get_article(reader, slug)
    spans = [(span.start, span.end) for span in quote_spans(reader, slug).values()]
    return Coverage(article, spans, article_claim_keys(reader, slug))


def quote_spans(db: Readable, slug: str) -> dict[str, anchoring.Span]:
    """Stored anchors of an article's claims, checked against the current text."""
    reader = reader_of(db)
    row = first(reader, "SELECT id, text FROM articles WHERE slug = :slug", {"slug": slug})
    if row is None or row[1] is None:
        return {}
    article, text = row
    statement = (
        "SELECT key, quote, quote_start, quote_end FROM claims"
        " WHERE article_id = :article AND quote_start IS NOT NULL"
    )
    spans = {}
    for key, quote, start, end in reader.rows(statement, {"article": article}):
        if anchoring.fold_text(text[start:end]) == anchoring.fold_text(quote):
            spans[key] = anchoring.Span(start, end)
    return spans
