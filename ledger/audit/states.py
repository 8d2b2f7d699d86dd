"""Entity states as the audit trail records them, built from input values or from rows.

Writes build the state of what they wrote; `verify` builds the state of what
the rows hold now. Both go through the functions here, so the two can only
differ when the rows were changed behind the ledger's back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from json.encoder import encode_basestring as json_string  # what json.dumps uses for str
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, literal, select
from sqlalchemy.orm import Session, aliased

from ledger.model import Article, Source
from ledger.storage.rows import text_sha256
from ledger.storage.schema import ArticleRow, ClaimRow, HopRow, LinkRow, SourceRow

ARTICLE_STATE_FIELDS = ("slug", "title", "outlet", "url", "published", "byline")
SOURCE_STATE_FIELDS = tuple(name for name in Source.model_fields if name != "aliases")
BATCH = 5000

StateRow = tuple[str, str, dict[str, Any], str | None]  # entity, key, state, article slug

# Fields added after the audit trail began: left out of a state while unset, so
# that the states recorded before they existed still match the rows.
LATER_FIELDS = ("notes", "speaks_for", "publishable")


def _settled(state: dict[str, Any]) -> dict[str, Any]:
    for name in LATER_FIELDS:
        if name in state and state[name] is None:
            del state[name]
    return state


def article_state(article: Article) -> dict[str, Any]:
    data = article.model_dump(mode="json", include=set(ARTICLE_STATE_FIELDS))
    data["text_sha256"] = text_sha256(article.text) if article.text is not None else None
    return data


def source_state(source: Source) -> dict[str, Any]:
    """A source's own fields; its aliases are entities of their own (`alias_state`)."""
    return _settled(source.model_dump(mode="json", exclude={"aliases"}))


def alias_state(alias: str, source: str, label: str | None) -> dict[str, Any]:
    """A key merged into `source`, with the label it was entered under."""
    return {"alias": alias, "source": source, "label": label}


Chains = Sequence[Sequence[tuple[str, str | None]]]
"""A claim's attribution chains: per chain, (source key, cue) nearest source first."""

CLAIM_STATE_COLUMNS = (
    ArticleRow.slug,
    ClaimRow.key,
    ClaimRow.text,
    ClaimRow.quote,
    ClaimRow.kind,
    ClaimRow.cue,
    ClaimRow.retracted_reason,
    ClaimRow.notes,
)
"""The columns a claim's state is read from (claims joined to articles), in the order of
`ClaimState`'s fields: a row of them and the claim's chains make its `ClaimState`."""


class ClaimState(NamedTuple):
    """A claim's fields as the audit trail records them: what writes wrote, or what
    `verify` reads from the rows (`CLAIM_STATE_COLUMNS`, then the chains)."""

    article: str
    key: str
    text: str
    quote: str | None
    kind: str
    cue: str | None
    retracted: str | None = None
    notes: str | None = None
    chains: Chains = ()


def claim_state(**fields: Any) -> dict[str, Any]:
    """The state a write records for a claim; `fields` are `ClaimState`'s."""
    return claim_dict(ClaimState(**fields))


def claim_state_text(**fields: Any) -> str:
    """`canonical(claim_state(**fields))`, as `claim_text` writes it."""
    return claim_text(ClaimState(**fields))


def claim_dict(claim: Sequence[Any]) -> dict[str, Any]:
    """A `ClaimState` (or a plain tuple of its fields, in order) as a state."""
    article, key, text, quote, kind, cue, retracted, notes, chains = claim
    return _settled(
        {
            "article": article,
            "key": key,
            "text": text,
            "quote": quote,
            "kind": kind,
            "cue": cue,
            "chains": [[[source, cue] for source, cue in chain] for chain in chains],
            "retracted": retracted,
            "notes": notes,
        }
    )


def claim_text(claim: Sequence[Any]) -> str:
    """`canonical(claim_dict(claim))`, written out directly.

    `verify` serialises every claim of the ledger; building the text here, in
    the canonical key order, costs a third of building the dict and dumping
    it, and taking a plain tuple of the fields spares building a `ClaimState`
    per row. A property test holds the two forms equal.
    """
    article, key, text, quote, kind, cue, retracted, notes, chains = claim
    chain_texts = ",".join(
        [
            "["
            + ",".join(
                [
                    f"[{json_string(source)},{'null' if cue is None else json_string(cue)}]"
                    for source, cue in chain
                ]
            )
            + "]"
            for chain in chains
        ]
    )
    notes_text = "" if notes is None else f',"notes":{json_string(notes)}'
    return (
        f'{{"article":{json_string(article)},"chains":[{chain_texts}],"cue":{_json_text(cue)},'
        f'"key":{json_string(key)},"kind":{json_string(kind)}{notes_text},'
        f'"quote":{_json_text(quote)},"retracted":{_json_text(retracted)},'
        f'"text":{json_string(text)}}}'
    )


def _json_text(value: str | None) -> str:
    return "null" if value is None else json_string(value)


