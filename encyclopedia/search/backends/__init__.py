"""One backend per database, each answering the same few questions about the index.

A backend stores each entry's :class:`~encyclopedia.search.documents.Document` and
answers, for an expression (alternatives of terms, see ``query.Alternative``):
which entries match it in a field (``names``, ``headings``, ``summary``, or
``body`` meaning anywhere), how many match anywhere, and how relevant each match
is (bm25 on SQLite FTS5, ``ts_rank`` with weights A/B/C/D on PostgreSQL).  Everything
else (planning, scoring, snippets, suggestions) is shared, so both databases give
the same answers.
"""

from __future__ import annotations

from django.db import connection

from ...bulk import chunks  # noqa: F401  (the backends slice id lists with it)


def get_backend():
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")


def fetch_ids(sql: str, params: list, order_by: str, limit: int | None = None) -> list[int]:
    """The first column of ``sql``'s rows; with ``limit``, only the first ones by ``order_by``."""
    if limit is not None:
        sql, params = f"{sql} ORDER BY {order_by} LIMIT %s", [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]

