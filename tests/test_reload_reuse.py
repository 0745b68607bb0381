"""A reload reuses what the last load read for unchanged files, and reads everything else in full."""

from __future__ import annotations

import pytest

from encyclopedia import parse_cache
from encyclopedia.errors import ContentError
from encyclopedia.loader import read_content
from encyclopedia.models import ContentState, Entry
from encyclopedia.sync import StoredInDatabase


@pytest.fixture
def richer(content):
    content.entry("plain", title="Plain entry", aliases=["plain words"], redirect_from=["old-plain"], draft=True,
                  body="Plain text [@hartmann2017]. [[overview]] and [[crs]].\n\n## Part {: #a-part }\n\nMore.\n")
    return content


@pytest.mark.django_db
def test_reused_records_equal_records_read_in_full(richer, load):
    load(richer)
    known = StoredInDatabase().known()
    reused, fresh = read_content(richer.root, known), read_content(richer.root)
    assert reused.entries == fresh.entries
    assert reused.references == fresh.references
    assert list(reused.references) == list(fresh.references)
    assert reused.file_hashes == fresh.file_hashes
    assert not reused.problems and not fresh.problems


@pytest.mark.django_db
def test_a_changed_file_is_read_and_checked_in_full(richer, load):
    load(richer)
    richer.write("plain.md", "---\ntitle: Plain entry\nsummary: S.\ncategory: basics\nreviewed: 2026-13-01\n---\nText.\n")
    with pytest.raises(ContentError) as error:
        load(richer)
    assert any(problem.path.endswith("plain.md") and problem.line == 5 for problem in error.value.problems)
    assert Entry.objects.get(slug="plain").title == "Plain entry"  # nothing was written


@pytest.mark.django_db
def test_a_changed_reference_file_is_read_again(richer, load, client):
    load(richer)
    text = richer.path("references.yaml").read_text()
    richer.write("references.yaml", text.replace("Clinical development of CAR T cells", "Clinical development, revised"))
    report = load(richer)
    assert report.rendered == 3  # every entry citing hartmann2017
    assert "Clinical development, revised" in client.get("/references/").content.decode()
    richer.write("references.yaml", "# a comment only\n" + richer.path("references.yaml").read_text())
    assert load(richer).rendered == 0
    assert ContentState.objects.get().files["references.yaml"] == parse_cache.file_hash(
        richer.path("references.yaml").read_bytes())


@pytest.mark.django_db
def test_new_reading_code_reads_everything_again(richer, load, monkeypatch):
    load(richer)
    calls = []
    monkeypatch.setattr(parse_cache, "reader_fingerprint", lambda: "another-version")
    monkeypatch.setattr("encyclopedia.loader.read_entry", lambda *args: calls.append(args) or None)
    with pytest.raises(ContentError):
        load(richer)  # every entry went through the (here broken) full reader
    assert len(calls) == 3


@pytest.mark.django_db
def test_a_reload_with_nothing_changed_writes_nothing(richer, load, django_assert_max_num_queries):
    load(richer)
    before = ContentState.objects.get()
    with django_assert_max_num_queries(12):
        report = load(richer)
    assert (report.unchanged, report.rendered, report.updated) == (3, 0, 0)
    assert ContentState.objects.get().loaded_at == before.loaded_at
