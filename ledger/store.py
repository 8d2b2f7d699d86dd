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

from ledger import anchor, audit, states
from ledger.audit import Change
from ledger.bundle import Bundle, LoadedBundle, read_article_text
from ledger.convert import article_values, source_from_row, source_values
from ledger.errors import AlreadyExists, BundleError, InvalidInput, NotFound
from ledger.model import Article, ClaimKind, Hop, Relation, Source, split_claim_ref
from ledger.schema import ArticleRow, ArticleVersionRow, ClaimRow, HopRow, LinkRow, SourceRow

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


def anchor_values(quote: str | None, text: str | None) -> dict[str, object]:
    """The anchor columns of a claim whose quote is found in the text (else all None)."""
    found = anchor.anchor_quote(quote, text) if quote and text is not None else None
    if found is None:
        return {"quote_start": None, "quote_end": None, "quote_prefix": None, "quote_suffix": None}
    return {
        "quote_start": found.start,
        "quote_end": found.end,
        "quote_prefix": found.prefix,
        "quote_suffix": found.suffix,
    }


def _quote_problem(quote: str, text: str) -> str | None:
    """None when the quote is in the text, else a message showing the closest passage."""
    if anchor.find(quote, text) is not None:
        return None
    closest = anchor.closest_passage(quote, text)
    hint = f"; closest passage: {closest!r}" if closest else ""
    return f"quote not found in the article text{hint}"


# --- single writes -----------------------------------------------------------------------------


def add_article(session: Session, article: Article, *, action: str = "article.add") -> int:
    if session.scalar(select(ArticleRow.id).where(ArticleRow.slug == article.slug)) is not None:
        raise AlreadyExists(f"article {article.slug!r} is already in the ledger")
    values = article_values(article)
    new_id = session.execute(insert(ArticleRow).returning(ArticleRow.id), [values]).scalar_one()
    record_text_version(session, new_id, values["text_sha256"])
    audit.record(session, [article_change(action, article)])
    return new_id


def record_text_version(session: Session, article: int, sha256: str | None) -> None:
    """Keep the hash of every text an article has had (a new hash is a new version)."""
    if sha256 is None:
        return
    last = session.execute(
        select(ArticleVersionRow.version, ArticleVersionRow.text_sha256)
        .where(ArticleVersionRow.article_id == article)
        .order_by(ArticleVersionRow.version.desc())
        .limit(1)
    ).first()
    if last is not None and last.text_sha256 == sha256:
        return
    version = 1 if last is None else last.version + 1
    session.execute(
        insert(ArticleVersionRow),
        [{"article_id": article, "version": version, "text_sha256": sha256}],
    )


def add_source(session: Session, source: Source) -> int:
    if source_ids(session, [source.key]):
        raise AlreadyExists(f"source {source.key!r} is already in the ledger")
    new_id = session.execute(
        insert(SourceRow).returning(SourceRow.id), [source_values(source)]
    ).scalar_one()
    audit.record(session, [Change("source.add", "source", source.key, states.source_state(source))])
    return new_id


def article_change(action: str, article: Article) -> Change:
    return Change(action, "article", article.slug, states.article_state(article), article.slug)


def claim_changes(session: Session, action: str, claim_ids: Sequence[int]) -> list[Change]:
    """Changes carrying the claims' states as the rows now hold them."""
    return [
        Change(action, "claim", ref, state, state["article"])
        for ref, state in states.claim_states(session, list(claim_ids)).values()
    ]


@dataclass(frozen=True)
class ClaimInput:
    """What a journalist enters for one claim (the CLI's and the importer's common form)."""

    key: str
    text: str
    quote: str | None = None
    kind: ClaimKind = ClaimKind.FACT
    cue: str | None = None
    chains: Sequence[Sequence[Hop]] = field(default_factory=tuple)
    notes: str | None = None


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
    return _insert_claims(
        session, row.id, article_slug, [claim], ids, action="claim.add", text=row.text
    )[claim.key]


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
    audit.record(session, claim_changes(session, "claim.attribute", [target]))
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
    audit.record(session, [_link_change("link.add", source_ref, relation.value, target_ref)])


