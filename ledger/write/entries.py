"""Writing to the ledger: articles, sources, claims, chains and links.

Functions take the caller's session and never commit: the library (`ledger.api`)
wraps each request in one transaction (`Database.write()`), so a command that fails half-way
leaves nothing behind. Everything a user can get wrong is checked here and
raised as a `LedgerError` naming the field or the bundle place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import AlreadyExists, InvalidInput, UnknownSource
from ledger.model import Article, ClaimKind, Hop, Relation, Source, chain_problem, split_claim_ref
from ledger.read.names import no_article, no_claim, source_keys_near
from ledger.storage.driver import insert_rows, rows_by_keys
from ledger.storage.rows import article_values, source_values
from ledger.storage.schema import (
    ArticleRow,
    ArticleVersionRow,
    ClaimRow,
    HopRow,
    LinkRow,
    SourceRow,
    utcnow,
)
from ledger.text import anchoring
from ledger.wording import control_problem, did_you_mean, excerpt

if TYPE_CHECKING:
    from ledger.write.bundle import BundleClaim


class HopPair(NamedTuple):
    """A hop as the (source, cue) pair an audit state holds; the importer's hops, their keys
    resolved (cheaper than a `Hop`, whose key the bundle model has checked already)."""

    source: str
    cue: str | None = None


Pairs = Sequence[Sequence[tuple[str, str | None]]]

# --- lookups -----------------------------------------------------------------------------------


def article_id(session: Session, slug: str) -> int:
    found = session.scalar(select(ArticleRow.id).where(ArticleRow.slug == slug))
    if found is None:
        raise no_article(session, slug)
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
        raise no_claim(session, ref)
    return found


def source_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """Ids of those of `keys` that are in the ledger."""
    wanted = sorted(set(keys))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(rows_by_keys(session, SourceRow.__tablename__, ("key", "id"), "key", chunk))
    return found


def anchor_values(quote: str | None, text: str | None) -> dict[str, object]:
    """The anchor columns of a claim whose quote is found in the text (else all None)."""
    found = anchoring.anchor_quote(quote, text) if quote and text is not None else None
    if found is None:
        return {"quote_start": None, "quote_end": None, "quote_prefix": None, "quote_suffix": None}
    return {
        "quote_start": found.start,
        "quote_end": found.end,
        "quote_prefix": found.prefix,
        "quote_suffix": found.suffix,
    }


def quote_problem(quote: str, text: str) -> str | None:
    """None when the quote is in the text, else a message showing the closest passage."""
    if anchoring.find(quote, text) is not None:
        return None
    closest = anchoring.closest_passage(quote, text)
    hint = f"; closest passage: {excerpt(closest)}" if closest else ""
    return f"quote not found in the article text{hint}"


# --- single writes -----------------------------------------------------------------------------


def add_article(session: Session, article: Article, *, action: str = "article.add") -> int:
    if session.scalar(select(ArticleRow.id).where(ArticleRow.slug == article.slug)) is not None:
        raise AlreadyExists(f"article {excerpt(article.slug)} is already in the ledger")
    values = article_values(article)
    new_id = session.execute(insert(ArticleRow).returning(ArticleRow.id), [values]).scalar_one()
    record_text_version(session, new_id, values["text_sha256"])
    trail.record(session, [article_change(action, article)])
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
    """Add one source. `speaks_for` may name a source or an alias (stored as the source)."""
    from ledger.read.sourcekeys import resolve_aliases, speaks_for_graph
    from ledger.write.parties import check_speaks_for, refresh_parties

    if source_ids(session, [source.key]):
        raise AlreadyExists(f"source {excerpt(source.key)} is already in the ledger")
    merged_into = resolve_aliases(session, [source.key, source.speaks_for or source.key])
    if source.key in merged_into:
        raise AlreadyExists(
            f"{excerpt(source.key)} is an alias of source {excerpt(merged_into[source.key])} (merged into it)"
        )
    if source.speaks_for is not None:
        target = merged_into.get(source.speaks_for, source.speaks_for)
        check_speaks_for(
            speaks_for_graph(session),
            source.key,
            target,
            place="speaks_for",
            exists=lambda key: bool(source_ids(session, [key])),
        )
        source = source.model_copy(update={"speaks_for": target})
    new_id = session.execute(
        insert(SourceRow).returning(SourceRow.id), [source_values(source)]
    ).scalar_one()
    if source.speaks_for is not None:
        refresh_parties(session)
    trail.record(session, [Change("source.add", "source", source.key, states.source_state(source))])
    return new_id


def resolve_chain_aliases(session: Session, chains: Sequence[Sequence[Hop]]) -> list[list[Hop]]:
    """The chains with every alias replaced by the source it was merged into."""
    from ledger.read.sourcekeys import resolve_aliases

    merged_into = resolve_aliases(session, {hop.source for chain in chains for hop in chain})
    return [
        [
            hop.model_copy(update={"source": merged_into[hop.source]})
            if hop.source in merged_into
            else hop
            for hop in chain
        ]
        for chain in chains
    ]


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

    def __post_init__(self) -> None:
        """Refuse a NUL in any text (typed at a prompt, or given through the library), as a
        bundle's fields are: PostgreSQL could not store it and SQLite should not."""
        for name in ("text", "quote", "cue", "notes"):
            value = getattr(self, name)
            if value is not None and (problem := control_problem(value, one_line=False)):
                raise InvalidInput(f"{name}: {problem}")


