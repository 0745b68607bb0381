"""Adding to counters in one statement on SQLite and PostgreSQL alike (``INSERT … ON CONFLICT``)."""

from __future__ import annotations

from django.db import connection


def add_counts(model, unique: tuple[str, ...], counter: str, rows: list[tuple]) -> None:
    """For each row (the ``unique`` values, then an amount), add the amount to ``counter``,
    creating the row at that amount when it does not exist: one statement for all rows."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*unique, counter]
    quoted = ", ".join(connection.ops.quote_name(name) for name in columns)
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    target = ", ".join(connection.ops.quote_name(name) for name in unique)
    column = connection.ops.quote_name(counter)
    sql = (f"INSERT INTO {table} ({quoted}) VALUES {values} ON CONFLICT ({target}) "
           f"DO UPDATE SET {column} = {table}.{column} + excluded.{column}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def increment(model, unique: tuple[str, ...], values: tuple, counter: str) -> int:
    """Add one to the counter of the row with these unique values (creating it at 1); the new count."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = [*unique, counter]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    target = ", ".join(connection.ops.quote_name(name) for name in unique)
    column = connection.ops.quote_name(counter)
    placeholders = ", ".join(["%s"] * len(names))
    sql = (f"INSERT INTO {table} ({quoted}) VALUES ({placeholders}) ON CONFLICT ({target}) "
           f"DO UPDATE SET {column} = {table}.{column} + 1 RETURNING {column}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, 1])
        return cursor.fetchone()[0]


def insert_new(model, fixed: dict, field: str, values: list[str]) -> list[str]:
    """Insert a row for each value not stored yet; the values that were new."""
    if not values:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    names = [*fixed, field]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    target = ", ".join(connection.ops.quote_name(name) for name in names)
    column = connection.ops.quote_name(field)
    sql = (f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row] * len(values))} "
           f"ON CONFLICT ({target}) DO NOTHING RETURNING {column}")
    params = [item for value in values for item in (*fixed.values(), value)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [found for (found,) in cursor.fetchall()]
