"""PostgreSQL: full-text search with labelled ``tsvector`` columns, GIN indexes, ``pg_trgm``.

Table ``encyclopedia_search_document`` (migration 0002, PostgreSQL only; the unmanaged
model :class:`~encyclopedia.search.models.SearchDocument`):

- ``short``: names (label A), headings (B) and summary (C);
- ``everything``: the same plus the body (D), ranked with ``ts_rank`` (``SearchRank``).

The vectors are written as ``tsvector`` literals built here from the same terms the
SQLite backend stores, with one position left empty between parts (names, headings),
so phrases (``<->``) behave exactly as FTS5 phrases do and no text-search parser or
dictionary can make the two databases disagree.  Queries are ``tsquery`` literals
built from those terms, every lexeme quoted (:class:`TsQuery`, a ``SearchQuery`` that
skips ``to_tsquery``).  ``pg_trgm`` finds look-alike terms for "Did you mean"
(``TrigramSimilarity``), and entry names similar to a query that matched nothing
(compared through ``unaccent``).  Prefixes are scanned with ``LIKE`` on the columns'
pattern indexes.
"""

from __future__ import annotations

import dataclasses

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F

from ...bulk import chunks
from ..models import TERM_COLUMNS, SearchDocument, SearchTerm
from .base import FIELD_WEIGHTS, SHORT_FIELDS, SearchBackend

TABLE = SearchDocument._meta.db_table
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS_PER_TERM = 256
# The fields' labels, A for the weightiest.  ts_rank's own weights for the labels (D 0.1,
# C 0.2, B 0.4, A 1.0) keep FIELD_WEIGHTS' order, so relevance is left at its default.
_LABELS = dict(zip(sorted(FIELD_WEIGHTS, key=FIELD_WEIGHTS.get, reverse=True), "ABCD"))


class TsQuery(SearchQuery):
    """A ``tsquery`` literal taken as written: no parser or dictionary between our terms and the index."""

    template = "%(expressions)s::tsquery"


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def vector_literal(fields: dict[str, list[list[str]]], names: tuple[str, ...]) -> str:
    """A tsvector literal of the given fields, each part one position apart from the next."""
    positions: dict[str, list[str]] = {}
    position = 0
    for name in names:
        label = _LABELS[name]
        for part in fields[name]:
            for term in part:
                position = min(position + 1, MAX_POSITION)
                places = positions.setdefault(term, [])
                if len(places) < MAX_POSITIONS_PER_TERM:
                    places.append(f"{position}{label}")
            position = min(position + 1, MAX_POSITION)  # the gap between parts
    return " ".join(f"{_lexeme(term)}:{','.join(dict.fromkeys(places))}" for term, places in positions.items())


def _alternative(alternative, label: str) -> str:
    suffix = f":{label}" if label else ""
    lexemes = [_lexeme(term) + suffix for term in alternative.terms]
    if len(lexemes) == 1:
        return lexemes[0]
    return "(" + (" <-> " if alternative.phrase else " & ").join(lexemes) + ")"


def query_literal(alternatives, field: str = "body") -> str:
    label = _LABELS[field] if field in SHORT_FIELDS else ""
    return " | ".join(_alternative(alternative, label) for alternative in alternatives)


def _column(field: str) -> str:
    return "short" if field in SHORT_FIELDS else "everything"