def add_claim(session: Session, article_slug: str, claim: ClaimInput) -> int:
    """Add one claim with its chains; every source must exist and the quote must be in the text."""
    row = session.execute(
        select(ArticleRow.id, ArticleRow.text).where(ArticleRow.slug == article_slug)
    ).first()
    if row is None:
        raise no_article(session, article_slug)
    exists = select(ClaimRow.id).where(ClaimRow.article_id == row.id, ClaimRow.key == claim.key)
    if session.scalar(exists) is not None:
        raise AlreadyExists(f"claim {article_slug}/{claim.key} is already in the ledger")
    if claim.quote and row.text is not None and (problem := quote_problem(claim.quote, row.text)):
        raise InvalidInput(problem, field="quote")
    resolved = resolve_chain_aliases(session, claim.chains)
    for number, (chain, as_stored) in enumerate(zip(claim.chains, resolved, strict=True), start=1):
        _check_chain(chain, as_stored, f"chain {number}")
    claim = replace(claim, chains=resolved)
    ids = _require_sources(session, claim.chains)
    anchor = anchor_values(claim.quote, row.text)
    written = write_claims(session, [ClaimEntry(row.id, claim, claim.chains, anchor)], ids)
    trail.record(session, [claim_change("claim.add", article_slug, claim, pairs(claim.chains))])
    return written[row.id, claim.key]


def attribute(session: Session, ref: str, chain: Sequence[Hop]) -> int:
    """Add one more chain to a claim; returns its chain number (0-based)."""
    if not chain:
        raise InvalidInput("a chain names at least one source")
    target = claim_id(session, ref)
    resolved = resolve_chain_aliases(session, [chain])[0]
    _check_chain(chain, resolved, "the chain")
    chain = resolved
    ids = _require_sources(session, [chain])
    next_chain = session.scalar(
        select(func.coalesce(func.max(HopRow.chain) + 1, 0)).where(HopRow.claim_id == target)
    )
    _insert_hops(session, target, [chain], ids, first_chain=int(next_chain or 0))
    trail.record(session, claim_changes(session, "claim.attribute", [target]))
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
    trail.record(session, [link_change("link.add", source_ref, relation.value, target_ref)])


def link_change(
    action: str, source_ref: str, relation: str, target_ref: str, *, deleted: bool = False
) -> Change:
    key = states.link_key(source_ref, relation, target_ref)
    state = None if deleted else states.link_state(source_ref, relation, target_ref)
    return Change(action, "link", key, state, source_ref.partition("/")[0])


def _check_chain(chain: Sequence[Hop], resolved: Sequence[Hop], place: str) -> None:
    """`chain_problem`, as entered and with aliases resolved (`[ap, associated-press]`)."""
    if problem := chain_problem([hop.source for hop in chain]):
        raise InvalidInput(f"{place}: {problem}")
    if problem := chain_problem([hop.source for hop in resolved]):
        raise InvalidInput(f"{place}: {problem}, once by an alias")


