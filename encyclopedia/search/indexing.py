"""Keep the index equal to the published entries, rewriting only what changed.

Called by ``encyclopedia.sync.write`` inside the loader's transaction, so search and
pages change together or not at all.  For each changed entry: its old terms are read
back from the index, its rows are replaced (or dropped, for a draft), and the
vocabulary counts move by the difference.  Synonyms from the glossary are compared
with what is stored and rewritten only when they differ.  ``SearchIndexState`` keeps
the number of entries indexed and :func:`index_version`, the version of the code that
built the index: when that code changes, the next load rebuilds the index.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..bulk import chunks, insert_rows
from ..models import Entry, GlossaryTerm
from .backends import get_backend
from .documents import Document, build_document, entry_synonyms, glossary_synonyms, glossary_texts, name_rows
from .models import SearchIndexState, SearchName, SearchSynonym, SearchTerm
from .text import base_form
from .typos import skeleton

BATCH = 200
_FIELDS = ("id", "title", "aliases", "headings_text", "summary", "plain_text")
# The code that decides what the index holds: when it changes (a new release), the next
# load rebuilds the index, so stored terms always match how queries are read.
_INDEX_CODE = ("text.py", "spelling.py", "documents.py", "indexing.py", "typos.py", "backends/base.py",
               "backends/sqlite.py", "backends/postgresql.py")


@lru_cache(maxsize=1)
def index_version() -> str:
    """A hash of the code above and of the stemmer's version (read once, on first use)."""
    digest = hashlib.sha256(importlib.metadata.version("snowballstemmer").encode())
    for name in _INDEX_CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


class _Vocabulary:
    """Changes to the vocabulary's counts, applied at the end in a few bulk statements."""

    def __init__(self):
        self.entries: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.surfaces: dict[str, str] = {}
        self.documents = 0

    def add(self, everything: set[str], names: set[str], sign: int) -> None:
        self.documents += sign
        for term in everything:
            self.entries[term] += sign
        for term in names:
            self.names[term] += sign

    def apply(self, fresh: bool) -> None:
        changed = sorted(term for term in set(self.entries) | set(self.names)
                         if (self.entries[term] or self.names[term]) and len(term) <= 100)
        existing: dict[str, SearchTerm] = {}
        if not fresh:
            for part in chunks(changed, 900):
                existing.update((row.term, row) for row in SearchTerm.objects.filter(term__in=part))
        created, updated, emptied = [], [], []
        for term in changed:
            row = existing.get(term)
            if row is None:
                if self.entries[term] > 0:
                    created.append(SearchTerm(term=term, entries=self.entries[term], names=max(0, self.names[term]),
                                              skeleton=skeleton(base_form(self.surfaces.get(term, term)))[:100],
                                              display=self.surfaces.get(term, term)[:100]))
                continue
            row.entries += self.entries[term]
            row.names = max(0, row.names + self.names[term])
            (updated if row.entries > 0 else emptied).append(row)
        SearchTerm.objects.bulk_create(created, batch_size=1000)
        SearchTerm.objects.bulk_update(updated, ["entries", "names"], batch_size=500)
        for part in chunks([row.pk for row in emptied], 900):
            SearchTerm.objects.filter(pk__in=part).delete()
        if self.documents or fresh:
            state, _ = SearchIndexState.objects.get_or_create(pk=1)
            SearchIndexState.objects.filter(pk=1).update(documents=max(0, state.documents + self.documents),
                                                         version=index_version())


def _documents(entry_ids: list[int]):
    """Index documents of the published entries among these, a batch at a time."""
    for part in chunks(entry_ids, BATCH):
        glossary: dict[int, list[str]] = {}
        for record in GlossaryTerm.objects.filter(entry_id__in=part).order_by("term", "pk"):
            glossary.setdefault(record.entry_id, []).extend(glossary_texts(record))
        for row in Entry.objects.published().filter(pk__in=part).order_by("pk").values_list(*_FIELDS):
            yield build_document(*row, glossary.get(row[0], []))


def _write(backend, documents: list[Document], vocabulary: _Vocabulary) -> None:
    backend.insert(documents)
    names, synonyms = [], []
    for document in documents:
        vocabulary.add(document.all_terms(), document.name_terms(), +1)
        for term, surface in document.surfaces.items():
            vocabulary.surfaces.setdefault(term, surface)
        names += [(document.entry_id, key, display, kind, start, words)
                  for key, display, kind, start, words in name_rows(document)]
        synonyms += [(key, group, document.entry_id) for key, group in entry_synonyms(document)]
    insert_rows(SearchName, ("entry", "key", "display", "kind", "start", "words"), names)
    insert_rows(SearchSynonym, ("key", "group", "entry"), synonyms)


def _index(backend, entry_ids: list[int], vocabulary: _Vocabulary) -> None:
    batch: list[Document] = []
    for document in _documents(entry_ids):
        batch.append(document)
        if len(batch) >= BATCH:
            _write(backend, batch, vocabulary)
            batch = []
    if batch:
        _write(backend, batch, vocabulary)


def _forget(backend, entry_ids: list[int], vocabulary: _Vocabulary) -> None:
    for everything, names in backend.stored_terms(entry_ids).values():
        vocabulary.add(everything, names, -1)
    backend.delete(entry_ids)
    for part in chunks(entry_ids, 900):
        SearchName.objects.filter(entry_id__in=part).delete()
        SearchSynonym.objects.filter(entry_id__in=part).delete()


def sync_glossary_synonyms() -> None:
    wanted = set(glossary_synonyms(GlossaryTerm.objects.all()))
    stored = set(SearchSynonym.objects.filter(entry__isnull=True).values_list("key", "group"))
    if wanted == stored:
        return
    SearchSynonym.objects.filter(entry__isnull=True).delete()
    SearchSynonym.objects.bulk_create([SearchSynonym(key=key, group=group) for key, group in sorted(wanted)],
                                      batch_size=1000)


def index_built() -> bool:
    """Whether the index exists and was built by this code."""
    return SearchIndexState.objects.filter(pk=1, version=index_version()).exists()


def rebuild_index() -> int:
    """Index every published entry from scratch; returns how many were indexed."""
    backend = get_backend()
    backend.clear()
    SearchName.objects.all().delete()
    SearchSynonym.objects.all().delete()
    SearchTerm.objects.all().delete()
    SearchIndexState.objects.all().delete()
    vocabulary = _Vocabulary()
    _index(backend, list(Entry.objects.published().order_by("pk").values_list("pk", flat=True)), vocabulary)
    vocabulary.apply(fresh=True)
    sync_glossary_synonyms()
    return vocabulary.documents


def update_index(entry_ids: list[int], rebuild: bool = False) -> None:
    """Rewrite the index rows of these entries (inside the loader's transaction)."""
    if rebuild or not index_built():
        rebuild_index()
        return
    ids = sorted(set(entry_ids))
    if ids:
        backend = get_backend()
        vocabulary = _Vocabulary()
        _forget(backend, ids, vocabulary)
        _index(backend, ids, vocabulary)
        vocabulary.apply(fresh=False)
    sync_glossary_synonyms()


def remove_from_index(entry_ids: list[int]) -> None:
    """Drop the index rows of removed entries."""
    ids = sorted(set(entry_ids))
    if not ids or not index_built():
        return
    vocabulary = _Vocabulary()
    _forget(get_backend(), ids, vocabulary)
    vocabulary.apply(fresh=False)
