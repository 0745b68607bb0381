"""A reload that redoes only the changed files (encyclopedia/changes.py, the same pipeline with
a smaller change set) stores exactly what a full load of the same files stores, and hands
everything else to the full load."""

from __future__ import annotations

import os

import pytest

from encyclopedia import changes, pipeline
from encyclopedia.errors import ContentError
from encyclopedia.models import Citation, ContentState, Entry, Link
from encyclopedia.search import search

pytestmark = pytest.mark.django_db

ENTRY_FIELDS = ("slug", "title", "summary", "category__key", "aliases", "reviewed", "draft", "timeline", "diagram",
                "source_path", "source_hash", "render_hash", "dep_keys", "section_ids", "front_matter", "body_html",
                "toc", "plain_text", "headings_text", "word_count")


def stored_state() -> dict:
    """Everything a reader can see, without row ids or times."""
    return {
        "entries": list(Entry.objects.order_by("slug").values_list(*ENTRY_FIELDS)),
        "links": sorted(Link.objects.values_list("source__slug", "target__slug", "section")),
        "citations": sorted((entry, key, number, tuple(sections)) for entry, key, number, sections in
                            Citation.objects.values_list("entry__slug", "reference__key", "number", "sections")),
        "version": ContentState.objects.get().version,
        "search": [[(hit.slug, hit.snippet) if hasattr(hit, "snippet") else hit.slug for hit in search(words).hits] for words in ("fever", "grading", "infusion", "cells")],
    }


@pytest.fixture
def quick_loads(monkeypatch):
    """The reports of quick loads (None: the full load ran)."""
    seen = []
    original = pipeline.load_content

    def spy(*args, **kwargs):
        report = original(*args, **kwargs)
        seen.append(None if report.everything else report)
        return report

    monkeypatch.setattr(pipeline, "load_content", spy)
    return seen


@pytest.fixture
def folder(content):
    content.entry("plain", title="Plain entry", aliases=["plain words"], redirect_from=["old-plain"],
                  body="Plain text [@hartmann2017]. [[overview]] and [[crs#grading]].\n\n## Part {: #a-part }\n\nMore.\n")
    content.entry("nested", title="Nested entry", category="risks", folder="deeper/down",
                  body="A fever can follow [@june2018]. See [[plain#a-part]].\n")
    return content


QUICK_EDITS = {
    "new words, links, citations and terms": lambda c: c.entry(
        "plain", title="Plain entry", aliases=["plain words"], redirect_from=["old-plain"],
        body="Other words about CAR cells and CRS [@june2018; @hartmann2017]. [[cytokine storm]], "
             "[[immunocell infusion|the therapy]].\n\n## Part {: #a-part }\n\nStill more [[nested]].\n"),
    "summary, category and review date": lambda c: c.entry(
        "plain", title="Plain entry", summary="Another summary.", category="risks", reviewed="2026-11-20",
        aliases=["plain words"], redirect_from=["old-plain"],
        body="Plain text [@hartmann2017]. [[overview]] and [[crs#grading]].\n\n## Part {: #a-part }\n\nMore.\n"),
    "an entry in a subfolder": lambda c: c.entry(
        "nested", title="Nested entry", category="risks", folder="deeper/down",
        body="A fever can follow, and grading helps [@hartmann2017]. See [[plain#a-part]] and [[crs]].\n"),
    "two files at once": lambda c: (
        c.entry("nested", title="Nested entry", category="risks", folder="deeper/down", body="Changed [@june2018].\n"),
        c.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                body="A fever, then grading [@hartmann2017]. Back to [[overview]].\n\n## Grading\n\nFour grades.\n")),
}


@pytest.mark.parametrize("edit", list(QUICK_EDITS))
def test_a_quick_reload_stores_what_a_full_load_stores(folder, load, quick_loads, edit):
    load(folder)
    QUICK_EDITS[edit](folder)
    report = load(folder)
    assert quick_loads[-1] is not None, "the quick path should have handled this change"
    assert report.created == report.removed == 0 and report.updated >= 1
    quick = stored_state()
    load(folder, force=True)  # every file read and rendered again
    assert stored_state() == quick