def _link_change(
    action: str, source_ref: str, relation: str, target_ref: str, *, deleted: bool = False
) -> Change:
    key = states.link_key(source_ref, relation, target_ref)
    state = None if deleted else states.link_state(source_ref, relation, target_ref)
    return Change(action, "link", key, state, source_ref.partition("/")[0])


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
    session: Session,
    article: int,
    article_slug: str,
    claims: Sequence[ClaimInput],
    ids: dict[str, int],
    *,
    action: str,
    text: str | None,
) -> dict[str, int]:
    """Insert claims and their hops in bulk, with their events; returns claim key -> id."""
    if not claims:
        return {}
    rows = [
        {
            **anchor_values(claim.quote, text),
            "article_id": article,
            "key": claim.key,
            "text": claim.text,
            "quote": claim.quote,
            "kind": claim.kind.value,
            "cue": claim.cue,
            "notes": claim.notes,
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
    audit.record(
        session,
        [
            Change(
                action,
                "claim",
                f"{article_slug}/{claim.key}",
                states.claim_state(
                    article=article_slug,
                    key=claim.key,
                    text=claim.text,
                    quote=claim.quote,
                    kind=claim.kind.value,
                    cue=claim.cue,
                    chains=[[(hop.source, hop.cue) for hop in chain] for chain in claim.chains],
                    notes=claim.notes,
                ),
                article_slug,
            )
            for claim in claims
        ],
    )
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
        audit.record(
            session,
            [Change("import", "source", s.key, states.source_state(s)) for s in item.new_sources],
        )
        summary.new_sources += len(item.new_sources)
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
        audit.record(session, [article_change("import.replace", article)])
        summary.replaced.append(article.slug)
    claims = [
        ClaimInput(c.key, c.text, c.quote, c.kind, c.cue, c.chains(), c.notes)
        for c in bundle.claims
    ]
    ids = source_ids(
        session, {hop.source for claim in claims for chain in claim.chains for hop in chain}
    )
    action = "import" if item.existing_article is None else "import.replace"
    claim_ids = _insert_claims(
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
    audit.record(session, changes)


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
    audit.record(
        session,
        [
            _link_change(
                "import",
                "/".join(split_claim_ref(spec.source_claim, default_article=slug)),
                spec.relation.value,
                "/".join(split_claim_ref(spec.target_claim, default_article=slug)),
            )
            for spec in bundle.links
        ],
    )
    summary.links += len(rows)


# --- edits: nothing is destroyed, every version stays in the audit trail ----------------------

CLAIM_EDITABLE = ("text", "quote", "kind", "cue", "notes")
SOURCE_EDITABLE = tuple(name for name in Source.model_fields if name != "key")
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
            problem := _quote_problem(str(changed["quote"]), article_text)
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
    audit.record(session, claim_changes(session, "claim.edit", [target]))
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
    audit.record(session, claim_changes(session, "claim.retract", [target]))


def edit_source(session: Session, key: str, changes: dict[str, object]) -> list[str]:
    """Change some of a source's fields (validated as a whole); returns the changed names."""
    from ledger.validation import validated

    row = session.scalar(select(SourceRow).where(SourceRow.key == key))
    if row is None:
        raise NotFound(f"no source {key!r} in the ledger")
    current = source_from_row(row)
    updated = validated(
        Source, {**current.model_dump(), **changes}, names={"anonymity_reason": "--reason"}
    )
    changed = [name for name in SOURCE_EDITABLE if getattr(updated, name) != getattr(current, name)]
    if not changed:
        return []
    values = source_values(updated)
    session.execute(
        update(SourceRow).where(SourceRow.id == row.id).values({n: values[n] for n in changed})
    )
    audit.record(session, [Change("source.edit", "source", key, states.source_state(updated))])
    return changed


def edit_article(session: Session, slug: str, changes: dict[str, object]) -> list[str]:
    """Change an article's descriptive fields (its text changes through a re-import)."""
    from ledger.convert import article_from_row
    from ledger.validation import validated

    row = session.scalar(select(ArticleRow).where(ArticleRow.slug == slug))
    if row is None:
        raise NotFound(f"no article {slug!r} in the ledger")
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
    audit.record(session, [article_change("article.edit", updated)])
    return changed
