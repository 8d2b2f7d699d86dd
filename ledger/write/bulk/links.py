"""Links of a streaming import: resolved in bulk, forward links kept for the end."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, insert, or_, select
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.errors import BundleError
from ledger.model import split_claim_ref
from ledger.storage.schema import ArticleRow, ClaimRow, LinkRow
from ledger.wording import excerpt
from ledger.write import entries
from ledger.write.bulk.state import CHUNK, Pending, State
from ledger.write.bundle import LoadedBundle


def link_specs(loaded: LoadedBundle, slug: str) -> list[Pending]:
    """The bundle's links with both ends as (slug, key); a malformed reference is an error now."""
    specs = []
    for index, spec in enumerate(loaded.bundle.links):
        ends = []
        for side, ref in (("from", spec.source_claim), ("to", spec.target_claim)):
            try:
                ends.append(split_claim_ref(ref, default_article=slug))
            except ValueError as exc:
                raise BundleError(f"{loaded.where(f'links[{index}].{side}')}: {exc}") from None
        specs.append(Pending(loaded, index, (ends[0], ends[1]), spec.relation.value))
    return specs


def _claim_ids(
    session: Session, refs: set[tuple[str, str]], local: dict[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """(slug, key) -> claim id for those of `refs` in the ledger; `local` holds the batch's own.

    Other claims are looked up by (article id, key), the unique index of claims,
    with an OR of pairs: both engines answer it with one index probe per pair
    (a row-value IN would scan claims on SQLite).
    """
    found = {ref: local[ref] for ref in refs if ref in local}
    rest = refs - found.keys()
    slugs = sorted({slug for slug, _ in rest})
    articles: dict[str, int] = {}
    for start in range(0, len(slugs), CHUNK):
        chunk = slugs[start : start + CHUNK]
        rows = session.execute(
            select(ArticleRow.slug, ArticleRow.id).where(ArticleRow.slug.in_(chunk))
        )
        articles.update(rows.all())
    slug_of = {article_id: slug for slug, article_id in articles.items()}
    pairs = sorted((articles[slug], key) for slug, key in rest if slug in articles)
    for start in range(0, len(pairs), CHUNK // 2):
        chunk = pairs[start : start + CHUNK // 2]
        condition = or_(*(and_(ClaimRow.article_id == a, ClaimRow.key == k) for a, k in chunk))
        rows = session.execute(
            select(ClaimRow.article_id, ClaimRow.key, ClaimRow.id).where(condition)
        )
        found.update(((slug_of[article_id], key), claim) for article_id, key, claim in rows)
    return found


def write_links(
    session: Session,
    specs: Sequence[Pending],
    state: State,
    *,
    final: bool,
    local: dict[tuple[str, str], int] | None = None,
) -> None:
    """Write the links whose ends are known; keep the others for the end, or fail at the end."""
    ids = _claim_ids(session, {end for spec in specs for end in spec.ends}, local or {})
    rows, changes = [], []
    seen: set[tuple[int, str, int]] = set()
    for spec in specs:
        place = spec.loaded.where(f"links[{spec.index}]")
        missing = [
            (side, end)
            for side, end in zip(("from", "to"), spec.ends, strict=True)
            if end not in ids
        ]
        if missing:
            if not final:
                state.pending.append(spec)
                continue
            side, (slug, key) = missing[0]
            raise BundleError(f"{place}.{side}: unknown claim {excerpt(slug + '/' + key)}")
        key = (ids[spec.ends[0]], spec.relation, ids[spec.ends[1]])
        if key[0] == key[2]:
            raise BundleError(f"{place}: a claim cannot be linked to itself")
        if key in seen:
            raise BundleError(f"{place}: duplicate link")
        seen.add(key)
        rows.append({"from_claim_id": key[0], "relation": key[1], "to_claim_id": key[2]})
        refs = ["/".join(end) for end in spec.ends]
        changes.append(entries.link_change("import", refs[0], spec.relation, refs[1]))
    if rows:
        session.execute(insert(LinkRow), rows)
        trail.record(session, changes)
        state.summary.links += len(rows)
