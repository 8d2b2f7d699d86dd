"""Links of an import: both ends resolved in bulk; a link to a claim not yet written waits.

A bundle's links are written once every claim of its batch is in, so a link
may name a claim of any bundle of the file; the JSON Lines importer keeps a
link whose end is a claim of a later line (`PendingLink`) and writes it when
that claim is in, or refuses it at the end of the file.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger.audit import trail
from ledger.audit.trail import Change
from ledger.errors import BundleError
from ledger.model import split_claim_ref
from ledger.storage.driver import rows_by_keys, rows_by_pairs
from ledger.storage.schema import ArticleRow, ClaimRow, LinkRow
from ledger.wording import excerpt
from ledger.write.bundle import LoadedBundle
from ledger.write.entries import link_change

CHUNK = 500  # keys per IN (...) list: well under every engine's parameter limit


class PendingLink(NamedTuple):
    """A link of a bundle, its ends as (slug, key), waiting for both ends to be claims."""

    loaded: LoadedBundle
    index: int
    ends: tuple[tuple[str, str], tuple[str, str]]
    refs: tuple[str, str]  # the ends as the bundle wrote them
    relation: str
    action: str


def link_specs(loaded: LoadedBundle, action: str) -> list[PendingLink]:
    """The bundle's links with both ends as (slug, key) (well-formed: `ledger.write.checked`)."""
    article = loaded.bundle.article
    if article is None:
        return []
    specs = []
    for index, spec in enumerate(loaded.bundle.links):
        refs = (spec.source_claim, spec.target_claim)
        ends = [split_claim_ref(ref, default_article=article.slug) for ref in refs]
        specs.append(
            PendingLink(loaded, index, (ends[0], ends[1]), refs, spec.relation.value, action)
        )
    return specs


def write_links(
    session: Session,
    specs: Sequence[PendingLink],
    local: Mapping[tuple[str, str], int],
    *,
    final: bool,
    fresh: Collection[int] = (),
    events: list[tuple[PendingLink, Change]] | None = None,
) -> tuple[int, list[PendingLink]]:
    """Write the links whose ends are claims, but those the ledger holds already; returns how
    many were written, and (unless `final`: then a missing end is an error) the others.

    `fresh` are ids of claims this transaction wrote: no link from them can be in the
    ledger yet, so the ledger is not asked. With `events`, each written link's audit event
    is appended there with its spec, in the specs' order, for the caller to record with its
    own (one append to the trail).
    """
    ids = _claim_ids(session, {end for spec in specs for end in spec.ends}, local)
    rows: list[dict[str, object]] = []
    changes: list[tuple[PendingLink, Change]] = []
    pending: list[PendingLink] = []
    seen: set[tuple[int, int, str, int]] = set()
    for spec in specs:
        place = spec.loaded.where(f"links[{spec.index}]")
        missing = [
            (side, ref)
            for side, end, ref in zip(("from", "to"), spec.ends, spec.refs, strict=True)
            if end not in ids
        ]
        if missing:
            if not final:
                pending.append(spec)
                continue
            side, ref = missing[0]
            raise BundleError(f"{place}.{side}: unknown claim {excerpt(ref)}")
        key = (ids[spec.ends[0]], spec.relation, ids[spec.ends[1]])
        if key[0] == key[2]:
            raise BundleError(f"{place}: a claim cannot be linked to itself")
        if (id(spec.loaded), *key) in seen:
            raise BundleError(f"{place}: duplicate link")
        seen.add((id(spec.loaded), *key))
        rows.append({"from_claim_id": key[0], "relation": key[1], "to_claim_id": key[2]})
        refs = ["/".join(end) for end in spec.ends]
        changes.append((spec, link_change(spec.action, refs[0], spec.relation, refs[1])))
    present = _present_links(session, [row for row in rows if row["from_claim_id"] not in fresh])
    written = []
    for row, change in zip(rows, changes, strict=True):
        link = (row["from_claim_id"], row["relation"], row["to_claim_id"])
        if link not in present:  # kept across a replace, merged, or given twice in the batch
            present.add(link)
            written.append((row, change))
    if written:
        session.execute(insert(LinkRow), [row for row, _change in written])
        if events is None:
            trail.record(session, [change for _row, (_spec, change) in written])
        else:
            events += [change for _row, change in written]
    return len(written), pending


def _claim_ids(
    session: Session, refs: set[tuple[str, str]], local: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    """(slug, key) -> claim id for those of `refs` in the ledger; `local` holds those known.

    Other claims are looked up by (article id, key), the unique index of claims,
    with an OR of pairs (`rows_by_pairs`): one index probe per pair on both engines.
    """
    found = {ref: local[ref] for ref in refs if ref in local}
    rest = refs - found.keys()
    articles = article_ids(session, [slug for slug, _ in rest])
    slug_of = {article_id: slug for slug, article_id in articles.items()}
    pairs = sorted((articles[slug], key) for slug, key in rest if slug in articles)
    for start in range(0, len(pairs), CHUNK // 2):
        chunk = pairs[start : start + CHUNK // 2]
        rows = rows_by_pairs(
            session,
            ClaimRow.__tablename__,
            ("article_id", "key", "id"),
            ("article_id", "key"),
            chunk,
        )
        found.update(((slug_of[article_id], key), claim) for article_id, key, claim in rows)
    return found


def _present_links(session: Session, rows: list[dict[str, object]]) -> set[tuple[int, str, int]]:
    """Those of the links that the ledger holds already."""
    claims = sorted({row["from_claim_id"] for row in rows})  # type: ignore[type-var]
    found: set[tuple[int, str, int]] = set()
    for start in range(0, len(claims), CHUNK):
        chunk = claims[start : start + CHUNK]
        held = session.execute(
            select(LinkRow.from_claim_id, LinkRow.relation, LinkRow.to_claim_id).where(
                LinkRow.from_claim_id.in_(chunk)
            )
        )
        found.update((a, b, c) for a, b, c in held)
    return found


def article_ids(session: Session, slugs: Sequence[str]) -> dict[str, int]:
    """slug -> id of those of the articles in the ledger."""
    wanted = sorted(set(slugs))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = rows_by_keys(session, ArticleRow.__tablename__, ("slug", "id"), "slug", chunk)
        found.update((slug, id_) for slug, id_ in rows)
    return found
