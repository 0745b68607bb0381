"""Entry history: versions recorded only on real changes, numbered, immutable, withdrawn, renamed, removed."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from encyclopedia.history.models import EntryHistory, EntryVersion, ImmutableVersion, StoredText

CRS_BODY = ("A fever after the infusion [@june2018]. Back to [[overview]].\n\n"
            "## Grading\n\nFour grades [@june2018; @hartmann2017].\n")


def crs(content, body=CRS_BODY, **front):
    content.entry("crs", title=front.pop("title", "Cytokine release syndrome"), category="risks",
                  aliases=["CRS", "cytokine storm"], body=body, **front)


def numbers(slug):
    return list(EntryVersion.objects.filter(history__slug=slug).order_by("number").values_list("number", flat=True))


@pytest.mark.django_db
def test_first_load_records_version_one_and_a_reload_records_nothing(content, load):
    load(content)
    assert numbers("crs") == [1] and numbers("overview") == [1]
    load(content)
    load(content, force=True)
    assert numbers("crs") == [1]


@pytest.mark.django_db
def test_a_text_change_records_the_next_version_with_its_new_notes(content, load):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"),
        extra="changes:\n  - date: 2026-12-01\n    note: Said the fever is high.")
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A very high fever"),
        extra="changes:\n  - date: 2026-12-01\n    note: Said the fever is high.\n"
              "  - date: 2026-12-02\n    note: Said it is very high.")
    load(content)
    versions = list(EntryVersion.objects.filter(history__slug="crs").order_by("number"))
    assert [version.number for version in versions] == [1, 2, 3]
    assert versions[1].notes == [["2026-12-01", "Said the fever is high."]]
    assert versions[2].notes == [["2026-12-02", "Said it is very high."]]
    assert "very high fever" in versions[2].source.text and "very high fever" in versions[2].body.text


@pytest.mark.django_db
def test_a_render_only_change_records_no_version(content, load, monkeypatch):
    load(content)
    from encyclopedia.history import load_hook

    original = load_hook.record_versions

    def restyled(snapshots, *args, **kwargs):  # the same text, marked up differently
        snapshots = [type(s)(**{**s.__dict__, "body_html": s.body_html.replace("<p>", '<p class="new-style">')})
                     for s in snapshots]
        return original(snapshots, *args, **kwargs)

    monkeypatch.setattr(load_hook, "record_versions", restyled)
    load(content, force=True)
    assert numbers("crs") == [1]


@pytest.mark.django_db
def test_citations_renumbered_by_a_new_earlier_citation_elsewhere_are_compared_by_key(content, load):
    from encyclopedia.history.readable import readable

    a = readable('<p>One <sup class="cite">[<a class="cite-link" href="#ref-x">1</a>]</sup></p>')
    b = readable('<p>One <sup class="cite">[<a class="cite-link" href="#ref-x">2</a>]</sup></p>')
    assert a.text() == b.text() and a.citation_keys() == {"x"}


@pytest.mark.django_db
def test_no_versions_under_debug(content, load, settings):
    settings.DEBUG = True
    load(content)
    assert not EntryVersion.objects.exists()


@pytest.mark.django_db
def test_versions_are_never_rewritten_or_deleted(content, load):
    load(content)
    version = EntryVersion.objects.get(history__slug="crs")
    version.title = "Changed"
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.delete()


@pytest.mark.django_db
def test_identical_texts_are_stored_once_and_compressed(content, load):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"))
    load(content)
    crs(content)
    load(content)  # back to the first text: a new version, the same stored texts
    assert numbers("crs") == [1, 2, 3]
    first, _second, third = EntryVersion.objects.filter(history__slug="crs").order_by("number")
    assert (first.source_id, first.body_id) == (third.source_id, third.body_id)
    stored = StoredText.objects.get(pk=first.body_id)
    assert bytes(stored.data)[:1] == b"\x78"  # zlib


@pytest.mark.django_db
def test_old_versions_are_served_as_stored_with_banner_noindex_and_canonical(content, load, client):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"))
    load(content)
    page = client.get("/entries/crs/v/1/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "A fever after the infusion" in html and "high fever" not in html
    assert "You are reading version 1" in html and "may contain information that has since been corrected" in html
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical" href="http://127.0.0.1:8000/entries/crs/"' in html or 'rel="canonical"' in html
    assert "/entries/crs/compare/?from=1&amp;to=2" in html
    assert "Version 1," in html and "/entries/crs/v/1/" in html  # cite this version
    assert page.has_header("ETag") and "immutable" not in page["Cache-Control"]
    current = client.get("/entries/crs/").content.decode()
    assert "/entries/crs/v/2/" in current  # cite this page: the version being read
    assert client.get("/entries/crs/v/9/").status_code == 404


@pytest.mark.django_db
def test_history_page_lists_versions_newest_first_with_a_compare_form(content, load, client):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"),
        extra="changes:\n  - date: 2026-12-03\n    note: Added the 2025 driving advice.")
    load(content)
    html = client.get("/entries/crs/history/").content.decode()
    assert html.index("Version 2") < html.index("Version 1")
    assert "Added the 2025 driving advice." in html
    assert 'action="/entries/crs/compare/"' in html and 'name="from"' in html and 'name="to"' in html
    entry = client.get("/entries/crs/").content.decode()
    assert "Updated <time datetime=\"2026-12-03\">3 December 2026</time>: Added the 2025 driving advice." in entry


@pytest.mark.django_db
def test_withdrawn_version_answers_410_with_reason_and_links(content, load, client):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"))
    load(content)
    before = client.get("/entries/crs/v/1/")
    assert before.status_code == 200
    call_command("withdrawversion", "crs", "1", "--reason", "The dose was wrong.", verbosity=0)
    page = client.get("/entries/crs/v/1/")
    html = page.content.decode()
    assert page.status_code == 410
    assert "The dose was wrong." in html and 'href="/entries/crs/"' in html and "/entries/crs/history/" in html
    assert "A fever after the infusion" not in html
    assert EntryVersion.objects.filter(history__slug="crs", number=1).exists()
    with pytest.raises(CommandError, match="no version 7"):
        call_command("withdrawversion", "crs", "7", "--reason", "x", verbosity=0)
    with pytest.raises(CommandError, match="already withdrawn"):
        call_command("withdrawversion", "crs", "1", "--reason", "x", verbosity=0)
    with pytest.raises(CommandError, match="not a version number"):
        call_command("withdrawversion", "crs", "one", "--reason", "x", verbosity=0)


@pytest.mark.django_db
def test_a_renamed_entry_takes_its_history_and_old_version_addresses_redirect(content, load, client):
    content.entry("old-name", title="Fever care", body="Fever care text [@june2018]. [[overview]]\n")
    load(content)
    content.remove("old-name.md")
    content.entry("fever-care", title="Fever care", body="Fever care text [@june2018]. [[overview]]\n",
                  redirect_from=["old-name"])
    load(content)
    assert numbers("fever-care") == [1, 2]  # the history moved along; the source changed (redirect_from)
    response = client.get("/entries/old-name/v/1/")
    assert response.status_code == 301 and response["Location"] == "/entries/fever-care/v/1/"
    assert client.get("/entries/old-name/history/")["Location"] == "/entries/fever-care/history/"
    assert client.get("/entries/fever-care/v/1/").status_code == 200


@pytest.mark.django_db
def test_a_removed_entry_keeps_its_history_and_a_new_one_on_its_slug_starts_afresh(content, load, client):
    content.entry("extra", title="Extra", body="Extra text [@june2018]. [[overview]]\n")
    load(content)
    content.remove("extra.md")
    load(content)
    gone = client.get("/entries/extra/")
    assert gone.status_code == 410 and "/entries/extra/history/" in gone.content.decode()
    old = client.get("/entries/extra/v/1/")
    assert old.status_code == 200 and "This entry was removed" in old.content.decode()
    content.entry("extra", title="Extra again", body="Different text [@june2018]. [[overview]]\n")
    load(content)
    assert EntryHistory.objects.filter(slug="extra").count() == 2
    current = EntryHistory.objects.get(slug="extra", removed_at=None)
    assert list(current.versions.values_list("number", flat=True)) == [1]
    assert "Different text" in client.get("/entries/extra/v/1/").content.decode()


@pytest.mark.django_db
def test_old_versions_never_appear_in_search_sitemap_or_main_feed(content, load, client):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A quixotic fever"))
    load(content)
    crs(content)
    load(content)
    assert numbers("crs") == [1, 2, 3]
    assert "No entries match" in client.get("/search/?q=quixotic").content.decode()
    assert "/v/" not in client.get("/sitemap.xml").content.decode()
    assert "/v/" not in client.get("/feed.atom").content.decode()


@pytest.mark.django_db
def test_changes_page_and_feeds(content, load, client):
    load(content)
    crs(content, body=CRS_BODY.replace("A fever", "A high fever"),
        extra="changes:\n  - date: 2026-12-03\n    note: Clearer fever advice.")
    load(content)
    html = client.get("/changes/").content.decode()
    assert "Clearer fever advice." in html and "/entries/crs/v/2/" in html
    feed = client.get("/changes/feed.atom")
    assert feed.status_code == 200 and b"Clearer fever advice." in feed.content
    entry_feed = client.get("/entries/crs/history/feed.atom")
    assert entry_feed.status_code == 200 and b"version 2" in entry_feed.content
    assert client.get("/changes/?page=abc").status_code == 404


@pytest.mark.django_db
def test_change_notes_are_validated_with_file_and_line(content, load):
    from encyclopedia.errors import ContentError

    crs(content, extra="changes:\n  - date: 2026-12-01\n    note: " + "x" * 301)
    with pytest.raises(ContentError, match=r"crs.md:9: a change note is at most 300 characters"):
        load(content)
    crs(content, extra="changes:\n  - date: 2026-13-01\n    note: Fine.")
    with pytest.raises(ContentError, match=r"crs.md"):
        load(content)
    crs(content, extra="changes:\n  - date: 2026-12-01\n    note: See **bold**.")
    with pytest.raises(ContentError, match="plain text"):
        load(content)
    crs(content, extra="changes: yesterday")
    with pytest.raises(ContentError, match="must be a list"):
        load(content)