def _require_sources(session: Session, chains: Iterable[Sequence[Hop]]) -> dict[str, int]:
    keys = {hop.source for chain in chains for hop in chain}
    ids = source_ids(session, keys)
    missing = sorted(keys - ids.keys())
    if missing:
        raise UnknownSource(
            missing[0], did_you_mean(missing[0], source_keys_near(session, missing[0]))
        )
    return ids


def ensure_sources(
    session: Session, chains: Sequence[Sequence[Hop]], new_sources: Mapping[str, Source]
) -> None:
    """Add the sources a chain needs that the entry defines inline; any other missing one is refused.

    A key the ledger knows, or an alias of one (a merged key), needs nothing.
    """
    from ledger.read.sourcekeys import resolve_aliases

    needed = {hop.source for chain in chains for hop in chain}
    known = source_ids(session, needed).keys() | resolve_aliases(session, needed).keys()
    for key in sorted(needed - known):
        if key not in new_sources:
            raise UnknownSource(key, did_you_mean(key, source_keys_near(session, key)))
        add_source(session, new_sources[key])


class ClaimEntry(NamedTuple):
    """One claim to write: its article, what it says, its chains (aliases resolved), its anchor."""

    article_id: int
    claim: ClaimInput | BundleClaim
    chains: Sequence[Sequence[Hop]] | Sequence[Sequence[HopPair]]
    anchor: Mapping[str, object]


def _claim_fields(slug: str, claim: ClaimInput | BundleClaim, chains: Pairs) -> dict[str, Any]:
    return {
        "article": slug,
        "key": claim.key,
        "text": claim.text,
        "quote": claim.quote,
        "kind": claim.kind.value,
        "cue": claim.cue,
        "chains": chains,
        "notes": claim.notes,
    }


def claim_state(slug: str, claim: ClaimInput | BundleClaim, chains: Pairs) -> dict[str, Any]:
    """The claim's audit state, with `chains` (aliases resolved) as its chains."""
    return states.claim_state(**_claim_fields(slug, claim, chains))


def claim_change(action: str, slug: str, claim: ClaimInput | BundleClaim, chains: Pairs) -> Change:
    """The event of a claim written, its state as canonical text (`claim_state` written out)."""
    state = states.claim_state_text(**_claim_fields(slug, claim, chains))
    return Change(action, "claim", f"{slug}/{claim.key}", state, slug)


def pairs(chains: Sequence[Sequence[Hop]]) -> list[list[tuple[str, str | None]]]:
    """Chains of `Hop`s as the (source, cue) pairs of `claim_state`."""
    return [[(hop.source, hop.cue) for hop in chain] for chain in chains]


def write_claims(
    session: Session, entries: Sequence[ClaimEntry], source_ids: Mapping[str, int]
) -> dict[tuple[int, str], int]:
    """Insert claims (of one article or many) in one statement, then their hops in another;
    returns (article id, key) -> claim id for every claim of those articles.

    The caller records their events (`claim_change`), in the order its writes call for.
    """
    if not entries:
        return {}
    now = utcnow()
    rows = [
        {
            **entry.anchor,
            "created_at": now,
            "article_id": entry.article_id,
            "key": entry.claim.key,
            "text": entry.claim.text,
            "quote": entry.claim.quote,
            "kind": entry.claim.kind.value,
            "cue": entry.claim.cue,
            "notes": entry.claim.notes,
        }
        for entry in entries
    ]
    insert_rows(session, ClaimRow.__table__, rows)
    articles = sorted({entry.article_id for entry in entries})
    written = rows_by_keys(
        session, ClaimRow.__tablename__, ("article_id", "key", "id"), "article_id", articles
    )
    ids = {(article, key): claim for article, key, claim in written}
    hops = [
        row
        for entry in entries
        for row in _hop_rows(
            ids[entry.article_id, entry.claim.key], entry.chains, source_ids, first_chain=0
        )
    ]
    insert_rows(session, HopRow.__table__, hops)
    return ids


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
