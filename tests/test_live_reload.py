"""`make dev`: a changed content file is loaded on the next request; a mistake shows a banner
with file, line and message while the last good content stays served."""

from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.test import Client

from encyclopedia import middleware

CRS_BODY = "A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour grades [@june2018].\n"


@pytest.fixture
def dev(content, load, settings):
    """The test folder loaded, served with DEBUG on as `make dev` does."""
    load(content)
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = True
    return content


def write_crs(folder, body: str) -> None:
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body=body)


def banner(page: str) -> str:
    if 'class="content-errors"' not in page:
        return ""
    return page.split('class="content-errors"', 1)[1].split("</div>", 1)[0]


@pytest.mark.django_db
def test_an_edit_shows_a_banner_then_the_fix_shows_the_new_text(dev, client):
    page = client.get("/entries/crs/").content.decode()
    assert "A fever after the infusion" in page and not banner(page)

    write_crs(dev, "A fever after the infusion [@june2018]. Back to [[overveiw]].\n")
    page = client.get("/entries/crs/").content.decode()
    shown = banner(page)
    assert "content/crs.md:8: cross-link `[[overveiw]]`: no entry or alias `overveiw` (did you mean `overview`?)" \
        in shown.replace("&#x27;", "'")
    assert "A fever after the infusion" in page  # the last good version is still served
    assert "Four grades" in page

    write_crs(dev, "A high temperature after the infusion [@june2018]. Back to [[overview]].\n")
    page = client.get("/entries/crs/").content.decode()
    assert not banner(page)
    assert "A high temperature after the infusion" in page
    assert "Four grades" not in page


@pytest.mark.django_db
def test_the_banner_shows_on_every_page_until_fixed_and_escapes_the_message(dev, client):
    write_crs(dev, "Bad [@june2018]. [[<script>alert(1)</script>]] and [[overview]].\n")
    for url in ["/", "/entries/", "/entries/overview/", "/glossary/"]:
        page = client.get(url).content.decode()
        assert "content/crs.md:8:" in banner(page), url
        assert "<script>alert(1)" not in page
    write_crs(dev, CRS_BODY)
    assert not banner(client.get("/").content.decode())


@pytest.mark.django_db
def test_two_quick_saves_of_the_same_size_are_both_seen(dev, client):
    write_crs(dev, "Version AAAA of the text [@june2018]. Back to [[overview]].\n")
    assert "Version AAAA" in client.get("/entries/crs/").content.decode()
    write_crs(dev, "Version BBBB of the text [@june2018]. Back to [[overview]].\n")  # same size, same clock tick
    assert "Version BBBB" in client.get("/entries/crs/").content.decode()


@pytest.mark.django_db
def test_new_and_removed_files_are_seen(dev, client):
    dev.entry("fresh", title="A fresh entry", category="basics", body="New text [@june2018]. See [[crs]].\n")
    assert client.get("/entries/fresh/").status_code == 200
    dev.remove("fresh.md")
    assert client.get("/entries/fresh/").status_code == 410


@pytest.mark.django_db
def test_a_broken_data_file_is_named_and_the_site_keeps_working(dev, client):
    dev.write("references.yaml", "- id: june2018\n  title: [unclosed\n")
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert "content/references.yaml:" in banner(response.content.decode())
    assert "A fever after the infusion" in response.content.decode()


@pytest.mark.django_db
def test_a_failure_that_is_not_the_contents_fault_is_a_banner_not_an_error_page(dev, client, monkeypatch):
    client.get("/")

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("encyclopedia.sync.load_content", broken)
    write_crs(dev, CRS_BODY.replace("fever", "temperature"))
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert "the content could not be reloaded (RuntimeError: database is locked)" in banner(response.content.decode())


@pytest.mark.django_db
def test_without_debug_nothing_is_reloaded(dev, client, settings):
    settings.DEBUG = False
    write_crs(dev, "Changed text [@june2018]. Back to [[nowhere]].\n")
    page = client.get("/entries/crs/").content.decode()
    assert "A fever after the infusion" in page and not banner(page)


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_during_a_change_load_it_once_and_all_see_it(content, load, settings):
    load(content)
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = True
    Client().get("/")  # the watcher's first look
    loads = []
    real_reload = middleware.ContentWatcher.reload

    def counting_reload(self):
        loads.append(1)
        return real_reload(self)

    middleware.ContentWatcher.reload = counting_reload
    try:
        write_crs(content, "Seen by everyone [@june2018]. Back to [[overview]].\n")
        pages: list[str] = []

        def fetch():
            try:
                pages.append(Client().get("/entries/crs/").content.decode())
            finally:
                connections.close_all()  # this thread's own connection

        threads = [threading.Thread(target=fetch) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        middleware.ContentWatcher.reload = real_reload
    assert len(pages) == 6
    assert all("Seen by everyone" in page for page in pages)
    assert len(loads) == 1
