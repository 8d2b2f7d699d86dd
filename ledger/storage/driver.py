"""The import's hot statements, through the database driver: many rows inserted as one
executemany, rows found by a list of keys or of key pairs.

SQLAlchemy's handling of a statement (an expanding `IN` of a hundred keys, an OR of a
hundred terms) costs more than the statement itself; an import of a thousand files
makes each of these a thousand times. The statements are plain SQL on both engines."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Dialect, Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (each with the same columns) as one executemany.

    On SQLite the rows go straight to the driver's executemany, each value
    converted by its column type's own bind processor (dates to text, as
    SQLAlchemy stores them): SQLAlchemy's per-row parameter handling costs a few
    microseconds a row, and a million claims bring millions of rows. On
    PostgreSQL SQLAlchemy's multi-row INSERT is the faster path, so it is used.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    columns = tuple(rows[0])
    sql, processors = _statement(table, columns, dialect)
    pick = itemgetter(*columns)
    one = len(columns) == 1
    values: list[tuple[Any, ...]] = [(pick(row),) for row in rows] if one else list(map(pick, rows))
    if processors:
        by_column = list(zip(*values, strict=True))
        for index, processor in processors:
            by_column[index] = _processed(processor, by_column[index])
        values = list(zip(*by_column, strict=True))
    session.connection().exec_driver_sql(sql, values)


def _processed(processor: Callable[[Any], Any], column: Sequence[Any]) -> list[Any]:
    """A column's values through its bind processor, each distinct value once: a column
    that needs one holds a few values over and over (a batch's one timestamp, flags)."""
    try:
        done = {key: processor(key[1]) for key in {(type(value), value) for value in column}}
    except TypeError:  # an unhashable value
        return [processor(value) for value in column]
    return [done[type(value), value] for value in column]


@lru_cache(maxsize=64)
def _statement(
    table: Table, columns: tuple[str, ...], dialect: Dialect
) -> tuple[str, list[tuple[int, Callable[[Any], Any]]]]:
    """The INSERT of `columns` into `table`, and the bind processor of each column that has
    one: worked out once per table and columns, not once per file of an import."""
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    processors = [
        (index, processor)
        for index, name in enumerate(columns)
        if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    return sql, processors


def rows_by_pairs(
    session: Session,
    table: str,
    columns: tuple[str, ...],
    keys: tuple[str, str],
    pairs: list[tuple[Any, Any]],
) -> list[tuple[Any, ...]]:
    """`columns` of the rows of `table` whose (`keys`) is one of `pairs`, as the driver gives them.

    An OR of key lookups, not `(a, b) IN (...)`: SQLite scans the table for a row-value IN,
    and searches the index once for each term of an OR (PostgreSQL likewise). Built as text,
    because SQLAlchemy's expression for a few hundred terms costs more than the query.
    The names are the caller's constants, never input; the values are parameters.
    """
    if not pairs:
        return []
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    marker = _marker(connection.dialect)
    first, second = (quote(name) for name in keys)
    term = f"({first} = {marker} AND {second} = {marker})"
    names = ", ".join(quote(name) for name in columns)
    sql = f"SELECT {names} FROM {quote(table)} WHERE " + " OR ".join([term] * len(pairs))
    values = tuple(value for pair in pairs for value in pair)
    return list(connection.exec_driver_sql(sql, values).fetchall())


def rows_by_keys(
    session: Session, table: str, columns: tuple[str, ...], key: str, keys: Sequence[Any]
) -> list[tuple[Any, ...]]:
    """`columns` of the rows of `table` whose `key` is one of `keys` (at most a few hundred:
    the caller chunks), as the driver gives them."""
    if not keys:
        return []
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    marker = _marker(connection.dialect)
    names = ", ".join(quote(name) for name in columns)
    sql = (
        f"SELECT {names} FROM {quote(table)} "
        f"WHERE {quote(key)} IN ({', '.join([marker] * len(keys))})"
    )
    return list(connection.exec_driver_sql(sql, tuple(keys)).fetchall())


def _marker(dialect: Dialect) -> str:
    """The driver's placeholder: `?` (sqlite3) or `%s` (psycopg)."""
    return "%s" if dialect.paramstyle in ("format", "pyformat") else "?"
