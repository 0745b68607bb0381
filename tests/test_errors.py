"""Error pages: friendly, with no detail leaked, and every error logged with a request id."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import Client
from django.urls import include, path

from encyclopedia import readiness
from encyclopedia.middleware import RequestIdLogFilter
from tests.hostile.check import find, page_dangers, squash

SECRET_DETAIL = "the secret detail of this failure"


def _fails(request):
    raise RuntimeError(SECRET_DETAIL)


def _database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def _bad_query(request):
    raise ProgrammingError("syntax error at or near SELECT")


# A URLconf with views that fail, for @pytest.mark.urls("tests.test_errors").
urlpatterns = [
    path("fails/", _fails),
    path("database-gone/", _database_gone),
    path("bad-query/", _bad_query),
    path("", include("encyclopedia.urls")),
]
handler400 = "encyclopedia.views.bad_request"
handler404 = "encyclopedia.views.not_found"
handler500 = "encyclopedia.views.server_error"


class _Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestIdLogFilter())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def logged():
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "encyclopedia")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler.records
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def quiet_client(db):
    return Client(raise_request_exception=False)


@pytest.mark.django_db
@pytest.mark.urls("tests.test_errors")
def test_an_error_shows_a_friendly_500_with_a_reference_and_logs_it_with_that_id(quiet_client, logged):
    response = quiet_client.get("/fails/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    for leak in (SECRET_DETAIL, "RuntimeError", "Traceback", "_fails", "settings", "File \""):
        assert leak not in page, leak
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8 and request_id in squash(find(page, "code")[0]["text"])
    errors = [record for record in logged if record.levelno >= logging.ERROR and record.name == "django.request"]
    assert errors and errors[0].request_id == request_id
    assert errors[0].exc_info and SECRET_DETAIL in str(errors[0].exc_info[1])  # the log has the detail
    assert not page_dangers(page)


@pytest.mark.django_db
def test_an_unknown_host_gets_a_friendly_400(quiet_client, logged):
    response = quiet_client.get("/entries/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This request could not be understood" in page
    assert "evil.example" not in page and "ALLOWED_HOSTS" not in page
    assert any(record.request_id == response["X-Request-ID"] for record in logged)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/no/such/page/", "/entries/no-such-entry/", "/entries/%3Cscript%3E/",
                                 "/categories/nope/", "/static/no-such-file.css", "/%ff%fe/"])
def test_unknown_pages_get_a_friendly_404_with_a_way_on(quiet_client, url):
    response = quiet_client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page and 'role="search"' in page
    assert "<script>" not in page and not page_dangers(page)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    {"q": "x" * 100_000}, {"q": "\x00"}, {"q": "a\x00b"}, "q=%ED%A0%80", "q=%ff%fe%00", {"q": ["crs", "fever"]},
    {"q": "%ff%fe"}, {"q": "' OR 1=1 --"}, {"q": "\" NEAR AND OR * ( ) :"}, {"q": "<script>alert(1)</script>"},
    {"q": "crs", "page": "-1"}, {"q": "crs", "page": "abc"}, {"q": "crs", "page": "99999999999999999999"},
    {"q": "🧬" * 500}, {"q": "\u202e"}, {"q": " "},
])
def test_odd_searches_never_fail(content, load, quiet_client, query):
    load(content)
    for url in ("/search/", "/search/suggest/"):
        response = quiet_client.get(f"{url}?{query}") if isinstance(query, str) else quiet_client.get(url, query)
        assert response.status_code in {200, 400}, (url, query, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            assert not page_dangers(response.content.decode())


@pytest.mark.django_db
def test_while_the_database_is_not_ready_pages_answer_503_with_no_detail(quiet_client, monkeypatch, logged):
    monkeypatch.setattr(readiness, "readiness", readiness._Readiness())
    monkeypatch.setattr("encyclopedia.sync.database_ready",
                        lambda: "the database is not migrated; run `python manage.py migrate` (or `make run`)")
    response = quiet_client.get("/entries/crs/")
    assert response.status_code == 503
    assert response["Retry-After"] and response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "not available at the moment" in page and "migrat" not in page
    assert any("not migrated" in record.getMessage() for record in logged)
    monkeypatch.setattr("encyclopedia.sync.database_ready", lambda: None)
    readiness.readiness.checked_at = float("-inf")  # as if the recheck interval had passed
    assert quiet_client.get("/about/").status_code == 200


@pytest.mark.django_db
@pytest.mark.urls("tests.test_errors")
def test_a_query_failing_because_the_database_is_gone_answers_503_other_query_errors_500(quiet_client,
                                                                                       monkeypatch):
    monkeypatch.setattr(readiness, "readiness", readiness._Readiness())
    readiness.readiness.ready = True
    monkeypatch.setattr("encyclopedia.sync.database_ready", lambda: "the database cannot be opened (gone)")
    assert quiet_client.get("/database-gone/").status_code == 503
    monkeypatch.setattr(readiness, "readiness", readiness._Readiness())
    readiness.readiness.ready = True
    monkeypatch.setattr("encyclopedia.sync.database_ready", lambda: None)
    response = quiet_client.get("/bad-query/")
    assert response.status_code == 500 and "syntax error" not in response.content.decode()


def test_an_unreachable_database_is_named_in_one_plain_line(tmp_path):
    """`make run` asks `checkdatabase` first, so a wrong DATABASE_URL never ends in a traceback."""
    import os

    from tests.serving import manage

    env = {**os.environ, "DATABASE_URL": "postgres://someone:hunter2@127.0.0.1:9/immunoref",
           "DJANGO_SETTINGS_MODULE": "immunoref.settings"}
    done = manage(env, "checkdatabase", timeout=60)
    assert done.returncode == 1
    assert "cannot reach the PostgreSQL database `immunoref` on 127.0.0.1:9" in done.stderr
    assert "hunter2" not in done.stderr and "Traceback" not in done.stderr
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/missing/folder/db.sqlite3"
    done = manage(env, "checkdatabase", timeout=60)
    assert done.returncode == 1 and "its folder exists" in done.stderr and "Traceback" not in done.stderr
