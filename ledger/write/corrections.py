"""Corrected article texts: re-anchoring every quote, and refusing to guess.

When a published article is corrected (or silently edited), each claim's quote
must be found again. An exact match, after folding, moves the anchoring. Anything
else (no match, or several that the surrounding words cannot tell apart)
orphans the claim: the update then writes nothing until the journalist picks
one of the candidate passages (`--accept KEY=N`) for every orphan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.errors import InvalidInput
from ledger.read.names import no_article
from ledger.storage.rows import article_from_row, text_sha256
from ledger.storage.schema import ArticleRow, ArticleVersionRow, ClaimRow
from ledger.text import anchoring
from ledger.text.anchoring import Anchor, Reanchoring
from ledger.wording import excerpt


@dataclass(frozen=True)
class ClaimAnchoring:
    key: str
    quote: str
    result: Reanchoring
    accepted: int | None = None  # the candidate number the journalist chose, if any

    @property
    def outcome(self) -> str:
        return "accepted" if self.accepted is not None else self.result.outcome


@dataclass
class TextUpdate:
    """What a corrected text does to an article's claims; written only when nothing is orphaned."""

    slug: str
    old_sha256: str | None
    new_sha256: str
    version: int
    claims: list[ClaimAnchoring] = field(default_factory=list)
    written: bool = False

    @property
    def changed(self) -> bool:
        return self.old_sha256 != self.new_sha256

    @property
    def orphaned(self) -> list[ClaimAnchoring]:
        return [claim for claim in self.claims if claim.outcome == "orphaned"]

    def to_json(self) -> dict[str, Any]:
        """`article update --json`: each claim's outcome, with the candidate passages to choose from."""
        return {
            "article": self.slug,
            "changed": self.changed,
            "written": self.written,
            "version": self.version if self.written else None,
            "claims": [
                {
                    "key": claim.key,
                    "outcome": claim.outcome,
                    "reason": claim.result.reason,
                    "candidates": [
                        {"number": number, "passage": found.passage, "similarity": found.ratio}
                        for number, found in enumerate(claim.result.candidates, start=1)
                    ],
                }
                for claim in self.claims
            ],
        }


def parse_accept(values: list[str]) -> dict[str, int]:
    """`KEY=N` options as {key: N}."""
    accepted: dict[str, int] = {}
    for value in values:
        key, _, number = value.partition("=")
        if not key or not number.isdigit() or int(number) < 1:
            raise InvalidInput(
                f"expected KEY=N (N a candidate number from 1), got {excerpt(value)}",
                field="accept",
            )
        accepted[key] = int(number)
    return accepted


def update_text(session: Session, slug: str, text: str, accepted: dict[str, int]) -> TextUpdate:
    """Re-anchor every quote in the new text; write it only if every claim is anchored."""
    row = session.scalar(select(ArticleRow).where(ArticleRow.slug == slug))
    if row is None:
        raise no_article(session, slug)
    versions = session.scalar(
        select(ArticleVersionRow.version)
        .where(ArticleVersionRow.article_id == row.id)
        .order_by(ArticleVersionRow.version.desc())
        .limit(1)
    )
    report = TextUpdate(slug, row.text_sha256, text_sha256(text), (versions or 0) + 1)
    claims = session.scalars(
        select(ClaimRow)
        .where(ClaimRow.article_id == row.id, ClaimRow.quote.is_not(None))
        .order_by(ClaimRow.id)
    ).all()
    unknown = set(accepted) - {claim.key for claim in claims}
    if unknown:
        raise InvalidInput(
            f"no quoted claim {excerpt(sorted(unknown)[0])} in {slug}", field="accept"
        )
    for claim in claims:
        old = _stored_anchor(claim, row.text)
        result = anchoring.reanchor(claim.quote, old, text)
        choice = accepted.get(claim.key)
        if choice is not None:
            if result.outcome != "orphaned":
                raise InvalidInput(
                    f"{claim.key}={choice}: that quote was found; nothing to choose",
                    field="accept",
                )
            if choice > len(result.candidates):
                raise InvalidInput(
                    f"{claim.key}={choice}: there are {len(result.candidates)} candidates",
                    field="accept",
                )
        report.claims.append(ClaimAnchoring(claim.key, claim.quote, result, choice))
    if report.orphaned or not report.changed:
        return report
    _write(session, row, text, claims, report)
    return report


def _stored_anchor(claim: ClaimRow, text: str | None) -> Anchor | None:
    if claim.quote_start is not None and claim.quote_end is not None:
        return Anchor(
            claim.quote_start, claim.quote_end, claim.quote_prefix or "", claim.quote_suffix or ""
        )
    return anchoring.anchor_quote(claim.quote, text) if text and claim.quote else None


def _write(
    session: Session, row: ArticleRow, text: str, claims: list[ClaimRow], report: TextUpdate
) -> None:
    from ledger.write.entries import article_change, claim_changes, record_text_version

    by_key = {claim.key: claim for claim in claims}
    requoted = []
    for item in report.claims:
        found = item.result.anchor
        values: dict[str, object] = {}
        if item.accepted is not None:
            candidate = item.result.candidates[item.accepted - 1]
            found = anchoring.anchor_at(anchoring.Span(candidate.start, candidate.end), text)
            values["quote"] = text[candidate.start : candidate.end]
            requoted.append(by_key[item.key].id)
        assert found is not None
        values.update(
            quote_start=found.start,
            quote_end=found.end,
            quote_prefix=found.prefix,
            quote_suffix=found.suffix,
        )
        session.execute(update(ClaimRow).where(ClaimRow.id == by_key[item.key].id).values(values))
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == row.id)
        .values(text=text, text_sha256=report.new_sha256)
    )
    record_text_version(session, row.id, report.new_sha256)
    session.refresh(row)
    trail.record(session, [article_change("article.update", article_from_row(row))])
    trail.record(session, claim_changes(session, "article.update", requoted))
    report.written = True