def link_key(source_ref: str, relation: str, target_ref: str) -> str:
    return f"{source_ref} {relation} {target_ref}"


def link_state(source_ref: str, relation: str, target_ref: str) -> dict[str, Any]:
    return {"from": source_ref, "relation": relation, "to": target_ref}


def link_state_text(source_ref: str, relation: str, target_ref: str) -> str:
    """`canonical(link_state(...))`, written out directly, as `claim_state_text` is."""
    return (
        f'{{"from":{json_string(source_ref)},"relation":{json_string(relation)},'
        f'"to":{json_string(target_ref)}}}'
    )


def waiver_key(code: str, subject: str) -> str:
    """A waiver's key in the audit trail: the finding it names, `LS202 story/claim`."""
    return f"{code} {subject}"


def waiver_state(code: str, subject: str, reason: str, by: str, at: str) -> dict[str, Any]:
    return {"at": at, "by": by, "code": code, "reason": reason, "subject": subject}


# --- from rows ---------------------------------------------------------------------------------


def article_row_state(row: Any) -> dict[str, Any]:
    """From an `ArticleRow` or a result row with the same column names."""
    data = {name: getattr(row, name) for name in ARTICLE_STATE_FIELDS}
    if data["published"] is not None:
        data["published"] = data["published"].isoformat()
    data["text_sha256"] = text_sha256(row.text) if row.text is not None else None
    return data


def source_row_state(row: Any) -> dict[str, Any]:
    """From a `SourceRow` or a result row with the same column names."""
    return _settled({name: getattr(row, name) for name in SOURCE_STATE_FIELDS})


def claim_states(
    session: Session, claim_ids: Sequence[int]
) -> dict[int, tuple[str, dict[str, Any]]]:
    """claim id -> (SLUG/KEY, state) for the given claims, read from the rows."""
    result: dict[int, tuple[str, dict[str, Any]]] = {}
    for start in range(0, len(claim_ids), BATCH):
        chunk = list(claim_ids[start : start + BATCH])
        for claim_id, ref, state in _claim_batch(session, ClaimRow.id.in_(chunk)):
            result[claim_id] = (ref, state)
    return result


def _claim_batch(session: Session, condition: Any) -> list[tuple[int, str, dict[str, Any]]]:
    claims = session.execute(  # plain columns, not ORM objects: a write may touch thousands
        select(ClaimRow.id, *CLAIM_STATE_COLUMNS)
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .where(condition)
        .order_by(ClaimRow.id)
    ).all()
    if not claims:
        return []
    ids = [row[0] for row in claims]
    chains: dict[int, dict[int, list[tuple[str, str | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    hops = session.execute(
        select(HopRow.claim_id, HopRow.chain, SourceRow.key, HopRow.cue)
        .join(SourceRow, HopRow.source_id == SourceRow.id)
        .where(HopRow.claim_id.in_(ids))
        .order_by(HopRow.claim_id, HopRow.chain, HopRow.position)
    )
    for claim_id, chain, source, cue in hops:
        chains[claim_id][chain].append((source, cue))
    result = []
    for claim_id, *fields in claims:
        ordered = [chain for _, chain in sorted(chains[claim_id].items())]
        result.append((claim_id, f"{fields[0]}/{fields[1]}", claim_dict((*fields, ordered))))
    return result


def link_ends(from_article_id: int | None = None) -> tuple[Select[Any], ColumnElement[str]]:
    """Every link as (from SLUG/KEY, relation, to SLUG/KEY), in link order, and its
    `link_key` as SQL; `from_article_id` limits them to links leaving that article."""
    source_claim, target_claim = aliased(ClaimRow), aliased(ClaimRow)
    source_article, target_article = aliased(ArticleRow), aliased(ArticleRow)
    source_ref = source_article.slug + literal("/") + source_claim.key
    target_ref = target_article.slug + literal("/") + target_claim.key
    statement = (
        select(source_ref, LinkRow.relation, target_ref)
        .join(source_claim, LinkRow.from_claim_id == source_claim.id)
        .join(source_article, source_claim.article_id == source_article.id)
        .join(target_claim, LinkRow.to_claim_id == target_claim.id)
        .join(target_article, target_claim.article_id == target_article.id)
        .order_by(LinkRow.id)
    )
    if from_article_id is not None:
        statement = statement.where(source_claim.article_id == from_article_id)
    return statement, source_ref + literal(" ") + LinkRow.relation + literal(" ") + target_ref


def iter_link_states(session: Session, *, from_article_id: int | None = None) -> Iterator[StateRow]:
    """Link states; `from_article_id` limits them to links leaving that article's claims."""
    statement, _key = link_ends(from_article_id)
    for source_ref, relation, target_ref in session.execute(
        statement.execution_options(yield_per=BATCH)
    ):
        state = link_state(source_ref, relation, target_ref)
        yield (
            "link",
            link_key(source_ref, relation, target_ref),
            state,
            source_ref.partition("/")[0],
        )
