"""An insider who can write the ledger's database, as the issue tried: tools for the tests.

Everything here goes behind the ledger's back, as someone with the database
file (SQLite) or the table owner's rights (PostgreSQL, triggers switched off)
would, and recomputes what the README documents so that the chain still holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

from ledger.audit import merkle, trail
from ledger.storage.database import make_engine, resolve_url


@contextmanager
def behind_the_ledger(db: str) -> Iterator[Connection]:
    """A connection committing at the end, with PostgreSQL's triggers off (a superuser can)."""
    engine = make_engine(resolve_url(db))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            yield connection
    finally:
        engine.dispose()


def rechain(connection: Connection, start: int) -> None:
    """Recompute `prev_hash` and `hash` of every event from `start` on, as the README says."""
    previous = (
        connection.execute(
            text("SELECT hash FROM events WHERE seq = :seq"), {"seq": start - 1}
        ).scalar()
        or trail.GENESIS_HASH
    )
    rows = connection.execute(
        text(
            "SELECT seq, at, actor, action, entity, entity_key, state, article, db_role, format "
            "FROM events WHERE seq >= :start ORDER BY seq"
        ),
        {"start": start},
    ).all()
    for row in rows:
        event = {**row._mapping, "key": row.entity_key, "state": json.loads(row.state or "null")}
        digest = trail.chain_hash(previous, event)
        connection.execute(
            text("UPDATE events SET prev_hash = :prev, hash = :hash WHERE seq = :seq"),
            {"prev": previous, "hash": digest, "seq": row.seq},
        )
        previous = digest


def rebuild_tree(connection: Connection) -> None:
    """Replace the stored Merkle tree by the one the events now make."""
    connection.execute(text("DELETE FROM merkle_nodes"))
    tree, rows = merkle.CompactRange(), []
    for (event_hash,) in connection.execute(text("SELECT hash FROM events ORDER BY seq")):
        for level, idx, value in tree.append(merkle.leaf_hash(bytes.fromhex(event_hash))):
            rows.append({"level": level, "idx": idx, "hash": value})
    if rows:
        connection.execute(
            text("INSERT INTO merkle_nodes (level, idx, hash) VALUES (:level, :idx, :hash)"), rows
        )


def rewrite_claim_text(
    db: str, old: str, new: str, *, from_seq: int = 1, with_tree: bool = False
) -> int:
    """Change a claim's text in its row and in its events from `from_seq` on; rechain.

    Returns the first event changed.
    """
    with behind_the_ledger(db) as connection:
        connection.execute(
            text("UPDATE claims SET text = :new WHERE text = :old"), {"old": old, "new": new}
        )
        changed = connection.execute(
            text("SELECT seq, state FROM events WHERE seq >= :start AND state LIKE :pattern"),
            {"start": from_seq, "pattern": f"%{old}%"},
        ).all()
        assert changed, "nothing to rewrite"
        for seq, state in changed:
            connection.execute(
                text("UPDATE events SET state = :state WHERE seq = :seq"),
                {"state": state.replace(old, new), "seq": seq},
            )
        first = min(seq for seq, _ in changed)
        rechain(connection, first)
        if with_tree:
            rebuild_tree(connection)
    return first


def delete_events(db: str, where: str, *, with_tree: bool = True) -> None:
    """Delete events (`where` is SQL over `events`), and rebuild the tree over what is left."""
    with behind_the_ledger(db) as connection:
        connection.execute(text(f"DELETE FROM events WHERE {where}"))
        if with_tree:
            rebuild_tree(connection)


def execute(db: str, *statements: str) -> None:
    with behind_the_ledger(db) as connection:
        for statement in statements:
            connection.execute(text(statement))
