"""PostgreSQL: full-text search with weighted ``tsvector`` columns, GIN indexes, ``pg_trgm``.

Table ``encyclopedia_search_document`` (migration 0002, PostgreSQL only):

- ``short``: names (weight A), headings (B) and summary (C);
- ``everything``: the same plus the body (D), ranked with ``ts_rank`` weights A/B/C/D.

The vectors are written as ``tsvector`` literals built here from the same terms the
SQLite backend stores, with one position left empty between parts (names, headings),
so phrases (``<->``) behave exactly as FTS5 phrases do and no text-search parser or
dictionary can make the two databases disagree.  Queries are ``tsquery`` literals
built from those terms, every lexeme quoted.  ``pg_trgm`` finds look-alike terms for
"Did you mean", and entry names similar to a query that matched nothing (compared
through ``unaccent``).
"""

from __future__ import annotations

import dataclasses

from django.db import connection

from . import chunks, fetch_ids

TABLE = "encyclopedia_search_document"
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_TERM = 256
_WEIGHTS = {"names": "A", "headings": "B", "summary": "C", "body": "D"}
_RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # D, C, B, A


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(fields: dict[str, list[list[str]]], names: tuple[str, ...]) -> str:
    """A tsvector literal of the given fields, each part one position apart from the next."""
    positions: dict[str, list[str]] = {}
    position = 0
    for name in names:
        weight = _WEIGHTS[name]
        for part in fields[name]:
            for term in part:
                position = min(position + 1, MAX_POSITION)
                places = positions.setdefault(term, [])
                if len(places) < MAX_POSITIONS_PER_TERM:
                    places.append(f"{position}{weight}")
            position = min(position + 1, MAX_POSITION)  # the gap between parts
    return " ".join(f"{_lexeme(term)}:{','.join(dict.fromkeys(places))}" for term, places in positions.items())


def _alternative(alternative, weight: str) -> str:
    suffix = f":{weight}" if weight else ""
    lexemes = [_lexeme(term) + suffix for term in alternative.terms]
    if len(lexemes) == 1:
        return lexemes[0]
    return "(" + (" <-> " if alternative.phrase else " & ").join(lexemes) + ")"


def query_literal(alternatives, field: str = "body") -> str:
    weight = _WEIGHTS[field] if field != "body" else ""
    return " | ".join(_alternative(alternative, weight) for alternative in alternatives)


class PostgreSQLBackend:
    vendor = "postgresql"
    relevance_limit = 300  # ts_rank reads each row's whole tsvector
    phrase_limit = 300  # so does checking a phrase's word positions

    # -- writing -------------------------------------------------------------------------------
    def insert(self, documents) -> None:
        rows = [(document.entry_id, vector_literal(document.fields, ("names", "headings", "summary")),
                 vector_literal(document.fields, ("names", "headings", "summary", "body")))
                for document in documents]
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {TABLE} (entry_id, short, everything) "
                               "VALUES (%s, %s::tsvector, %s::tsvector)", rows)

    def delete(self, entry_ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for part in chunks(entry_ids, 5000):
                cursor.execute(f"DELETE FROM {TABLE} WHERE entry_id = ANY(%s)", [part])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def stored_terms(self, entry_ids: list[int]) -> dict[int, tuple[set[str], set[str]]]:
        found: dict[int, tuple[set[str], set[str]]] = {}
        with connection.cursor() as cursor:
            for part in chunks(entry_ids, 5000):
                cursor.execute(
                    f"SELECT entry_id, ARRAY(SELECT lexeme FROM unnest(everything)), "
                    f"ARRAY(SELECT lexeme FROM unnest(short) WHERE 'A' = ANY(weights)) "
                    f"FROM {TABLE} WHERE entry_id = ANY(%s)", [part])
                for entry_id, everything, names in cursor.fetchall():
                    found[entry_id] = (set(everything), set(names))
        return found

    # -- reading -------------------------------------------------------------------------------
    def matching(self, alternatives, field: str, limit: int | None = None) -> list[int]:
        """Ids of the entries matching in ``field``, in id order (the first ``limit`` only, if given)."""
        column = "everything" if field == "body" else "short"
        return fetch_ids(f"SELECT entry_id FROM {TABLE} WHERE {column} @@ %s::tsquery",
                         [query_literal(alternatives, field)], "entry_id", limit)

    def count(self, alternatives) -> int:
        """How many entries match any alternative.  Checking a phrase reads each candidate's whole
        tsvector (its word positions), so when plain alternatives are mixed in, the rows they match
        are counted from the index alone and phrases are checked only on the other rows."""
        phrases = [alternative for alternative in alternatives if alternative.phrase and len(alternative.terms) > 1]
        plain = [alternative for alternative in alternatives if alternative not in phrases]
        if not phrases or not plain:
            return self._count(query_literal(alternatives))
        found = set(self.matching(plain, "body"))
        loose = [dataclasses.replace(alternative, phrase=False) for alternative in phrases]  # & instead of <->
        rest = sorted(set(self.matching(loose, "body")) - found)
        if not rest:
            return len(found)
        with connection.cursor() as cursor:
            # MATERIALIZED: fetch these rows by id first; otherwise the planner checks the phrase
            # on every row the GIN index offers and filters by id afterwards.
            cursor.execute(f"WITH candidates AS MATERIALIZED (SELECT everything FROM {TABLE} WHERE entry_id = ANY(%s)) "
                           f"SELECT count(*) FROM candidates WHERE everything @@ %s::tsquery",
                           [rest, query_literal(phrases)])
            return len(found) + cursor.fetchone()[0]

    @staticmethod
    def _count(literal: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE everything @@ %s::tsquery", [literal])
            return cursor.fetchone()[0]

    def relevance(self, alternatives, scope: str) -> dict[int, float]:
        """``ts_rank`` with weights A/B/C/D of every match: over all text (``all``), or over
        titles and aliases only (``names``)."""
        column, field = ("everything", "body") if scope == "all" else ("short", "names")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT entry_id, ts_rank({_RANK_WEIGHTS}, {column}, q) "
                           f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE {column} @@ q",
                           [query_literal(alternatives, field)])
            return dict(cursor.fetchall())

    def similar_terms(self, term: str) -> list[tuple]:
        """(term, display, entries, names, skeleton) of vocabulary terms sharing enough trigrams with ``term``
        (pg_trgm, GIN-indexed)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT term, display, entries, names, skeleton FROM encyclopedia_searchterm "
                           "WHERE term %% %s AND term <> '' "
                           "ORDER BY similarity(term, %s) DESC, entries DESC LIMIT 20", [term, term])
            return cursor.fetchall()

    def similar_names(self, text: str, limit: int) -> list[int]:
        """Entries with a name that looks like ``text`` (trigrams over accent-free names)."""
        with connection.cursor() as cursor:
            # The first hundred look-alikes only, however many there are (a bounded index read).
            cursor.execute("SELECT entry_id FROM (SELECT entry_id, display FROM encyclopedia_searchname "
                           "WHERE immunoref_fold(display) %% immunoref_fold(%s) AND start LIMIT 100) AS alike "
                           "ORDER BY similarity(immunoref_fold(display), immunoref_fold(%s)) DESC LIMIT %s",
                           [text, text, limit * 3])
            return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:limit]
