"""Reading the audit trail: `ledger log`, and one entity's versions (`--history`).

SQL text run by a `ledger.storage.reader.Reader`, so that `ledger log` and
`claim show --history` on a SQLite file start without SQLAlchemy. Events come
back as they were exported and hashed (`event_dict`); writing them is
`ledger.audit.trail`'s.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.storage.reader import like_prefix, reader_of

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

EVENT_COLUMNS = (
    "seq, at, actor, action, entity, entity_key, state, article, db_role, format, prev_hash, hash"
)


def event_dict(row: Sequence[Any]) -> dict[str, Any]:
    """An event (a row of `EVENT_COLUMNS`) as exported (`ledger log --format jsonl`): every
    stored column, by its hashed name."""
    seq, at, actor, action, entity, key, state, article, db_role, format_, prev, digest = row
    return {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "key": key,
        "state": None if state is None else json.loads(state),
        "article": article,
        "db_role": db_role,
        "format": format_,
        "prev_hash": prev,
        "hash": digest,
    }


@dataclass(frozen=True)
class LogFilter:
    article: str | None = None
    actor: str | None = None
    since: dt.datetime | None = None
    entity: str | None = None
    key: str | None = None


def iter_events(db: Readable, criteria: LogFilter = LogFilter()) -> Iterator[dict[str, Any]]:
    """Events in chain order, streamed as the database returns them."""
    where: list[str] = []
    params: dict[str, Any] = {}
    for column, value in (
        ("article", criteria.article),
        ("actor", criteria.actor),
        ("entity", criteria.entity),
        ("entity_key", criteria.key),
    ):
        if value is not None:
            where.append(f"{column} = :{column}")
            params[column] = value
    if criteria.since is not None:
        where.append("at >= :since")
        params["since"] = criteria.since.isoformat()
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    statement = f"SELECT {EVENT_COLUMNS} FROM events{clause} ORDER BY seq"
    for row in reader_of(db).rows(statement, params):
        yield event_dict(row)


def field_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for each field that differs between two states."""
    before, after = before or {}, after or {}
    return [
        (name, before.get(name), after.get(name))
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]


def history(db: Readable, entity: str, key: str) -> list[dict[str, Any]]:
    """Every event of one entity, oldest first, each with the fields it changed.

    A claim's history also holds the links made and removed at either end of
    it (link keys are `FROM RELATION TO`), so that an unlinking shows where a
    journalist looks for it.
    """
    mine = "(entity = :entity AND entity_key = :key)"
    params: dict[str, Any] = {"entity": entity, "key": key}
    if entity == "claim":
        mine += (
            " OR (entity = 'link' AND (entity_key LIKE :starts ESCAPE '\\'"
            " OR entity_key LIKE :ends ESCAPE '\\'))"
        )
        params["starts"] = like_prefix(f"{key} ")
        params["ends"] = "%" + like_prefix(f" {key}")[:-1]
    versions = []
    previous: dict[tuple[str, str], dict[str, Any] | None] = {}
    statement = f"SELECT {EVENT_COLUMNS} FROM events WHERE {mine} ORDER BY seq"
    for row in reader_of(db).rows(statement, params):
        event = event_dict(row)
        which = (event["entity"], event["key"])
        event["changes"] = field_changes(previous.get(which), event["state"])
        versions.append(event)
        previous[which] = event["state"]
    return versions
