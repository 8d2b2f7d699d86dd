"""Alembic environment for the ledger.

The database URL is the CLI's: a connection handed over by `ledger init` (in
`config.attributes["connection"]`), else `-x db=...`, else `$LEDGER_DB`, else
ledger.db in the working directory.
"""

from alembic import context
from sqlalchemy import Connection

from ledger.storage.database import make_engine, resolve_url
from ledger.storage.schema import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    engine = make_engine(url)
    with engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the ledger's migrations run online only: use `ledger init`")
run_migrations_online()