FULL_EDITS = {
    "a new title": lambda c: c.entry(
        "crs", title="Cytokine release syndrome (CRS)", category="risks", aliases=["CRS", "cytokine storm"],
        body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour grades.\n"),
    "a new section id": lambda c: c.entry(
        "crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
        body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour.\n\n## Care\n\nRest.\n"),
    "a new alias": lambda c: c.entry(
        "crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm", "the storm"],
        body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour grades.\n"),
    "a draft": lambda c: c.entry("nested", title="Nested entry", category="risks", folder="deeper/down", draft=True,
                                 body="A fever can follow [@june2018].\n"),
    "an added file": lambda c: c.entry("extra", title="Extra entry", body="More about [[crs]] [@june2018].\n"),
    "a removed file": lambda c: c.remove("deeper/down/nested.md"),
    "a glossary change": lambda c: c.write(
        "glossary.yaml", c.path("glossary.yaml").read_text().replace("A man-made receptor.", "A receptor made in a lab.")),
}


@pytest.mark.parametrize("edit", list(FULL_EDITS))
def test_changes_other_entries_can_see_take_the_full_load(folder, load, quick_loads, edit):
    load(folder)
    FULL_EDITS[edit](folder)
    load(folder)
    assert quick_loads[-1] is None
    after = stored_state()
    load(folder, force=True)
    assert stored_state() == after


def test_a_new_title_shows_in_the_entries_that_link_to_it(folder, load, client):
    load(folder)
    FULL_EDITS["a new title"](folder)
    load(folder)
    assert "Cytokine release syndrome (CRS)" in client.get("/entries/overview/").content.decode()


def test_nothing_changed_writes_nothing_and_keeps_the_version(folder, load, quick_loads):
    load(folder)
    before = stored_state()
    report = load(folder)
    assert quick_loads[-1] is not None
    assert (report.created, report.updated, report.removed, report.unchanged) == (0, 0, 0, 4)
    assert stored_state() == before


def test_a_mistake_in_a_changed_file_is_reported_by_file_and_line_and_nothing_is_written(folder, load):
    load(folder)
    before = stored_state()
    folder.entry("nested", title="Nested entry", category="risks", folder="deeper/down",
                 body="Fine line.\n\nA link to [[no-such-entry]].\n")
    with pytest.raises(ContentError) as error:
        load(folder)
    [problem] = error.value.problems
    assert problem.path.endswith("deeper/down/nested.md") and problem.line == 9
    assert "no-such-entry" in problem.message
    assert stored_state() == before


def test_a_file_changed_within_the_same_clock_tick_as_the_load_is_still_seen(folder, load):
    """A stored stamp equal to the file's stamp is not trusted when the file changed around the load."""
    load(folder)
    path = folder.path("crs.md")
    path.write_text(path.read_text().replace("A fever after", "A high fever after"))
    state = ContentState.objects.get()
    state.file_stamps["files"]["crs.md"][0] = changes.stamp(path)  # as if the edit kept size, mtime and ctime
    state.save()
    load(folder)
    assert "A high fever after" in Entry.objects.get(slug="crs").plain_text


def test_an_edit_that_keeps_size_and_modification_time_is_seen(folder, load):
    load(folder)
    state = ContentState.objects.get()
    state.file_stamps["scanned_at"] += 60 * 10**9  # every stamp old enough to be trusted
    state.save()
    path = folder.path("crs.md")
    before = os.stat(path)
    path.write_text(path.read_text().replace("A fever after", "A fever later"))  # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    load(folder)
    assert "A fever later" in Entry.objects.get(slug="crs").plain_text


def test_another_content_folder_takes_the_full_load(folder, load, quick_loads, tmp_path):
    load(folder)
    import shutil

    copy = tmp_path / "elsewhere"
    shutil.copytree(folder.root, copy)
    load(copy)
    assert quick_loads[-1] is None
    assert Entry.objects.get(slug="plain").source_path.startswith("elsewhere/")
