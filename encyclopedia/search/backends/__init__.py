"""The search backend interface, and :func:`get_backend` choosing one per database.

A backend stores each entry's :class:`~encyclopedia.search.documents.Document` and
answers, for an expression (alternatives of terms, see ``query.Alternative``): which
entries match it in a field (``names``, ``headings``, ``summary``, or ``body`` meaning
anywhere), how many match anywhere, and how relevant each match is (bm25 on SQLite
FTS5, ``ts_rank`` on PostgreSQL).  It also scans a column of search's own tables for
values starting with a prefix, the way that database's indexes answer fastest.
Everything else (planning, scoring, snippets, suggestions) is shared, so both
databases give the same answers.

The interface and :data:`FIELD_WEIGHTS`, the fields and what a match in each is worth,
are in :mod:`.base`; :mod:`.sqlite` and :mod:`.postgresql` implement it.
"""

from __future__ import annotations

from django.db import connection

from .base import FIELD_WEIGHTS, NAME_WEIGHT, SHORT_FIELDS, SearchBackend

__all__ = ["FIELD_WEIGHTS", "NAME_WEIGHT", "SHORT_FIELDS", "SearchBackend", "get_backend"]


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")
