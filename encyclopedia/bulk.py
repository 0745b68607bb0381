"""Writing many plain rows at once, without building a model instance for each.

At 10,000 entries a load writes hundreds of thousands of link, citation and search rows;
building and preparing a model instance per row cost more than writing it.
"""

from __future__ import annotations

from django.db import connection, models


def chunks(items: list, size: int = 500):
    """``items`` in slices of ``size``: bounded IN lists and batches (SQLite limits query parameters)."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def update_column(model, name: str, rows: list[tuple[object, int]]) -> None:
    """UPDATE one column of many rows ((value, pk) pairs) at once."""
    if not rows:
        return
    field = model._meta.get_field(name)
    sql = (f"UPDATE {connection.ops.quote_name(model._meta.db_table)} SET {connection.ops.quote_name(field.column)} "
           f"= %s WHERE {connection.ops.quote_name(model._meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[field.get_db_prep_save(value, connection), pk] for value, pk in rows])


def insert_rows(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many plain rows at once: tens of thousands of links and citations on a full load,
    where building a model instance for each costs more than writing it."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = (f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    # Keys, numbers and text go to the driver as they are; only JSON needs preparing.
    prepared = [index for index, field in enumerate(fields) if isinstance(field, models.JSONField)]
    with connection.cursor() as cursor:
        for part in chunks(rows, 2000):
            batch = [list(row) for row in part]
            for row in batch:
                for index in prepared:
                    row[index] = fields[index].get_db_prep_save(row[index], connection)
            cursor.executemany(sql, batch)
