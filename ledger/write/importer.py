"""Importing bundles: every check first, then one write, so a bad file leaves nothing behind.

The caller owns the transaction (`Database.write()`); everything that can be
checked before writing is checked in `_prepare`, and every fault is reported at
its place in the file (`claims[12].attributions[0][1]`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import BundleError
from ledger.model import Article, Source, split_claim_ref
from ledger.storage.rows import article_values
from ledger.storage.schema import ArticleRow, ClaimRow, LinkRow
from ledger.write.bundle import Bundle, LoadedBundle, read_article_text
from ledger.write.entries import (
    ClaimInput,
    add_article,
    article_change,
    claim_ids,
    insert_claims,
    link_change,
    quote_problem,
    record_text_version,
    source_ids,
)
from ledger.write.sourcedefs import Definition, SourcePlan, plan_sources, write_sources


@dataclass
class ImportSummary:
    """What an import wrote, for the confirmation line."""

    articles: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    new_sources: int = 0
    claims: int = 0
    links: int = 0
    new_source_keys: list[str] = field(default_factory=list)


def import_bundles(
    session: Session, bundles: Sequence[LoadedBundle], *, replace: bool = False
) -> ImportSummary:
    """Import bundles read from one file, in the caller's transaction.

    Articles, sources and claims of every bundle go in first, then the links,
    so a link may name a claim of any bundle in the same file, and a bundle may
    cite a source an earlier bundle of the file defines. The caller rolls the
    whole file back if anything here raises.
    """
    summary = ImportSummary()
    earlier: dict[str, Source] = {}  # sources defined by the file's earlier bundles
    prepared = []
    for loaded in bundles:
        prepared.append(_prepare(session, loaded, replace=replace, earlier=earlier))
        earlier.update((source.key, source) for source in loaded.bundle.sources)
    _check_unique_articles(prepared)
    for item in prepared:
        _write_bundle(session, item, summary)
    for item in prepared:
        _write_links(session, item, summary)
    return summary


@dataclass
class _Prepared:
    loaded: LoadedBundle
    text: str | None
    sources: SourcePlan
    existing_article: int | None


def _check_unique_articles(prepared: Sequence[_Prepared]) -> None:
    seen: set[str] = set()
    for item in prepared:
        article = item.loaded.bundle.article
        if article is None:
            continue
        if article.slug in seen:
            raise BundleError(
                f"{item.loaded.where('article.slug')}: article {article.slug!r} appears twice in the file"
            )
        seen.add(article.slug)


def _prepare(
    session: Session, loaded: LoadedBundle, *, replace: bool, earlier: dict[str, Source]
) -> _Prepared:
    """Check everything that can be checked before writing this bundle."""
    bundle = loaded.bundle
    where = loaded.where
    text = read_article_text(loaded)
    existing_article = None
    if bundle.article is not None:
        existing_article = session.scalar(
            select(ArticleRow.id).where(ArticleRow.slug == bundle.article.slug)
        )
        if existing_article is not None and not replace:
            raise BundleError(
                f"{where('article.slug')}: article {bundle.article.slug!r} is already in the ledger "
                "(use --replace to replace it)"
            )
    cited = {hop.source for claim in bundle.claims for chain in claim.chains() for hop in chain}
    sources = _check_sources(session, loaded, earlier, cited)
    known = {source.key for source in bundle.sources} | earlier.keys()
    known |= source_ids(session, {sources.resolve(key) for key in cited}).keys()
    seen_claims: set[str] = set()
    for index, claim in enumerate(bundle.claims):
        if claim.key in seen_claims:
            raise BundleError(f"{where(f'claims[{index}].key')}: duplicate claim key {claim.key!r}")
        seen_claims.add(claim.key)
        for chain_no, chain in enumerate(claim.chains()):
            for position, hop in enumerate(chain):
                if sources.resolve(hop.source) not in known:
                    place = f"claims[{index}].attributions[{chain_no}][{position}]"
                    raise BundleError(f"{where(place)}: unknown source {hop.source!r}")
        if claim.quote and text is not None and (problem := quote_problem(claim.quote, text)):
            raise BundleError(f"{where(f'claims[{index}].quote')}: {problem}")
    return _Prepared(loaded, text, sources, existing_article)


def _check_sources(
    session: Session, loaded: LoadedBundle, earlier: dict[str, Source], cited: set[str]
) -> SourcePlan:
    """The bundle's source definitions checked (see `ledger.write.sourcedefs`)."""
    seen: set[str] = set()
    for index, source in enumerate(loaded.bundle.sources):
        if source.key in seen:
            raise BundleError(
                f"{loaded.where(f'sources[{index}].key')}: duplicate source key {source.key!r}"
            )
        seen.add(source.key)
    definitions = [
        Definition(loaded, index, source) for index, source in enumerate(loaded.bundle.sources)
    ]
    return plan_sources(session, definitions, cited=cited, earlier=earlier)


