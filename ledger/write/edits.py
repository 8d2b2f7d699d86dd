"""Editing what is in the ledger. Nothing is destroyed: every version stays in the audit trail."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import InvalidInput
from ledger.model import Article, Source
from ledger.read.names import no_article, no_source
from ledger.storage.rows import source_from_row, source_values
from ledger.storage.schema import ArticleRow, ClaimRow, SourceRow
from ledger.write.entries import (
    anchor_values,
    article_change,
    claim_changes,
    claim_id,
    quote_problem,
)

SOURCE_EDITABLE = tuple(name for name in Source.model_fields if name not in ("key", "aliases"))
ARTICLE_EDITABLE = ("title", "outlet", "url", "published", "byline")


def edit_claim(session: Session, ref: str, changes: dict[str, object]) -> list[str]:
    """Change some of a claim's fields; returns the names of the fields that changed."""
    target = claim_id(session, ref)
    row = session.get(ClaimRow, target)
    assert row is not None
    changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
    if "text" in changed and not str(changed["text"]).strip():
        raise InvalidInput("--text: the claim's text may not be empty")
    if changed.get("quote"):
        article_text = session.scalar(
            select(ArticleRow.text).where(ArticleRow.id == row.article_id)
        )
        if article_text is not None and (
            problem := quote_problem(str(changed["quote"]), article_text)
        ):
            raise InvalidInput(f"--quote: {problem}")
    if not changed:
        return []
    values = dict(changed)
    if "quote" in changed:
        article_text = session.scalar(
            select(ArticleRow.text).where(ArticleRow.id == row.article_id)
        )
        values.update(anchor_values(changed["quote"], article_text))  # type: ignore[arg-type]
    session.execute(update(ClaimRow).where(ClaimRow.id == target).values(values))
    trail.record(session, claim_changes(session, "claim.edit", [target]))
    return sorted(changed)


def retract_claim(session: Session, ref: str, reason: str) -> None:
    """Mark a claim retracted: it leaves the editor's queries but stays in history."""
    if not reason.strip():
        raise InvalidInput("--reason: say why the claim is retracted")
    target = claim_id(session, ref)
    if session.scalar(select(ClaimRow.retracted_reason).where(ClaimRow.id == target)) is not None:
        raise InvalidInput(f"claim {ref} is already retracted")
    session.execute(
        update(ClaimRow)
        .where(ClaimRow.id == target)
        .values(retracted_reason=reason.strip(), retracted_at=func.now())
    )
    trail.record(session, claim_changes(session, "claim.retract", [target]))


def edit_source(session: Session, key: str, changes: dict[str, object]) -> list[str]:
    """Change some of a source's fields (validated as a whole); returns the changed names."""
    from ledger.read.sourcekeys import canonical_key, resolve_aliases, speaks_for_graph
    from ledger.write.parties import check_speaks_for, refresh_parties
    from ledger.write.validation import validated

    key = canonical_key(session, key)
    row = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if row is None:
        raise no_source(session, key)
    current = source_from_row(row)
    updated = validated(
        Source, {**current.model_dump(), **changes}, names={"anonymity_reason": "--reason"}
    )
    if "speaks_for" in changes and updated.speaks_for is not None:
        target = resolve_aliases(session, [updated.speaks_for]).get(
            updated.speaks_for, updated.speaks_for
        )
        graph = speaks_for_graph(session)
        graph.pop(key, None)
        check_speaks_for(
            graph,
            key,
            target,
            place="speaks_for",
            exists=lambda other: session.scalar(select(SourceRow.id).where(SourceRow.key == other))
            is not None,
        )
        updated = updated.model_copy(update={"speaks_for": target})
    changed = [name for name in SOURCE_EDITABLE if getattr(updated, name) != getattr(current, name)]
    if not changed:
        return []
    values = source_values(updated)
    session.execute(
        update(SourceRow).where(SourceRow.id == row.id).values({n: values[n] for n in changed})
    )
    if "speaks_for" in changed:
        refresh_parties(session)
    trail.record(session, [Change("source.edit", "source", key, states.source_state(updated))])
    return changed


def edit_article(session: Session, slug: str, changes: dict[str, object]) -> list[str]:
    """Change an article's descriptive fields (its text changes through a re-import)."""
    from ledger.storage.rows import article_from_row
    from ledger.write.validation import validated

    row = session.scalar(select(ArticleRow).where(ArticleRow.slug == slug))
    if row is None:
        raise no_article(session, slug)
    current = article_from_row(row)
    updated = validated(Article, {**current.model_dump(), **changes})
    changed = [
        name for name in ARTICLE_EDITABLE if getattr(updated, name) != getattr(current, name)
    ]
    if not changed:
        return []
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == row.id)
        .values({n: getattr(updated, n) for n in changed})
    )
    trail.record(session, [article_change("article.edit", updated)])
    return changed
