"""SQLite: two FTS5 tables (created by migration 0002 on SQLite only).

- ``encyclopedia_search_short(names, headings, summary)``: the short fields, so asking
  "which entries have this word in a title or alias?" reads a short list.
- ``encyclopedia_search_all(text)``: everything, for "anywhere", the count and bm25.

Both hold terms as made by :mod:`encyclopedia.search.text`, separated by single spaces
(tokenizer ``ascii``: it splits on exactly those spaces), with the rowid being the
entry's id.  Parts of a field (each name, each heading) are separated by ``SEPARATOR``,
a token no text can produce, so a phrase never spans two of them.  Queries are built
only from such terms, each in double quotes: nothing typed reaches FTS5 syntax.
"""

from __future__ import annotations

from django.db import connection

from ...bulk import chunks
from .base import FIELD_WEIGHTS, SHORT_FIELDS, SearchBackend

SHORT = "encyclopedia_search_short"
ALL = "encyclopedia_search_all"
SEPARATOR = "\ue000"
# bm25 over the short table: a word in a title or alias counts most (its columns are SHORT_FIELDS).
_SHORT_WEIGHTS = ", ".join(str(FIELD_WEIGHTS[name]) for name in SHORT_FIELDS)


def _quoted(terms) -> str:
    return '"' + " ".join(terms).replace('"', '""') + '"'


def _alternative(alternative) -> str:
    if alternative.phrase or len(alternative.terms) == 1:
        return _quoted(alternative.terms)
    return "(" + " AND ".join(_quoted([term]) for term in alternative.terms) + ")"


def match_expression(alternatives, field: str = "body") -> str:
    expression = " OR ".join(_alternative(alternative) for alternative in alternatives)
    if field in SHORT_FIELDS:
        return "{" + field + "} : (" + expression + ")"
    return expression


def _fetch_ids(sql: str, params: list, order_by: str, limit: int | None = None) -> list[int]:
    """The first column of ``sql``'s rows; with ``limit``, only the first ones by ``order_by``."""
    if limit is not None:
        sql, params = f"{sql} ORDER BY {order_by} LIMIT %s", [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _following(prefix: str) -> str | None:
    """The first string after every string that starts with ``prefix`` (None: there is none)."""
    prefix = prefix.rstrip(chr(0x10FFFF))
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None


def _joined(parts: list[list[str]]) -> str:
    return f" {SEPARATOR} ".join(" ".join(part) for part in parts)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    relevance_limit = 2000  # bm25 reads FTS5's own per-row sizes: cheap
    phrase_limit = 3000  # word positions are in the index itself

    # -- writing -------------------------------------------------------------------------------
    def insert(self, documents) -> None:
        short_rows, all_rows = [], []
        for document in documents:
            fields = document.fields
            short_rows.append((document.entry_id, *(_joined(fields[name]) for name in SHORT_FIELDS)))
            all_rows.append((document.entry_id, _joined([part for name in FIELD_WEIGHTS for part in fields[name]])))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {SHORT}(rowid, names, headings, summary) VALUES (%s, %s, %s, %s)",
                               short_rows)
            cursor.executemany(f"INSERT INTO {ALL}(rowid, text) VALUES (%s, %s)", all_rows)

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for part in chunks(entry_ids):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"DELETE FROM {SHORT} WHERE rowid IN ({marks})", part)
                cursor.execute(f"DELETE FROM {ALL} WHERE rowid IN ({marks})", part)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SHORT}")
            cursor.execute(f"DELETE FROM {ALL}")

    def stored_terms(self, entry_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
        found: dict[int, tuple[set[str], set[str]]] = {}
        with connection.cursor() as cursor:
            for part in chunks(entry_ids):
                marks = ", ".join(["%s"] * len(part))
                cursor.execute(f"SELECT a.rowid, a.text, s.names FROM {ALL} a JOIN {SHORT} s ON s.rowid = a.rowid "
                               f"WHERE a.rowid IN ({marks})", part)
                for rowid, text, names in cursor.fetchall():
                    found[rowid] = (set(text.split()) - {SEPARATOR}, set(names.split()) - {SEPARATOR})
        return found

    # -- reading -------------------------------------------------------------------------------
    def matching(self, alternatives, field: str, limit: int | None = None) -> list[int]:
        table = SHORT if field in SHORT_FIELDS else ALL
        return _fetch_ids(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match_expression(alternatives, field)],
                         "rowid", limit)

    def count(self, alternatives) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ALL} WHERE {ALL} MATCH %s", [match_expression(alternatives)])
            return cursor.fetchone()[0]

    def relevance(self, alternatives, scope: str) -> dict[int, float]:
        """bm25 (negated, so higher is better)."""
        with connection.cursor() as cursor:
            if scope == "all":
                cursor.execute(f"SELECT rowid, -bm25({ALL}) FROM {ALL} WHERE {ALL} MATCH %s",
                               [match_expression(alternatives)])
            else:
                cursor.execute(f"SELECT rowid, -bm25({SHORT}, {_SHORT_WEIGHTS}) FROM {SHORT} WHERE {SHORT} MATCH %s",
                               [match_expression(alternatives, "names")])
            return dict(cursor.fetchall())

    def starting_with(self, rows, column: str, prefix: str):
        """A range of the column's index, walked in order (SQLite's LIKE ignores case, so no index
        serves it)."""
        rows = rows.filter(**{f"{column}__gte": prefix})
        end = _following(prefix)
        if end is not None:
            rows = rows.filter(**{f"{column}__lt": end})
        return rows.order_by(column)
