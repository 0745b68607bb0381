"""The search index follows the loaded content exactly, rewriting only what changed."""

from __future__ import annotations

import importlib

import pytest

from encyclopedia.errors import ContentError
from encyclopedia.models import Entry
from encyclopedia.search import indexing, rebuild_index, search
from encyclopedia.search.backends import get_backend
from encyclopedia.search.models import SearchIndexState, SearchName, SearchSynonym, SearchTerm

pytestmark = pytest.mark.django_db


def _slugs(query: str) -> list[str]:
    return [hit.slug for hit in search(query).hits]


def _snapshot():
    return (
        sorted(SearchTerm.objects.values_list("term", "entries", "names")),
        sorted(SearchName.objects.values_list("entry__slug", "key", "kind", "start", "words")),
        sorted(SearchSynonym.objects.values_list("key", "group")),
        sorted((hit.slug, str(hit.snippet)) for query in ("crs", "cells", "fever", "grading", "infusion")
               for hit in search(query).hits),
    )


@pytest.fixture
def written(monkeypatch):
    """The ids of the entries whose index rows each load writes."""
    ids: list[int] = []
    original = indexing._write

    def spy(backend, documents, vocabulary):
        ids.extend(document.entry_id for document in documents)
        return original(backend, documents, vocabulary)

    monkeypatch.setattr(indexing, "_write", spy)
    return ids


def test_only_changed_entries_are_reindexed(content, load, written):
    load(content)
    assert len(written) == 2
    written.clear()
    load(content)
    assert written == []
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  body="A fever with low blood pressure [@june2018]. Back to [[overview]].\n\n"
                       "## Grading\n\nFour grades [@june2018; @hartmann2017].\n")
    load(content)
    assert written == [Entry.objects.get(slug="crs").pk]


def test_search_agrees_with_pages_after_a_reload(content, load, client):
    load(content)
    assert _slugs("grading") == ["crs"]
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS"],
                  body="A fever with hypotension [@june2018]. See [[overview]].\n\n"
                       "## Staging\n\nFour stages [@june2018].\n")
    load(content)
    assert _slugs("grading") == []
    assert _slugs("staging") == ["crs"]
    assert "hypotension" in client.get("/entries/crs/").content.decode()
    content.entry("extra", title="Extra page", body="Wombat words [@june2018].\n")
    load(content)
    assert _slugs("wombat") == ["extra"]
    content.remove("extra.md")
    load(content)
    assert search("wombat").total == 0
    assert client.get("/entries/extra/").status_code == 410


def test_incremental_updates_leave_the_same_index_as_a_rebuild(content, load):
    load(content)
    content.entry("extra", title="Extra cells", aliases=["XC"], body="Extra cells and fever [@june2018].\n")
    load(content)
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  body="Fever, grading and cells [@june2018]. See [[overview]].\n")
    load(content)
    content.remove("extra.md")
    load(content)
    incremental = _snapshot()
    rebuild_index()
    assert _snapshot() == incremental


def test_publishing_and_unpublishing_a_draft(content, load):
    content.entry("later", title="Later topic", draft=True, body="Quasar words [@june2018].\n")
    load(content)
    assert search("quasar").total == 0
    content.entry("later", title="Later topic", body="Quasar words [@june2018].\n")
    load(content)
    assert _slugs("quasar") == ["later"]
    content.entry("later", title="Later topic", draft=True, body="Quasar words [@june2018].\n")
    load(content)
    assert search("quasar").total == 0
    assert not SearchTerm.objects.filter(term="quasar").exists()


def test_glossary_changes_update_synonyms(content, load):
    content.entry("notes", title="Notes", body="The chimeric antigen receptor is built in a lab [@june2018].\n")
    load(content)
    assert "notes" in _slugs("CAR")
    content.write_yaml("glossary.yaml", [
        {"term": "Cytokine release syndrome", "abbreviation": "CRS", "definition": "A reaction.", "entry": "crs"},
        {"term": "Immune effector cell-associated neurotoxicity syndrome", "abbreviation": "ICANS",
         "definition": "Brain effects."},
    ])
    content.entry("brain", title="Brain effects", body="Immune effector cell-associated neurotoxicity syndrome "
                                                       "can follow [@june2018].\n")
    load(content)
    assert "notes" not in _slugs("CAR")
    assert _slugs("ICANS") == ["brain"]


def test_a_failed_load_leaves_search_as_it_was(content, load):
    load(content)
    content.write("broken.md", "---\ntitle: Broken\n---\nNo category or date.\n")
    content.entry("crs", title="Cytokine release syndrome", category="risks", body="Renamed words [@june2018].\n")
    with pytest.raises(ContentError):
        load(content)
    assert _slugs("grading") == ["crs"]
    assert search("renamed").total == 0


def test_an_index_built_by_other_code_is_rebuilt_by_the_next_load(content, load):
    load(content)
    SearchIndexState.objects.update(version="older-release")
    SearchTerm.objects.filter(term="grade").delete()  # what an older reading of the words left
    load(content)
    assert _slugs("grading") == ["crs"]
    assert SearchTerm.objects.filter(term="grade").exists()


def test_a_missing_index_is_rebuilt_by_the_next_load(content, load):
    load(content)
    get_backend().clear()
    for model in (SearchTerm, SearchName, SearchSynonym, SearchIndexState):
        model.objects.all().delete()
    assert search("crs").total == 0
    load(content)
    assert _slugs("crs")[0] == "crs"


def test_the_index_state_counts_the_published_entries_and_names_the_code_that_built_them(content, load):
    load(content)
    state = SearchIndexState.objects.get()
    assert state.documents == Entry.objects.published().count() > 0
    assert state.version == indexing.index_version()


def test_migration_0009_moves_the_index_metadata_out_of_the_vocabulary_and_back():
    from django.apps import apps

    migration = importlib.import_module("encyclopedia.migrations.0009_search_index_state")
    SearchTerm.objects.create(term="", entries=7, display="older-code", skeleton="")
    migration.move_to_state(apps, None)
    assert not SearchTerm.objects.filter(term="").exists()
    assert SearchIndexState.objects.values_list("pk", "documents", "version").get() == (1, 7, "older-code")
    migration.move_to_vocabulary(apps, None)
    assert SearchTerm.objects.values_list("entries", "display").get(term="") == (7, "older-code")
