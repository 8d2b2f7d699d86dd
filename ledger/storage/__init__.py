"""Persistence: the SQLAlchemy schema, engines and transactions, Alembic glue, row conversion."""
