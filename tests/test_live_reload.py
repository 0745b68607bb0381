"""`make dev`: Django's autoreloader reports a changed content file and it is loaded; a mistake
shows a banner with file, line and message while the last good content stays served.

The tests send the autoreloader's own signals (``autoreload_started``, ``file_changed``), as
runserver's reloader does when it sees a saved file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client
from django.utils.autoreload import autoreload_started, file_changed

from encyclopedia import middleware, pipeline

CRS_BODY = "A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour grades [@june2018].\n"


class Reloader:
    """What runserver's autoreloader does with our handlers: the folders it is asked to watch."""

    def __init__(self) -> None:
        self.watched: list[tuple] = []

    def watch_dir(self, path, glob) -> None:
        self.watched.append((path, glob))


@pytest.fixture
def dev(content, load, settings):
    """The test folder loaded, served with DEBUG on as `make dev` does, its autoreloader started."""
    load(content)
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = True
    middleware.development_reload.problems = []
    reloader = Reloader()
    autoreload_started.send(sender=reloader)
    assert any(path == content.root.resolve() for path, _glob in reloader.watched)
    return content


def saved(folder, name: str) -> list:
    """The autoreloader saw ``name`` change: the answers of the file_changed handlers."""
    return [answer for _handler, answer in file_changed.send(sender=None, file_path=folder.root / name)]


def write_crs(folder, body: str) -> None:
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body=body)
    assert True in saved(folder, "crs.md")  # handled: the server is not restarted


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
    saved(dev, "fresh.md")
    assert client.get("/entries/fresh/").status_code == 200
    dev.remove("fresh.md")
    saved(dev, ".")  # the folder's time changed
    assert client.get("/entries/fresh/").status_code == 410


@pytest.mark.django_db
def test_a_broken_data_file_is_named_and_the_site_keeps_working(dev, client):
    dev.write("references.yaml", "- id: june2018\n  title: [unclosed\n")
    saved(dev, "references.yaml")
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert "content/references.yaml:" in banner(response.content.decode())
    assert "A fever after the infusion" in response.content.decode()


@pytest.mark.django_db
def test_a_failure_that_is_not_the_contents_fault_is_a_banner_not_an_error_page(dev, client, monkeypatch):
    client.get("/")

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr("encyclopedia.pipeline.load_content", broken)
    write_crs(dev, CRS_BODY.replace("fever", "temperature"))
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert "the content could not be reloaded (RuntimeError: database is locked)" in banner(response.content.decode())


@pytest.mark.django_db
def test_without_debug_nothing_is_reloaded(dev, client, settings):
    settings.DEBUG = False
    dev.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
              body="Changed text [@june2018]. Back to [[nowhere]].\n")
    assert True not in saved(dev, "crs.md")  # not ours to handle: runserver does what it always does
    page = client.get("/entries/crs/").content.decode()
    assert "A fever after the infusion" in page and not banner(page)


@pytest.mark.django_db
def test_code_changes_still_restart_the_server(dev):
    assert True not in [answer for _handler, answer in file_changed.send(sender=None, file_path=Path(pipeline.__file__))]


@pytest.mark.django_db(transaction=True)
def test_concurrent_notices_of_a_change_load_it_once_and_every_page_sees_it(content, load, settings):
    load(content)
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = True
    loads = []
    real_load = pipeline.load_content

    def counting_load(*args, **kwargs):
        report = real_load(*args, **kwargs)
        if report.created or report.updated or report.removed:
            loads.append(report)
        return report

    pipeline.load_content = counting_load
    try:
        content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                      body="Seen by everyone [@june2018]. Back to [[overview]].\n")
        pages: list[str] = []

        def notice_then_fetch():
            try:
                saved(content, "crs.md")
                pages.append(Client().get("/entries/crs/").content.decode())
            finally:
                connections.close_all()  # this thread's own connection

        threads = [threading.Thread(target=notice_then_fetch) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        pipeline.load_content = real_load
    assert len(pages) == 6
    assert all("Seen by everyone" in page for page in pages)
    assert len(loads) == 1
