"""What one screen shows, read in one transaction: the same values for the CLI and the web.

A screen is a plain value with `to_json()`, so the terminal renders it, `--json`
prints it, and the desk can show it, all from one read. Reading is over before
anything is rendered: no transaction is held while a person looks at a screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.audit.trail import history as entity_history
from ledger.claimview import ClaimView
from ledger.model import Article
from ledger.read.queries import ClaimFilter, claim_view, claim_views, get_article
from ledger.storage.schema import ArticleRow, ClaimRow
from ledger.text import anchoring


@dataclass(frozen=True)
class ArticleScreen:
    """`article show`: the article, its claims judged, where each quote sits, and its versions."""

    article: Article
    claims: list[ClaimView]
    anchors: dict[str, anchoring.Span]
    history: list[dict[str, Any]] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "article": self.article.model_dump(mode="json"),
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
    session: Session, slug: str, *, threshold: int, history: bool = False
) -> ArticleScreen:
    return ArticleScreen(
        article=get_article(session, slug),
        claims=claim_views(session, ClaimFilter(article=slug), threshold=threshold),
        anchors=quote_spans(session, slug),
        history=entity_history(session, "article", slug) if history else None,
    )


def claim_screen(
    session: Session, ref: str, *, threshold: int, history: bool = False
) -> ClaimScreen:
    view = claim_view(session, ref, threshold=threshold)
    return ClaimScreen(view, entity_history(session, "claim", view.ref) if history else None)


@dataclass(frozen=True)
class Coverage:
    """What of an article's text its claims cover already: a draft suggests only the rest."""

    article: Article
    spans: list[tuple[int, int]]
    keys: set[str]  # every claim's key, retracted ones too: a new claim may not take one


def article_coverage(session: Session, slug: str) -> Coverage:
    article = get_article(session, slug)
    keys = session.scalars(
        select(ClaimRow.key)
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .where(ArticleRow.slug == slug)
    )
    spans = [(span.start, span.end) for span in quote_spans(session, slug).values()]
    return Coverage(article, spans, set(keys))


def quote_spans(session: Session, slug: str) -> dict[str, anchoring.Span]:
    """Stored anchors of an article's claims, checked against the current text."""
    row = session.execute(
        select(ArticleRow.id, ArticleRow.text).where(ArticleRow.slug == slug)
    ).first()
    if row is None or row.text is None:
        return {}
    spans = {}
    for key, quote, start, end in session.execute(
        select(ClaimRow.key, ClaimRow.quote, ClaimRow.quote_start, ClaimRow.quote_end).where(
            ClaimRow.article_id == row.id, ClaimRow.quote_start.is_not(None)
        )
    ):
        if anchoring.fold_text(row.text[start:end]) == anchoring.fold_text(quote):
            spans[key] = anchoring.Span(start, end)
    return spans
