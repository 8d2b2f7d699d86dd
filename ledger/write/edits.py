"""Editing what is in the ledger. Nothing is destroyed: every version stays in the audit trail."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import InvalidInput, NotFound
from ledger.model import Article, Relation, Source
from ledger.read.names import no_article, no_source
from ledger.storage.rows import source_from_row, source_values
from ledger.storage.schema import ArticleRow, ClaimRow, HopRow, LinkRow, SourceRow
from ledger.wording import excerpt, join_words, plural
from ledger.write.entries import (
    anchor_values,
    article_change,
    claim_changes,
    claim_id,
    link_change,
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
        raise InvalidInput("the claim's text may not be empty", field="text")
    if changed.get("quote"):
        article_text = session.scalar(
            select(ArticleRow.text).where(ArticleRow.id == row.article_id)
        )
        if article_text is not None and (
            problem := quote_problem(str(changed["quote"]), article_text)
        ):
            raise InvalidInput(problem, field="quote")
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
        raise InvalidInput("say why the claim is retracted", field="reason")
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
        Source, {**current.model_dump(), **changes}, names={"anonymity_reason": "reason"}
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
            exists=lambda other: (
                session.scalar(select(SourceRow.id).where(SourceRow.key == other)) is not None
            ),
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


# --- undoing a mistake: each removal is an audited event, and the earlier state stays in it -----


def unattribute(session: Session, ref: str, number: int) -> tuple[list[str], int]:
    """Remove chain `number` (1-based, as a claim's chains are shown) from a claim.

    The chains after it move up one place, so that the numbers shown stay
    1, 2, 3…; returns the source keys of the chain removed and how many are left.
    """
    target = claim_id(session, ref)
    chains = list(
        session.scalars(
            select(HopRow.chain).where(HopRow.claim_id == target).distinct().order_by(HopRow.chain)
        )
    )
    if not 1 <= number <= len(chains):
        has = plural(len(chains), "chain") if chains else "no chain"
        raise InvalidInput(f"claim {ref} has {has}: there is no chain {number}")
    removed = chains[number - 1]
    keys = list(
        session.scalars(
            select(SourceRow.key)
            .join(HopRow, HopRow.source_id == SourceRow.id)
            .where(HopRow.claim_id == target, HopRow.chain == removed)
            .order_by(HopRow.position)
        )
    )
    session.execute(delete(HopRow).where(HopRow.claim_id == target, HopRow.chain == removed))
    for place, chain in enumerate(chains[number:], start=number - 1):  # one at a time, in order:
        session.execute(  # no two chains ever share a number, on any engine
            update(HopRow)
            .where(HopRow.claim_id == target, HopRow.chain == chain)
            .values(chain=place)
        )
    trail.record(session, claim_changes(session, "claim.unattribute", [target]))
    return keys, len(chains) - 1


def unlink(session: Session, source_ref: str, relation: Relation, target_ref: str) -> None:
    """Remove the link `source_ref relation target_ref`; it must exist."""
    from_id, to_id = claim_id(session, source_ref), claim_id(session, target_ref)
    found = session.scalar(
        select(LinkRow.id).where(
            LinkRow.from_claim_id == from_id,
            LinkRow.relation == relation.value,
            LinkRow.to_claim_id == to_id,
        )
    )
    if found is None:
        others = list(
            session.scalars(
                select(LinkRow.relation)
                .where(LinkRow.from_claim_id == from_id, LinkRow.to_claim_id == to_id)
                .order_by(LinkRow.relation)
            )
        )
        linked = f" (it {join_words(others)} it)" if others else ""
        verb = relation.value.removesuffix("s")
        raise NotFound(f"no link: {source_ref} does not {verb} {target_ref}{linked}")
    session.execute(delete(LinkRow).where(LinkRow.id == found))
    trail.record(
        session,
        [link_change("link.remove", source_ref, relation.value, target_ref, deleted=True)],
    )


def source_uses(session: Session, key: str) -> list[str]:
    """Where a source is used, in words: claims that cite it, sources that speak for it,
    merged keys, its sealed identity, clearances, waivers. Empty: nothing uses it."""
    from ledger.storage.schema import (
        ClearanceRow,
        SealedIdentityRow,
        SourceAliasRow,
        WaiverRow,
    )

    source = session.scalar(select(SourceRow.id).where(SourceRow.key == key))
    if source is None:
        raise no_source(session, key)
    uses: list[str] = []
    refs = list(
        session.scalars(
            select(ArticleRow.slug + "/" + ClaimRow.key)
            .join(ClaimRow, ClaimRow.article_id == ArticleRow.id)
            .where(ClaimRow.id.in_(select(HopRow.claim_id).where(HopRow.source_id == source)))
            .order_by(ArticleRow.slug, ClaimRow.id)
        )
    )
    if refs:
        shown = ", ".join(refs[:3]) + (", …" if len(refs) > 3 else "")
        uses.append(f"{plural(len(refs), 'claim')} cite it ({shown})")
    speakers = list(
        session.scalars(
            select(SourceRow.key).where(SourceRow.speaks_for == key).order_by(SourceRow.key)
        )
    )
    if speakers:
        uses.append(f"{join_words(speakers)} {'speaks' if len(speakers) == 1 else 'speak'} for it")
    aliases = list(session.scalars(select(SourceAliasRow.key).where(SourceAliasRow.source == key)))
    if aliases:
        uses.append(f"merged keys point to it ({', '.join(sorted(aliases))})")
    if session.scalar(
        select(SealedIdentityRow.source_id).where(SealedIdentityRow.source_id == source)
    ):
        uses.append("it has a sealed identity")
    cleared = session.scalar(
        select(func.count()).select_from(ClearanceRow).where(ClearanceRow.source_id == source)
    )
    if cleared:
        uses.append(f"{plural(int(cleared), 'clearance')} name it")
    waived = list(
        session.scalars(
            select(WaiverRow.code).where(
                (WaiverRow.subject == key)  # or one of LS401's two: DUPLICATE,KEEP
                | WaiverRow.subject.startswith(f"{key},", autoescape=True)
                | WaiverRow.subject.endswith(f",{key}", autoescape=True)
            )
        )
    )
    if waived:
        uses.append(f"findings on it are waived ({', '.join(sorted(waived))})")
    return uses


def delete_source(session: Session, key: str) -> None:
    """Delete a source that nothing uses (a mistyped key); refuse, saying where, otherwise."""
    uses = source_uses(session, key)
    if uses:
        raise InvalidInput(f"source {excerpt(key)} is in use: {'; '.join(uses)}")
    session.execute(delete(SourceRow).where(SourceRow.key == key))
    trail.record(session, [Change("source.delete", "source", key, None)])