class PostgreSQLBackend(SearchBackend):
    vendor = "postgresql"
    relevance_limit = 300  # ts_rank reads each row's whole tsvector
    phrase_limit = 300  # so does checking a phrase's word positions

    # -- writing -------------------------------------------------------------------------------
    def insert(self, documents) -> None:
        rows = [(document.entry_id, vector_literal(document.fields, SHORT_FIELDS),
                 vector_literal(document.fields, tuple(FIELD_WEIGHTS)))
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
                    f"ARRAY(SELECT lexeme FROM unnest(short) WHERE %s = ANY(weights)) "
                    f"FROM {TABLE} WHERE entry_id = ANY(%s)", [_LABELS["names"], part])
                for entry_id, everything, names in cursor.fetchall():
                    found[entry_id] = (set(everything), set(names))
        return found

    # -- reading -------------------------------------------------------------------------------
    def matching(self, alternatives, field: str, limit: int | None = None) -> list[int]:
        rows = SearchDocument.objects.filter(**{_column(field): TsQuery(query_literal(alternatives, field))})
        if limit is not None:
            rows = rows.order_by("entry_id")[:limit]
        return list(rows.values_list("entry_id", flat=True))

    def best_places_each(self, asks) -> list[dict[int, float]]:
        """One statement for every ask: a ``SELECT`` per ask (each match's weightiest place, from
        a ``CASE``), joined by ``UNION ALL`` and told apart by the ask's index."""
        selects, params = [], []
        for index, (alternatives, places) in enumerate(asks):
            if not places:
                continue
            tests = [(f"{_column(name)} @@ %s::tsquery", query_literal(alternatives, name), weight)
                     for name, weight in sorted(places, key=lambda place: -place[1])]
            cases = " ".join(f"WHEN {test} THEN %s" for test, _, _ in tests)
            selects.append(f"(SELECT {index}, entry_id, CASE {cases} END FROM {TABLE} "
                           f"WHERE {' OR '.join(test for test, _, _ in tests)})")
            params += [value for _, literal, weight in tests for value in (literal, weight)]
            params += [literal for _, literal, _ in tests]
        found: list[dict[int, float]] = [{} for _ in asks]
        if selects:
            with connection.cursor() as cursor:
                cursor.execute(" UNION ALL ".join(selects), params)
                for index, entry_id, weight in cursor.fetchall():
                    found[index][entry_id] = float(weight)
        return found

    def counts_in(self, groups, field: str) -> list[int]:
        """One statement: a ``count(*) FILTER`` per group over the rows matching any of them."""
        if not groups:
            return []
        column = _column(field)
        literals = [query_literal(alternatives, field) for alternatives in groups]
        counts = ", ".join(f"count(*) FILTER (WHERE {column} @@ %s::tsquery)" for _ in literals)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts} FROM {TABLE} WHERE {column} @@ %s::tsquery",
                           [*literals, query_literal([a for alternatives in groups for a in alternatives], field)])
            return list(cursor.fetchone())

    def count(self, alternatives) -> int:
        """Checking a phrase reads each candidate's whole tsvector (its word positions), so when
        plain alternatives are mixed in, the rows they match are counted from the index alone and
        phrases are checked only on the other rows."""
        phrases = [alternative for alternative in alternatives if alternative.phrase and len(alternative.terms) > 1]
        plain = [alternative for alternative in alternatives if alternative not in phrases]
        if not phrases or not plain:
            return self._count(query_literal(alternatives))
        loose = [dataclasses.replace(alternative, phrase=False) for alternative in phrases]  # & instead of <->
        with connection.cursor() as cursor:
            # One statement: the plain matches and the rows with every word of a phrase come from
            # the index; MATERIALIZED keeps the planner from checking the phrase (reading word
            # positions) on any other row.
            cursor.execute(f"WITH plain AS MATERIALIZED (SELECT entry_id FROM {TABLE} WHERE everything @@ %s::tsquery), "
                           f"rest AS MATERIALIZED (SELECT everything FROM {TABLE} WHERE everything @@ %s::tsquery "
                           f"AND entry_id NOT IN (SELECT entry_id FROM plain)) "
                           f"SELECT (SELECT count(*) FROM plain) + (SELECT count(*) FROM rest WHERE everything @@ %s::tsquery)",
                           [query_literal(plain), query_literal(loose), query_literal(phrases)])
            return cursor.fetchone()[0]

    @staticmethod
    def _count(literal: str) -> int:
        return SearchDocument.objects.filter(everything=TsQuery(literal)).count()

    def relevance(self, alternatives, scope: str) -> dict[int, float]:
        """``ts_rank`` of every match (its default weights for the labels)."""
        column, field = ("everything", "body") if scope == "all" else ("short", "names")
        query = TsQuery(query_literal(alternatives, field))
        return dict(SearchDocument.objects.filter(**{column: query})
                    .annotate(rank=SearchRank(F(column), query)).values_list("entry_id", "rank"))

    def starting_with(self, rows, column: str, prefix: str):
        """``LIKE 'prefix%'`` on the column's pattern index; in no order (ordering would sort every match)."""
        return rows.filter(**{f"{column}__startswith": prefix}).order_by()

    def similar_terms(self, term: str) -> list[tuple]:
        """Terms sharing enough trigrams with ``term`` (pg_trgm, GIN-indexed)."""
        return list(SearchTerm.objects.filter(term__trigram_similar=term)
                    .annotate(similarity=TrigramSimilarity("term", term))
                    .order_by("-similarity", "-entries").values_list(*TERM_COLUMNS)[:20])

    def similar_names(self, text: str, limit: int) -> list[int]:
        """Trigrams over accent-free names (``immunoref_fold``, migration 0002)."""
        with connection.cursor() as cursor:
            # The first hundred look-alikes only, however many there are (a bounded index read):
            # a query from a subquery, which the ORM does not write.
            cursor.execute("SELECT entry_id FROM (SELECT entry_id, display FROM encyclopedia_searchname "
                           "WHERE immunoref_fold(display) %% immunoref_fold(%s) AND start LIMIT 100) AS alike "
                           "ORDER BY similarity(immunoref_fold(display), immunoref_fold(%s)) DESC LIMIT %s",
                           [text, text, limit * 3])
            return list(dict.fromkeys(row[0] for row in cursor.fetchall()))[:limit]
