"""PostgreSQL: workers learn a load's new content version from NOTIFY, not from a query per page."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from encyclopedia import content_version

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's")


@pytest.fixture
def watcher(settings, monkeypatch):
    settings.WATCH_CONTENT_VERSION = True
    settings.DEBUG = False
    monkeypatch.setattr(content_version, "RESYNC_SECONDS", 0.2)
    fresh = content_version._Watcher()
    monkeypatch.setattr(content_version, "_watcher", fresh)
    yield fresh
    fresh.stop()


def settled(expected: str, seconds: float = 10.0) -> str | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen = content_version.watched()
        if seen == expected:
            return seen
        time.sleep(0.02)
    return content_version.watched()


@pytest.mark.django_db(transaction=True)
def test_a_load_reaches_the_watching_worker_without_a_query_per_page(content, load, watcher, client,
                                                                     django_assert_num_queries):
    load(content)
    first = content_version.stored()
    assert settled(first) == first
    client.get("/entries/crs/")  # builds and stores the page
    with django_assert_num_queries(0):
        again = client.get("/entries/crs/")
    assert again.status_code == 200 and first in again["ETag"]

    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  body="A high fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour.\n")
    load(content)
    second = content_version.stored()
    assert second != first
    assert settled(second) == second
    page = client.get("/entries/crs/")
    assert second in page["ETag"] and "A high fever" in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_without_a_watch_connection_pages_read_the_version_themselves(content, load, watcher, client, monkeypatch):
    def refuse(params):
        raise OSError("connection refused")

    monkeypatch.setattr(content_version, "_connect", refuse)
    load(content)
    assert content_version.watched() is None
    page = client.get("/entries/crs/")
    assert page.status_code == 200 and content_version.stored() in page["ETag"]


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_never_delivers_notifications_leaves_pages_reading_the_version(content, load, watcher,
                                                                                     client, monkeypatch):
    """Behind a transaction-mode pooler LISTEN is accepted but nothing arrives: never trust it."""
    monkeypatch.setattr(content_version, "PROBE_SECONDS", 0.3)
    monkeypatch.setattr(content_version, "_hears_itself", lambda conn: False)
    load(content)
    content_version.watched()
    time.sleep(1.0)
    assert content_version.watched() is None
    assert content_version.stored() in client.get("/entries/crs/")["ETag"]
