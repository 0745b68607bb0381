"""The search backend interface, and :func:`get_backend` choosing one per database.

A backend stores each entry's :class:`~encyclopedia.search.documents.Document` and
answers, for an expression (alternatives of terms, see ``query.Alternative``): which
entries match it in a field (``names``, ``headings``, ``summary``, or ``body`` meaning
anywhere), how many match anywhere, and how relevant each match is (bm25 on SQLite
FTS5, ``ts_rank`` on PostgreSQL).  It also scans a column of search's own tables for
values starting with a prefix, the way that database's indexes answer fastest.
Everything else (planning, scoring, snippets, suggestions) is shared, so both
databases give the same answers.

:data:`FIELD_WEIGHTS` is the one definition of a document's fields and of what a
match in each is worth: ranking scores with it, SQLite's bm25 weighs its columns
with it, and PostgreSQL labels the fields A to D in its order.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

# A document's fields, most telling first, with the weight of a match there.  ``body``
# is the whole text (names, headings and summary included): "anywhere".
FIELD_WEIGHTS = {"names": 8.0, "headings": 4.0, "summary": 2.0, "body": 1.0}
NAME_WEIGHT = FIELD_WEIGHTS["names"]
SHORT_FIELDS = ("names", "headings", "summary")  # the fields short enough to scan for any word


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgresql import PostgreSQLBackend

        return PostgreSQLBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteBackend

        return SQLiteBackend()
    raise NotImplementedError(f"search has no backend for {connection.vendor}")


def following(prefix: str) -> str | None:
    """The first string after every string that starts with ``prefix`` (None: there is none)."""
    prefix = prefix.rstrip(chr(0x10FFFF))
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None


class SearchBackend:
    """What every backend answers.  Terms are those of :mod:`encyclopedia.search.text`."""

    vendor = ""
    relevance_limit = 0  # ask ``relevance(…, "all")`` for at most this many matching entries
    phrase_limit = 0  # count or scan a phrase used by at most this many entries

    # -- the index ------------------------------------------------------------------------------
    def insert(self, documents) -> None:
        """Add these documents (their entries have none in the index)."""
        raise NotImplementedError

    def delete(self, entry_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def stored_terms(self, entry_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
        """The distinct terms each entry has in the index now: (anywhere, in names)."""
        raise NotImplementedError

    def matching(self, alternatives, field: str, limit: int | None = None) -> list[int]:
        """Ids of the entries matching in ``field``, in id order (the first ``limit`` only, if given)."""
        raise NotImplementedError

    def count(self, alternatives) -> int:
        """How many entries match any alternative anywhere."""
        raise NotImplementedError

    def relevance(self, alternatives, scope: str) -> dict[int, float]:
        """How well each match matches (higher is better): over all text (``all``), or over
        titles and aliases only (``names``)."""
        raise NotImplementedError

    # -- search's own tables --------------------------------------------------------------------
    def starting_with(self, rows: QuerySet, column: str, prefix: str) -> QuerySet:
        """``rows`` whose ``column`` starts with ``prefix``, read from the column's index in the
        order that index gives them cheapest."""
        raise NotImplementedError

    def similar_terms(self, term: str) -> list[tuple]:
        """(term, display, entries, names, skeleton) of vocabulary terms that look like ``term``."""
        return []

    def similar_names(self, text: str, limit: int) -> list[int]:
        """Entries with a name that looks like ``text``, most alike first."""
        return []
