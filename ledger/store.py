"""Writing to the ledger: articles, sources, claims, chains, links and bundle imports.

Functions take the caller's session and never commit: the CLI wraps each
command in one transaction (`Database.write()`), so a command that fails half-way
leaves nothing behind. Everything a user can get wrong is checked here and
raised as a `LedgerError` naming the field or the bundle place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from ledger import anchor
from ledger.bundle import Bundle, LoadedBundle, read_article_text
from ledger.convert import article_values, source_from_row, source_values
from ledger.errors import AlreadyExists, BundleError, InvalidInput, NotFound
from ledger.model import Article, ClaimKind, Hop, Relation, Source, split_claim_ref
from ledger.schema import ArticleRow, ClaimRow, HopRow, LinkRow, SourceRow

# --- lookups -----------------------------------------------------------------------------------


def article_id(session: Session, slug: str) -> int:
    found = session.scalar(select(ArticleRow.id).where(ArticleRow.slug == slug))
    if found is None:
        raise NotFound(f"no article {slug!r} in the ledger")
    return found


def claim_id(session: Session, ref: str) -> int:
    """The id of the claim named `SLUG/KEY`."""
    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    found = session.scalar(
        select(ClaimRow.id)
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .where(ArticleRow.slug == slug, ClaimRow.key == key)
    )
    if found is None:
        raise NotFound(f"no claim {ref!r} in the ledger")
    return found


def source_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """Ids of those of `keys` that are in the ledger."""
    wanted = sorted(set(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            session.execute(
                select(SourceRow.key, SourceRow.id).where(SourceRow.key.in_(chunk))
            ).all()
        )
    return found


def _quote_problem(quote: str, text: str) -> str | None:
    """None when the quote is in the text, else a message showing the closest passage."""
    if anchor.find(quote, text) is not None:
        return None
    closest = anchor.closest_passage(quote, text)
    hint = f"; closest passage: {closest!r}" if closest else ""
    return f"quote not found in the article text{hint}"


# --- single writes -----------------------------------------------------------------------------


def add_article(session: Session, article: Article) -> int:
    if session.scalar(select(ArticleRow.id).where(ArticleRow.slug == article.slug)) is not None:
        raise AlreadyExists(f"article {article.slug!r} is already in the ledger")
    return session.execute(
        insert(ArticleRow).returning(ArticleRow.id), [article_values(article)]
    ).scalar_one()


def add_source(session: Session, source: Source) -> int:
    if source_ids(session, [source.key]):
        raise AlreadyExists(f"source {source.key!r} is already in the ledger")
    return session.execute(
        insert(SourceRow).returning(SourceRow.id), [source_values(source)]
    ).scalar_one()


@dataclass(frozen=True)
class ClaimInput:
    """What a journalist enters for one claim (the CLI's and the importer's common form)."""

    key: str
    text: str
    quote: str | None = None
    kind: ClaimKind = ClaimKind.FACT
    cue: str | None = None
    chains: Sequence[Sequence[Hop]] = field(default_factory=tuple)


def add_claim(session: Session, article_slug: str, claim: ClaimInput) -> int:
    """Add one claim with its chains; every source must exist and the quote must be in the text."""
    row = session.execute(
        select(ArticleRow.id, ArticleRow.text).where(ArticleRow.slug == article_slug)
    ).first()
    if row is None:
        raise NotFound(f"no article {article_slug!r} in the ledger")
    exists = select(ClaimRow.id).where(ClaimRow.article_id == row.id, ClaimRow.key == claim.key)
    if session.scalar(exists) is not None:
        raise AlreadyExists(f"claim {article_slug}/{claim.key} is already in the ledger")
    if claim.quote and row.text is not None and (problem := _quote_problem(claim.quote, row.text)):
        raise InvalidInput(f"--quote: {problem}")
    ids = _require_sources(session, claim.chains)
    return _insert_claims(session, row.id, [claim], ids)[claim.key]


def attribute(session: Session, ref: str, chain: Sequence[Hop]) -> int:
    """Add one more chain to a claim; returns its chain number (0-based)."""
    if not chain:
        raise InvalidInput("a chain names at least one source")
    target = claim_id(session, ref)
    ids = _require_sources(session, [chain])
    next_chain = session.scalar(
        select(func.coalesce(func.max(HopRow.chain) + 1, 0)).where(HopRow.claim_id == target)
    )
    _insert_hops(session, target, [chain], ids, first_chain=int(next_chain or 0))
    return int(next_chain or 0)


def link(session: Session, source_ref: str, relation: Relation, target_ref: str) -> None:
    """Link two claims; both must exist, differ, and not be linked that way already."""
    from_id, to_id = claim_id(session, source_ref), claim_id(session, target_ref)
    if from_id == to_id:
        raise InvalidInput(f"a claim cannot be linked to itself ({source_ref})")
    duplicate = select(LinkRow.id).where(
        LinkRow.from_claim_id == from_id,
        LinkRow.relation == relation.value,
        LinkRow.to_claim_id == to_id,
    )
    if session.scalar(duplicate) is not None:
        raise AlreadyExists(f"{source_ref} already {relation.value} {target_ref}")
    session.execute(
        insert(LinkRow),
        [{"from_claim_id": from_id, "relation": relation.value, "to_claim_id": to_id}],
    )


def _require_sources(session: Session, chains: Iterable[Sequence[Hop]]) -> dict[str, int]:
    keys = {hop.source for chain in chains for hop in chain}
    ids = source_ids(session, keys)
    missing = sorted(keys - ids.keys())
    if missing:
        raise NotFound(
            f"unknown source {missing[0]!r}: add it first with `ledger source add {missing[0]} ...`"
        )
    return ids


def _insert_claims(
    session: Session, article: int, claims: Sequence[ClaimInput], ids: dict[str, int]
) -> dict[str, int]:
    """Insert claims and their hops in bulk; returns claim key -> id."""
    if not claims:
        return {}
    rows = [
        {
            "article_id": article,
            "key": claim.key,
            "text": claim.text,
            "quote": claim.quote,
            "kind": claim.kind.value,
            "cue": claim.cue,
        }
        for claim in claims
    ]
    inserted = session.execute(
        insert(ClaimRow).returning(ClaimRow.id, ClaimRow.key, sort_by_parameter_order=True), rows
    ).all()
    claim_ids = {key: id_ for id_, key in inserted}
    hop_rows = [
        hop_row
        for claim in claims
        for hop_row in _hop_rows(claim_ids[claim.key], claim.chains, ids, first_chain=0)
    ]
    if hop_rows:
        session.execute(insert(HopRow), hop_rows)
    return claim_ids


def _hop_rows(
    claim: int, chains: Sequence[Sequence[Hop]], ids: dict[str, int], *, first_chain: int
) -> list[dict[str, object]]:
    return [
        {
            "claim_id": claim,
            "chain": first_chain + number,
            "position": position,
            "source_id": ids[hop.source],
            "is_origin": position == len(chain) - 1,
            "cue": hop.cue,
        }
        for number, chain in enumerate(chains)
        for position, hop in enumerate(chain)
    ]


def _insert_hops(
    session: Session,
    claim: int,
    chains: Sequence[Sequence[Hop]],
    ids: dict[str, int],
    *,
    first_chain: int,
) -> None:
    rows = _hop_rows(claim, chains, ids, first_chain=first_chain)
    if rows:
        session.execute(insert(HopRow), rows)


# --- bundle import -----------------------------------------------------------------------------


@dataclass
class ImportSummary:
    """What an import wrote, for the confirmation line."""

    articles: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    new_sources: int = 0
    claims: int = 0
    links: int = 0


def import_bundles(
    session: Session, bundles: Sequence[LoadedBundle], *, replace: bool = False
) -> ImportSummary:
    """Import bundles read from one file, in the caller's transaction.

    Articles, sources and claims of every bundle go in first, then the links,
    so a link may name a claim of any bundle in the same file. The caller rolls
    the whole file back if anything here raises.
    """
    summary = ImportSummary()
    prepared = [_prepare(session, loaded, replace=replace) for loaded in bundles]
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
    new_sources: list[Source]
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


def _prepare(session: Session, loaded: LoadedBundle, *, replace: bool) -> _Prepared:
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
    new_sources = _check_sources(session, loaded)
    known = {source.key for source in bundle.sources}
    cited = {hop.source for claim in bundle.claims for chain in claim.chains() for hop in chain}
    known |= source_ids(session, cited).keys()
    seen_claims: set[str] = set()
    for index, claim in enumerate(bundle.claims):
        if claim.key in seen_claims:
            raise BundleError(f"{where(f'claims[{index}].key')}: duplicate claim key {claim.key!r}")
        seen_claims.add(claim.key)
        for chain_no, chain in enumerate(claim.chains()):
            for position, hop in enumerate(chain):
                if hop.source not in known:
                    place = f"claims[{index}].attributions[{chain_no}][{position}]"
                    raise BundleError(f"{where(place)}: unknown source {hop.source!r}")
        if claim.quote and text is not None and (problem := _quote_problem(claim.quote, text)):
            raise BundleError(f"{where(f'claims[{index}].quote')}: {problem}")
    return _Prepared(loaded, text, new_sources, existing_article)


def _check_sources(session: Session, loaded: LoadedBundle) -> list[Source]:
    """Sources the bundle defines that are new; a redefinition must match the ledger exactly."""
    sources = loaded.bundle.sources
    seen: set[str] = set()
    for index, source in enumerate(sources):
        if source.key in seen:
            raise BundleError(
                f"{loaded.where(f'sources[{index}].key')}: duplicate source key {source.key!r}"
            )
        seen.add(source.key)
    rows = {
        row.key: row
        for row in session.scalars(select(SourceRow).where(SourceRow.key.in_(seen or {""})))
    }
    new = []
    for index, source in enumerate(sources):
        row = rows.get(source.key)
        if row is None:
            new.append(source)
            continue
        stored = source_from_row(row)
        if stored != source:
            field_name = next(
                name
                for name in Source.model_fields
                if getattr(stored, name) != getattr(source, name)
            )
            raise BundleError(
                f"{loaded.where(f'sources[{index}].{field_name}')}: source {source.key!r} is already "
                f"in the ledger with {field_name} {getattr(stored, field_name)!r}, "
                f"not {getattr(source, field_name)!r} (leave it out to use the ledger's)"
            )
    return new


def _write_bundle(session: Session, item: _Prepared, summary: ImportSummary) -> None:
    bundle = item.loaded.bundle
    if item.new_sources:
        session.execute(insert(SourceRow), [source_values(source) for source in item.new_sources])
        summary.new_sources += len(item.new_sources)
    if bundle.article is None:
        return
    article = Article.model_validate(
        {**bundle.article.model_dump(exclude={"text_file", "text"}), "text": item.text}
    )
    if item.existing_article is None:
        article_row_id = add_article(session, article)
        summary.articles.append(article.slug)
        incoming = []
    else:
        article_row_id = item.existing_article
        incoming = _clear_article(session, item.loaded, article_row_id)
        values = article_values(article)
        session.execute(update(ArticleRow).where(ArticleRow.id == article_row_id).values(values))
        summary.replaced.append(article.slug)
    claims = [ClaimInput(c.key, c.text, c.quote, c.kind, c.cue, c.chains()) for c in bundle.claims]
    ids = source_ids(
        session, {hop.source for claim in claims for chain in claim.chains for hop in chain}
    )
    claim_ids = _insert_claims(session, article_row_id, claims, ids)
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
    session.execute(delete(ClaimRow).where(ClaimRow.article_id == article))
    return [(from_id, relation, key) for from_id, relation, key, _slug in incoming]


def _write_links(session: Session, item: _Prepared, summary: ImportSummary) -> None:
    bundle: Bundle = item.loaded.bundle
    if bundle.article is None or not bundle.links:
        return
    slug = bundle.article.slug
    seen: set[tuple[int, str, int]] = set()
    rows = []
    for index, link_spec in enumerate(bundle.links):
        ends = []
        for side, ref in (("from", link_spec.source_claim), ("to", link_spec.target_claim)):
            place = item.loaded.where(f"links[{index}].{side}")
            try:
                ends.append(claim_id(session, "/".join(split_claim_ref(ref, default_article=slug))))
            except (ValueError, InvalidInput) as exc:
                raise BundleError(f"{place}: {exc}") from None
            except NotFound:
                raise BundleError(f"{place}: unknown claim {ref!r}") from None
        key = (ends[0], link_spec.relation.value, ends[1])
        if ends[0] == ends[1]:
            raise BundleError(
                f"{item.loaded.where(f'links[{index}]')}: a claim cannot be linked to itself"
            )
        if key in seen:
            raise BundleError(f"{item.loaded.where(f'links[{index}]')}: duplicate link")
        seen.add(key)
        rows.append({"from_claim_id": ends[0], "relation": key[1], "to_claim_id": ends[1]})
    session.execute(insert(LinkRow), rows)
    summary.links += len(rows)