def _write_bundle(session: Session, item: _Prepared, summary: ImportSummary) -> None:
    bundle = item.loaded.bundle
    summary.new_sources += write_sources(session, item.sources)
    summary.new_source_keys.extend(source.key for source in item.sources.new)
    if bundle.article is None:
        return
    article = Article.model_validate(
        {**bundle.article.model_dump(exclude={"text_file", "text"}), "text": item.text}
    )
    if item.existing_article is None:
        article_row_id = add_article(session, article, action="import")
        summary.articles.append(article.slug)
        incoming = []
    else:
        article_row_id = item.existing_article
        incoming = _clear_article(session, item.loaded, article_row_id)
        values = article_values(article)
        session.execute(update(ArticleRow).where(ArticleRow.id == article_row_id).values(values))
        record_text_version(session, article_row_id, values["text_sha256"])
        trail.record(session, [article_change("import.replace", article)])
        summary.replaced.append(article.slug)
    resolve = item.sources.resolve
    claims = [
        ClaimInput(
            c.key,
            c.text,
            c.quote,
            c.kind,
            c.cue,
            [
                [hop.model_copy(update={"source": resolve(hop.source)}) for hop in chain]
                for chain in c.chains()
            ],
            c.notes,
        )
        for c in bundle.claims
    ]
    ids = source_ids(
        session, {hop.source for claim in claims for chain in claim.chains for hop in chain}
    )
    action = "import" if item.existing_article is None else "import.replace"
    claim_ids = insert_claims(
        session, article_row_id, article.slug, claims, ids, action=action, text=item.text
    )
    summary.claims += len(claims)
    if incoming:
        session.execute(
            insert(LinkRow),
            [
                {"from_claim_id": from_id, "relation": relation, "to_claim_id": claim_ids[key]}
                for from_id, relation, key in incoming
            ],
        )


def _clear_article(
    session: Session, loaded: LoadedBundle, article: int
) -> list[tuple[int, str, str]]:
    """Remove an article's claims before --replace re-enters them.

    Links from other articles to this one survive the replacement: they are
    returned as (from claim id, relation, target key) to be re-made once the
    claims are back. A claim that another article links to must therefore keep
    its key in the new bundle, or that link would be lost without anyone deciding so.
    """
    target, origin = aliased(ClaimRow), aliased(ClaimRow)
    incoming = session.execute(
        select(LinkRow.from_claim_id, LinkRow.relation, target.key, ArticleRow.slug)
        .join(target, LinkRow.to_claim_id == target.id)
        .join(origin, LinkRow.from_claim_id == origin.id)
        .join(ArticleRow, ArticleRow.id == origin.article_id)
        .where(target.article_id == article, origin.article_id != article)
    ).all()
    keep = {claim.key for claim in loaded.bundle.claims}
    for _from_id, _relation, key, other_slug in incoming:
        if key not in keep:
            raise BundleError(
                f"{loaded.where('claims')}: claim {key!r} is linked from article {other_slug!r}; "
                "keep it in the bundle or remove that link first"
            )
    _record_clearing(session, loaded, article, keep)
    session.execute(delete(ClaimRow).where(ClaimRow.article_id == article))
    return [(from_id, relation, key) for from_id, relation, key, _slug in incoming]


def _record_clearing(session: Session, loaded: LoadedBundle, article: int, keep: set[str]) -> None:
    """Events for what --replace removes: outgoing links, and claims the new bundle drops."""
    assert loaded.bundle.article is not None
    slug = loaded.bundle.article.slug
    outgoing = states.iter_link_states(session, from_article_id=article)
    changes = [
        Change("import.replace", "link", key, None, slug)
        for _entity, key, _state, _slug in outgoing
    ]
    dropped = session.scalars(
        select(ClaimRow.key).where(
            ClaimRow.article_id == article, ClaimRow.key.not_in(keep or {""})
        )
    )
    changes += [Change("import.replace", "claim", f"{slug}/{key}", None, slug) for key in dropped]
    trail.record(session, changes)


def _write_links(session: Session, item: _Prepared, summary: ImportSummary) -> None:
    bundle: Bundle = item.loaded.bundle
    if bundle.article is None or not bundle.links:
        return
    slug = bundle.article.slug
    ends: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for index, link_spec in enumerate(bundle.links):
        pair = []
        for side, ref in (("from", link_spec.source_claim), ("to", link_spec.target_claim)):
            try:
                pair.append(split_claim_ref(ref, default_article=slug))
            except ValueError as exc:
                raise BundleError(f"{item.loaded.where(f'links[{index}].{side}')}: {exc}") from None
        ends.append((pair[0], pair[1]))
    ids = claim_ids(session, {end for pair in ends for end in pair})
    seen: set[tuple[int, str, int]] = set()
    rows = []
    for index, (link_spec, pair) in enumerate(zip(bundle.links, ends, strict=True)):
        for side, end, ref in zip(
            ("from", "to"), pair, (link_spec.source_claim, link_spec.target_claim), strict=True
        ):
            if end not in ids:
                raise BundleError(
                    f"{item.loaded.where(f'links[{index}].{side}')}: unknown claim {ref!r}"
                )
        key = (ids[pair[0]], link_spec.relation.value, ids[pair[1]])
        if key[0] == key[2]:
            raise BundleError(
                f"{item.loaded.where(f'links[{index}]')}: a claim cannot be linked to itself"
            )
        if key in seen:
            raise BundleError(f"{item.loaded.where(f'links[{index}]')}: duplicate link")
        seen.add(key)
        rows.append({"from_claim_id": key[0], "relation": key[1], "to_claim_id": key[2]})
    session.execute(insert(LinkRow), rows)
    trail.record(
        session,
        [
            link_change("import", "/".join(source), spec.relation.value, "/".join(target))
            for spec, (source, target) in zip(bundle.links, ends, strict=True)
        ],
    )
    summary.links += len(rows)
