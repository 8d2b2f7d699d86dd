"""Reading: the editor's query, one claim, one article, the lists, and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from ledger.audit.events import LogFilter
    from ledger.claimview import ArticleView, ClaimView
    from ledger.read.known import KnownLabel
    from ledger.read.queries import ArticleSummary
    from ledger.read.scoped import ClaimFilter
    from ledger.read.screens import ArticleScreen, ClaimScreen, Coverage


class Reading(LedgerBase):
    """Questions about claims and articles; each answered in one read transaction."""

    def claims(
        self,
        *,
        article: str | None = None,
        source: str | None = None,
        uncorroborated: bool = False,
        anonymous_only: bool = False,
        contradicted: bool = False,
        include_retracted: bool = False,
    ) -> list[ClaimView]:
        """The editor's query: claims judged by the rules; the criteria combine."""
        from ledger.read.scoped import ClaimFilter

        criteria = ClaimFilter(
            article=article,
            source=source,
            uncorroborated=uncorroborated,
            anonymous_only=anonymous_only,
            contradicted=contradicted,
            include_retracted=include_retracted,
        )
        return list(self.iter_claims(criteria))

    def iter_claims(self, criteria: ClaimFilter) -> Iterator[ClaimView]:
        """The editor's query as a stream: over the whole ledger, memory stays flat.

        The read transaction lasts as long as the iteration: consume it promptly.
        """
        from ledger.read.queries import iter_claim_views

        with self.reading() as reader:
            yield from iter_claim_views(reader, criteria, threshold=self.threshold)

    def claim(self, ref: str) -> ClaimView:
        """One claim, named `SLUG/KEY`."""
        return self.claim_screen(ref).claim

    def claim_screen(self, ref: str, *, history: bool = False) -> ClaimScreen:
        """One claim judged, with its recorded versions when `history` is asked for."""
        from ledger.read.screens import claim_screen

        with self.reading() as reader:
            return claim_screen(reader, ref, threshold=self.threshold, history=history)

    def articles(self) -> list[ArticleSummary]:
        """Every article with its number of claims."""
        from ledger.read.scoped import list_articles

        with self.reading() as reader:
            return list_articles(reader)

    def article(self, slug: str) -> ArticleView:
        """One article as the ledger holds it."""
        from ledger.read.scoped import get_article

        with self.reading() as reader:
            return get_article(reader, slug)

    def article_screen(self, slug: str, *, history: bool = False) -> ArticleScreen:
        """An article with its claims judged and each quote's place in the text."""
        from ledger.read.screens import article_screen

        with self.reading() as reader:
            return article_screen(reader, slug, threshold=self.threshold, history=history)

    def coverage(self, slug: str) -> Coverage:
        """What of an article's text its claims cover already (for drafting the rest)."""
        from ledger.read.screens import article_coverage

        with self.reading() as reader:
            return article_coverage(reader, slug)

    def known_labels(self) -> list[KnownLabel]:
        """Every source key and alias with its label, folded for matching names in a text."""
        from ledger.read.known import known_labels

        with self.database.read() as session:
            return known_labels(session)

    def events(self, criteria: LogFilter | None = None) -> Iterator[dict[str, Any]]:
        """The audit trail, oldest first, as a stream (`ledger log`)."""
        from ledger.audit.events import LogFilter, iter_events

        with self.reading() as reader:
            yield from iter_events(reader, criteria or LogFilter())

    def keys_starting(self, kind: str, prefix: str) -> list[str]:
        """Slugs, claim refs or source keys that begin with `prefix` (shell completion)."""
        from ledger.read.completion import keys_starting

        with self.reading() as reader:
            return keys_starting(reader, kind, prefix)
