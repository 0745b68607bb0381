"""What search keeps besides the full-text index itself (the same on every database).

- :class:`SearchTerm`: the index's vocabulary, with how many entries use each term (in
  any text, and in a title or alias).  It weighs query words (rare words tell more),
  finds corrections for misspelt words and completes clipped ones ("chemo").
- :class:`SearchName`: every title and alias of a published entry, from each of its
  words on, for "Go to" on an exact name and for suggestions as you type.
- :class:`SearchSynonym`: names that mean the same (a glossary term, its abbreviation
  and other forms; an acronym alias and the name it abbreviates).
- :class:`SearchIndexState`: one row about the index as a whole: how many entries it
  holds and the version of the code that built it.

All four are rewritten by ``encyclopedia.search.update_index`` inside the loader's
transaction, only for the entries that changed.  :class:`SearchDocument` describes the
PostgreSQL backend's own table (the SQLite backend's are FTS5 tables, which no model
describes).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from . import lookups  # noqa: F401  (registers ``__any_of``, used on the keys below)

# A vocabulary row as corrections read it (typos.corrections, backend.similar_terms).
TERM_COLUMNS = ("term", "display", "entries", "names", "skeleton")


class SearchTerm(models.Model):
    term = models.CharField(max_length=100, unique=True)
    entries = models.IntegerField(default=0)  # entries using the term anywhere
    names = models.IntegerField(default=0)  # entries using it in their title or an alias
    skeleton = models.CharField(max_length=100, db_index=True)  # how it sounds, roughly (see typos.py)
    display = models.CharField(max_length=100, blank=True)  # a way it is written, for "Did you mean"

    class Meta:
        app_label = "encyclopedia"

    def __str__(self) -> str:
        return self.term


class SearchName(models.Model):
    TITLE = "title"
    ALIAS = "alias"

    entry = models.ForeignKey("encyclopedia.Entry", on_delete=models.CASCADE, related_name="search_names")
    key = models.CharField(max_length=200, db_index=True)  # terms from one word of the name to its end
    display = models.CharField(max_length=300)  # the whole name as written
    kind = models.CharField(max_length=10, choices=[(TITLE, "title"), (ALIAS, "alias")])
    start = models.BooleanField(default=True)  # key starts at the name's first word
    words = models.IntegerField(default=1)  # words in the whole name

    class Meta:
        app_label = "encyclopedia"

    def __str__(self) -> str:
        return self.display


class SearchSynonym(models.Model):
    key = models.CharField(max_length=200, db_index=True)  # terms of one name, space-separated
    group = models.CharField(max_length=120, db_index=True)  # names in one group mean the same
    entry = models.ForeignKey("encyclopedia.Entry", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="search_synonyms")  # set when derived from its aliases

    class Meta:
        app_label = "encyclopedia"

    def __str__(self) -> str:
        return f"{self.group}: {self.key}"


class SearchIndexState(models.Model):
    """One row (pk 1): the index's metadata."""

    documents = models.IntegerField(default=0)  # entries in the index (the published ones)
    version = models.CharField(max_length=16, blank=True)  # indexing.index_version() of the code that built it

    class Meta:
        app_label = "encyclopedia"

    def __str__(self) -> str:
        return f"{self.documents} entries, index version {self.version}"


class SearchDocument(models.Model):
    """PostgreSQL only: an entry's terms as two vectors (see backends/postgresql.py)."""

    entry_id = models.BigIntegerField(primary_key=True)
    short = SearchVectorField()  # names, headings and summary
    everything = SearchVectorField()  # the same and the body

    class Meta:
        app_label = "encyclopedia"
        managed = False  # created by migration 0002 on PostgreSQL only
        db_table = "encyclopedia_search_document"
