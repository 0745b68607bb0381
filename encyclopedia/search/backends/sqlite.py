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

from . import chunks, fetch_ids

SHORT = "encyclopedia_search_short"
ALL = "encyclopedia_search_all"
SEPARATOR = "\ue000"
_COLUMNS = {"names": "names", "headings": "headings", "summary": "summary"}
_SHORT_WEIGHTS = "8.0, 4.0, 2.0"


def _quoted(terms) -> str:
    return '"' + " ".join(terms).replace('"', '""') + '"'


def _alternative(alternative) -> str:
    if alternative.phrase or len(alternative.terms) == 1:
        return _quoted(alternative.terms)
    return "(" + " AND ".join(_quoted([term]) for term in alternative.terms) + ")"


def match_expression(alternatives, field: str = "body") -> str:
    expression = " OR ".join(_alternative(alternative) for alternative in alternatives)
    if field in _COLUMNS:
        return "{" + _COLUMNS[field] + "} : (" + expression + ")"
    return expression


def _joined(parts: list[list[str]]) -> str:
    return f" {SEPARATOR} ".join(" ".join(part) for part in parts)


class SQLiteBackend:
    vendor = "sqlite"
    relevance_limit = 2000  # bm25 reads FTS5's own per-row sizes: cheap
    phrase_limit = 3000  # word positions are in the index itself

    # -- writing -------------------------------------------------------------------------------
    def insert(self, documents) -> None:
        short_rows, all_rows = [], []
        for document in documents:
            fields = document.fields
            short_rows.append((document.entry_id, _joined(fields["names"]), _joined(fields["headings"]),
                               _joined(fields["summary"])))
            all_rows.append((document.entry_id, _joined([part for name in ("names", "headings", "summary", "body")
                                                         for part in fields[name]])))
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
        """The distinct terms each entry has in the index now: (anywhere, in names)."""
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
        """Ids of the entries matching in ``field``, in id order (the first ``limit`` only, if given)."""
        table = SHORT if field in _COLUMNS else ALL
        return fetch_ids(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match_expression(alternatives, field)],
                         "rowid", limit)

    def count(self, alternatives) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {ALL} WHERE {ALL} MATCH %s", [match_expression(alternatives)])
            return cursor.fetchone()[0]

    def relevance(self, alternatives, scope: str) -> dict[int, float]:
        """bm25 of every match (higher is better): over all text (``all``), or over titles and
        aliases only (``names``)."""
        with connection.cursor() as cursor:
            if scope == "all":
                cursor.execute(f"SELECT rowid, -bm25({ALL}) FROM {ALL} WHERE {ALL} MATCH %s",
                               [match_expression(alternatives)])
            else:
                cursor.execute(f"SELECT rowid, -bm25({SHORT}, {_SHORT_WEIGHTS}) FROM {SHORT} WHERE {SHORT} MATCH %s",
                               [match_expression(alternatives, "names")])
            return dict(cursor.fetchall())

    def similar_terms(self, term: str) -> list[tuple]:
        """Terms that look like ``term`` (PostgreSQL uses trigrams; here the shared lookups suffice)."""
        return []

    def similar_names(self, text: str, limit: int) -> list[int]:
        return []
