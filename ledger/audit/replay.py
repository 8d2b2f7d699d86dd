"""What `verify` replays: each entity's state in the rows beside its last recorded state.

Streamed one entity kind at a time. Every row is read together with the state
text of the last event recorded for its key (a correlated lookup through the
events' (entity, key) index), so memory stays flat however large the ledger,
and the two are compared as canonical JSON text, the form events store.

A row deleted behind the ledger's back leaves nothing to read it with; it is
found by counting instead: per kind, the keys whose last event leaves them
alive must be as many as the rows that matched one. Only when a count differs
are that kind's keys listed, to name what disappeared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Connection, ScalarSelect, Select, func, literal, select
from sqlalchemy.orm import Session

from ledger.audit.states import (
    ARTICLE_STATE_FIELDS,
    CLAIM_STATE_COLUMNS,
    SOURCE_STATE_FIELDS,
    alias_state,
    article_row_state,
    claim_text,
    link_ends,
    link_key,
    link_state_text,
    source_row_state,
    waiver_key,
    waiver_state,
)
from ledger.audit.trail import canonical
from ledger.storage.database import driver_rows
from ledger.storage.schema import (
    ArticleRow,
    ClaimRow,
    EventRow,
    HopRow,
    SealedIdentityRow,
    SourceAliasRow,
    SourceRow,
    WaiverRow,
)

BATCH = 10_000

Pair = tuple[str, str, str, str | None]
"""(entity, key, the row's state as canonical JSON, the last event's state text or None)."""


def recorded_state(entity: str, key: ColumnElement[str]) -> ScalarSelect[str | None]:
    """The state text of the last event about `entity` `key` (NULL: none, or a deletion)."""
    return (
        select(EventRow.state)
        .where(EventRow.entity == entity, EventRow.entity_key == key)
        .order_by(EventRow.seq.desc())
        .limit(1)
        .scalar_subquery()
    )


def other_pairs(session: Session) -> Iterator[Pair]:
    """Every row but the claims': articles, sources, aliases, links, seals, clearances and
    waivers."""
    for kind in ("article", "source", "alias", "link", "seal", "clearance", "waiver"):
        yield from pairs_of(session, kind)


def pairs_of(session: Session, kind: str) -> Iterator[Pair]:
    """The rows of one entity kind (none for a kind with no rows, such as "access")."""
    if kind == "claim":
        return claim_pairs(session)
    if kind == "clearance":
        return _clearances(session)
    readers = {
        "article": _articles,
        "source": _sources,
        "alias": _aliases,
        "link": _links,
        "seal": _seals,
        "waiver": _waivers,
    }
    return readers[kind](session.connection()) if kind in readers else iter(())


def live_counts(session: Session) -> dict[str, int]:
    """Per entity kind, how many keys the events leave alive (last event not a deletion)."""
    last = (
        select(EventRow.entity, func.max(EventRow.seq).label("seq"))
        .group_by(EventRow.entity, EventRow.entity_key)
        .subquery()
    )
    statement = (
        select(last.c.entity, func.count())
        .join(EventRow, EventRow.seq == last.c.seq)
        .where(EventRow.state.is_not(None))
        .group_by(last.c.entity)
    )
    return {entity: count for entity, count in session.execute(statement)}


def vanished(session: Session, entity: str) -> list[tuple[str, int]]:
    """(key, seq of its last event) of each `entity` alive in the events but not in the rows.

    Only called when `live_counts` and the rows disagree; it holds one kind's
    keys in memory, which the normal path never does.
    """
    present = {key for _kind, key, _current, _recorded in pairs_of(session, entity)}
    last = (
        select(EventRow.entity_key, func.max(EventRow.seq).label("seq"))
        .where(EventRow.entity == entity)
        .group_by(EventRow.entity_key)
        .subquery()
    )
    statement = (
        select(last.c.entity_key, last.c.seq)
        .join(EventRow, EventRow.seq == last.c.seq)
        .where(EventRow.state.is_not(None))
        .order_by(last.c.seq)
    )
    return [(key, seq) for key, seq in session.execute(statement) if key not in present]


def last_event_seq(session: Session, entity: str, key: str) -> int | None:
    return session.scalar(
        select(func.max(EventRow.seq)).where(EventRow.entity == entity, EventRow.entity_key == key)
    )


# --- one kind at a time ------------------------------------------------------------------------


def _rows(connection: Connection, statement: Select[Any]) -> Iterator[Any]:
    result = connection.execute(statement.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        yield from partition


def stream(connection: Connection, statement: Select[Any]) -> Iterator[Any]:
    return driver_rows(connection, statement, BATCH)


def claim_id_range(session: Session) -> tuple[int, int]:
    low, high = session.execute(select(func.min(ClaimRow.id), func.max(ClaimRow.id))).one()
    return (low or 0, high or 0)


def _articles(connection: Connection) -> Iterator[Pair]:
    columns = [getattr(ArticleRow, name) for name in ARTICLE_STATE_FIELDS]
    statement = select(*columns, ArticleRow.text, recorded_state("article", ArticleRow.slug))
    for row in _rows(connection, statement.order_by(ArticleRow.id)):
        yield "article", row.slug, canonical(article_row_state(row)), row[-1]


def _sources(connection: Connection) -> Iterator[Pair]:
    columns = [getattr(SourceRow, name) for name in SOURCE_STATE_FIELDS]
    statement = select(*columns, recorded_state("source", SourceRow.key)).order_by(SourceRow.id)
    for row in _rows(connection, statement):
        yield "source", row.key, canonical(source_row_state(row)), row[-1]


def _aliases(connection: Connection) -> Iterator[Pair]:
    statement = select(
        SourceAliasRow.key,
        SourceAliasRow.source,
        SourceAliasRow.label,
        recorded_state("alias", SourceAliasRow.key),
    ).order_by(SourceAliasRow.key)
    for alias, source, label, recorded in _rows(connection, statement):
        yield "alias", alias, canonical(alias_state(alias, source, label)), recorded


def claim_pairs(
    session: Session, first_id: int | None = None, last_id: int | None = None
) -> Iterator[Pair]:
    """Claims (those with ids in [first_id, last_id], if given), merged with their hops.

    Claims and hops are both read in claim id order and merged as they come;
    source keys come from a map of source ids, cheaper than joining each hop.
    """
    connection = session.connection()
    ref = ArticleRow.slug + literal("/") + ClaimRow.key
    claims = (
        select(ClaimRow.id, *CLAIM_STATE_COLUMNS, recorded_state("claim", ref))
        .join(ArticleRow, ClaimRow.article_id == ArticleRow.id)
        .order_by(ClaimRow.id)
    )
    hops = select(HopRow.claim_id, HopRow.chain, HopRow.source_id, HopRow.cue).order_by(
        HopRow.claim_id, HopRow.chain, HopRow.position
    )
    if first_id is not None and last_id is not None:
        claims = claims.where(ClaimRow.id.between(first_id, last_id))
        hops = hops.where(HopRow.claim_id.between(first_id, last_id))
    source_keys = {id_: key for id_, key in connection.execute(select(SourceRow.id, SourceRow.key))}
    hop_rows = stream(connection, hops)
    hop = next(hop_rows, None)
    for row in stream(connection, claims):
        claim_id = row[0]
        chains: list[list[tuple[str, str | None]]] = []
        chain_number = None
        while hop is not None and hop[0] <= claim_id:
            if hop[0] == claim_id:
                if hop[1] != chain_number:
                    chains.append([])
                    chain_number = hop[1]
                chains[-1].append((source_keys[hop[2]], hop[3]))
            hop = next(hop_rows, None)
        yield "claim", f"{row[1]}/{row[2]}", claim_text((*row[1:-1], chains)), row[-1]


def _links(connection: Connection) -> Iterator[Pair]:
    statement, key = link_ends()
    statement = statement.add_columns(recorded_state("link", key))
    for source_ref, relation, target_ref, recorded in stream(connection, statement):
        state = link_state_text(source_ref, relation, target_ref)
        yield "link", link_key(source_ref, relation, target_ref), state, recorded


def _seals(connection: Connection) -> Iterator[Pair]:
    from ledger.protect.sealing import seal_state

    statement = (
        select(
            SourceRow.key,
            SealedIdentityRow.key_id,
            SealedIdentityRow.ciphertext,
            recorded_state("seal", SourceRow.key),
        )
        .join(SourceRow, SourceRow.id == SealedIdentityRow.source_id)
        .order_by(SealedIdentityRow.source_id)
    )
    for source_key, key_id, ciphertext, recorded in _rows(connection, statement):
        yield "seal", source_key, canonical(seal_state(source_key, key_id, ciphertext)), recorded


def _clearances(session: Session) -> Iterator[Pair]:
    """Few rows, whose key is built in Python: one lookup each."""
    from ledger.protect.clearances import clearances

    for clearance in clearances(session):
        recorded = session.scalar(select(recorded_state("clearance", literal(clearance.key))))
        yield "clearance", clearance.key, canonical(clearance.state()), recorded


def _waivers(connection: Connection) -> Iterator[Pair]:
    key = WaiverRow.code + literal(" ") + WaiverRow.subject
    statement = select(
        WaiverRow.code,
        WaiverRow.subject,
        WaiverRow.reason,
        WaiverRow.waived_by,
        WaiverRow.waived_at,
        recorded_state("waiver", key),
    ).order_by(WaiverRow.id)
    for code, subject, reason, by, at, recorded in _rows(connection, statement):
        state = waiver_state(code, subject, reason, by, at)
        yield "waiver", waiver_key(code, subject), canonical(state), recorded
