"""Tamper evidence against insiders: a Merkle tree over the events, every event column hashed

Revision ID: 0009
Revises: 0008

- `events.format` (1 for every event already written; the code writes 2, whose
  hash also covers `article` and `db_role`) and `events.db_role`, the database
  role that wrote an event (PostgreSQL's `current_user`; NULL before this
  revision and on SQLite).
- `merkle_nodes`: the RFC 6962 tree over the events' hashes, built here for
  the events already there, then grown by every write.
- `ledger_info`: the ledger's origin, the unique name its checkpoints carry.
- On PostgreSQL, triggers that make `events`, `merkle_nodes` and `ledger_info`
  append-only, and make each new event record the role that writes it.

What this writes is frozen here (plain SQL and SHA-256): later changes to the
ledger's code must not change what an upgrade builds.
"""

import hashlib
import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 20_000
APPEND_ONLY_TABLES = ("events", "merkle_nodes", "ledger_info")

POSTGRESQL_FUNCTIONS = (
    """
    CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING
            MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused',
            ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    """
    CREATE FUNCTION ledger_event_role() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.db_role IS DISTINCT FROM current_user OR NEW.format IS DISTINCT FROM 2 THEN
            RAISE EXCEPTION USING
                MESSAGE = 'an event must be of format 2 and record the role writing it, '
                    || current_user,
                ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END
    $$
    """,
)


def upgrade() -> None:
    op.add_column(
        "events", sa.Column("format", sa.SmallInteger(), server_default="1", nullable=False)
    )
    op.add_column("events", sa.Column("db_role", sa.Text(), nullable=True))
    op.create_table(
        "merkle_nodes",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("idx", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.CheckConstraint("level >= 0 AND idx >= 0", name=op.f("ck_merkle_nodes_position")),
        sa.PrimaryKeyConstraint("level", "idx", name=op.f("pk_merkle_nodes")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ledger_info",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_ledger_info")),
    )
    connection = op.get_bind()
    connection.execute(
        sa.text("INSERT INTO ledger_info (name, value) VALUES ('origin', :origin)"),
        {"origin": f"claim-ledger/{secrets.token_hex(8)}"},
    )
    _build_tree(connection)
    if connection.dialect.name == "postgresql":
        _create_triggers()


def _build_tree(connection: sa.Connection) -> None:
    """Store the RFC 6962 tree over the events already written, leaf i being event i + 1.

    Leaf hash SHA-256(0x00 ‖ the event's 32-byte hash), node SHA-256(0x01 ‖ left ‖
    right); a node is stored once its subtree is complete. A ledger whose
    numbering has a gap (an event deleted behind its back) gets the tree of the
    events before the gap: `ledger verify` names the gap.
    """
    nodes = sa.table(
        "merkle_nodes", sa.column("level"), sa.column("idx"), sa.column("hash", sa.LargeBinary)
    )
    frontier: list[tuple[int, bytes]] = []  # (level, hash) of the subtrees covering [0, size)
    size = 0
    while True:
        rows = connection.execute(
            sa.text("SELECT seq, hash FROM events WHERE seq > :after ORDER BY seq LIMIT :batch"),
            {"after": size, "batch": BATCH},
        ).all()
        completed = []
        for seq, event_hash in rows:
            if seq != size + 1:
                break
            value = hashlib.sha256(b"\x00" + bytes.fromhex(event_hash)).digest()
            level, position = 0, size
            completed.append({"level": 0, "idx": position, "hash": value})
            while frontier and frontier[-1][0] == level and (position >> level) & 1:
                value = hashlib.sha256(b"\x01" + frontier.pop()[1] + value).digest()
                position -= 1 << level
                level += 1
                completed.append({"level": level, "idx": position >> level, "hash": value})
            frontier.append((level, value))
            size += 1
        if completed:
            connection.execute(nodes.insert(), completed)
        if len(rows) < BATCH or len(completed) == 0 or rows[-1][0] != size:
            return


def _create_triggers() -> None:
    for statement in POSTGRESQL_FUNCTIONS:
        op.execute(statement)
    for table in APPEND_ONLY_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()"
        )
    op.execute(
        "CREATE TRIGGER events_record_role BEFORE INSERT ON events "
        "FOR EACH ROW EXECUTE FUNCTION ledger_event_role()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER events_record_role ON events")
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
        op.execute("DROP FUNCTION ledger_event_role()")
        op.execute("DROP FUNCTION ledger_append_only()")
    op.drop_table("ledger_info")
    op.drop_table("merkle_nodes")
    with op.batch_alter_table("events") as batch:  # no foreign key points at events
        batch.drop_column("db_role")
        batch.drop_column("format")
