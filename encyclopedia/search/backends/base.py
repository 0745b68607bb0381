"""The search backend interface: what every backend answers, and the fields it weighs.

:data:`FIELD_WEIGHTS` is the one definition of a document's fields and of what a match
in each is worth: ranking scores with it, SQLite's bm25 weighs its columns with it, and
PostgreSQL labels the fields A to D in its order.
"""

from __future__ import annotations

from django.db.models import QuerySet

# A document's fields, most telling first, with the weight of a match there.  ``body``
# is the whole text (names, headings and summary included): "anywhere".
FIELD_WEIGHTS = {"names": 8.0, "headings": 4.0, "summary": 2.0, "body": 1.0}
NAME_WEIGHT = FIELD_WEIGHTS["names"]
SHORT_FIELDS = ("names", "headings", "summary")  # the fields short enough to scan for any word


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

    def best_places_each(self, asks) -> list[dict[int, float]]:
        """For each (alternatives, places) of ``asks``, in order: entry → the weight of the
        weightiest of ``places`` ((field, weight), lightest first) where it matches any
        alternative ({} for no places).  One ``matching`` per place here; a backend that can
        answer in one statement does."""
        found = []
        for alternatives, places in asks:
            best: dict[int, float] = {}
            for name, weight in places:  # lightest first, so a better place overwrites
                best.update(dict.fromkeys(self.matching(alternatives, name), weight))
            found.append(best)
        return found

    def counts_in(self, groups, field: str) -> list[int]:
        """For each group of alternatives, how many entries match one of them in ``field``."""
        return [len(self.matching(alternatives, field)) for alternatives in groups]

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
