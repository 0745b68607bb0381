"""HTTP caching: ETags and 304s, Cache-Control for a CDN, a page cache that never serves old content."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from encyclopedia import caching, content_version

PAGES = ["/", "/entries/", "/entries/crs/", "/categories/risks/", "/glossary/", "/references/", "/about/",
         "/search/?q=fever"]


@pytest.fixture
def loaded(content, load):
    load(content)
    return content


@pytest.mark.django_db
def test_a_repeat_visit_gets_304_not_modified(loaded, client):
    first = client.get("/entries/crs/")
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    again = client.get("/entries/crs/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and "s-maxage=" in again["Cache-Control"]
    # A proxy that compresses the page weakens the tag; the comparison is weak, so it still matches.
    assert client.get("/entries/crs/", HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get("/entries/crs/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.django_db
def test_pages_are_public_for_a_cdn_and_revalidated_by_browsers(loaded, client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip().split("=")[0]: part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age", "s-maxage", "stale-while-revalidate"} <= set(directives), url
        assert directives["max-age"] == "max-age=0", url
        assert response.has_header("ETag"), url


@pytest.mark.django_db
def test_nothing_per_request_makes_a_page_uncacheable(loaded, client):
    for url in PAGES:
        first, second = client.get(url), client.get(url)
        assert not first.cookies and not second.cookies, url
        assert "cookie" not in first.get("Vary", "").lower(), url
        assert "nonce" not in first.get("Content-Security-Policy", ""), url
        assert first.content == second.content, url  # no nonce, token or time in the page


@pytest.mark.django_db
def test_a_cached_page_costs_one_small_query_and_a_304_the_same(loaded, client):
    first = client.get("/entries/crs/")
    with CaptureQueriesContext(connection) as cached:
        again = client.get("/entries/crs/")
    assert again.content == first.content
    assert len(cached) == 1 and "version" in cached[0]["sql"].lower()
    with CaptureQueriesContext(connection) as revalidated:
        assert client.get("/entries/crs/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert len(revalidated) == 1


@pytest.mark.django_db
def test_a_reload_changes_the_page_at_once(loaded, load, client):
    before = client.get("/entries/crs/")
    assert "Cytokine release syndrome" in before.content.decode()
    loaded.entry("crs", title="CRS, the whole story", category="risks", aliases=["CRS"],
                 body="A fever after the infusion [@june2018]. Back to [[overview]].\n")
    load(loaded)
    after = client.get("/entries/crs/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "CRS, the whole story" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # Other pages show the new title too: the whole site has one content version.
    assert "CRS, the whole story" in client.get("/entries/").content.decode()


@pytest.mark.django_db
def test_a_reload_that_changes_nothing_keeps_the_etag(loaded, load, client):
    etag = client.get("/entries/crs/")["ETag"]
    load(loaded)
    assert client.get("/entries/crs/", HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_a_code_only_deploy_changes_the_etag(loaded, client, monkeypatch):
    etag = client.get("/entries/crs/")["ETag"]
    monkeypatch.setenv("IMMUNOREF_RELEASE", "2027.01.1")
    caching.release.cache_clear()
    try:
        response = client.get("/entries/crs/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert response["ETag"] != etag and "2027.01.1" in response["ETag"]
    finally:
        monkeypatch.delenv("IMMUNOREF_RELEASE")
        caching.release.cache_clear()


def test_the_release_hash_follows_code_and_templates_not_paths_or_times(tmp_path, settings):
    def tree(root, template_text):
        for folder in caching.RELEASE_FOLDERS:
            (root / folder).mkdir(parents=True)
        (root / "encyclopedia" / "views.py").write_text("def home(): pass\n")
        (root / "templates" / "base.html").write_text(template_text)
        return root

    def release_of(root):
        settings.BASE_DIR = root
        caching.release.cache_clear()
        try:
            return caching.release()
        finally:
            caching.release.cache_clear()

    one = release_of(tree(tmp_path / "one", "<title>A</title>"))
    assert release_of(tree(tmp_path / "two", "<title>A</title>")) == one  # another folder, same code
    assert release_of(tree(tmp_path / "three", "<title>B</title>")) != one


@pytest.mark.django_db
def test_error_pages_are_not_cached_publicly(loaded, load, client):
    missing = client.get("/entries/no-such-entry/")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "no-cache" and not missing.has_header("ETag")
    loaded.entry("short-lived", title="Short lived", body="Text [@june2018].\n")
    load(loaded)
    assert client.get("/entries/short-lived/").status_code == 200
    loaded.remove("short-lived.md")
    load(loaded)
    gone = client.get("/entries/short-lived/")
    assert gone.status_code == 410 and "public" not in gone["Cache-Control"]


@pytest.mark.django_db
def test_debug_pages_are_never_stored(loaded, client, settings):
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = False
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store" and not response.has_header("ETag")


@pytest.mark.django_db
def test_only_get_and_head_are_cached(loaded, client):
    head = client.head("/entries/crs/")
    assert head.status_code == 200 and head.has_header("ETag")
    posted = client.post("/search/", {"q": "fever"})
    assert not posted.has_header("ETag") and "public" not in posted.get("Cache-Control", "")


@pytest.mark.django_db
def test_each_query_string_is_its_own_page(loaded, client):
    fever = client.get("/search/?q=fever").content
    grading = client.get("/search/?q=grading").content
    assert fever != grading
    assert client.get("/search/?q=fever").content == fever


@pytest.mark.django_db
def test_an_unknown_host_is_refused_even_for_a_cached_page(loaded, client):
    assert client.get("/entries/crs/").status_code == 200
    assert client.get("/entries/crs/", HTTP_HOST="attacker.example").status_code == 400


@pytest.mark.django_db
def test_with_nothing_loaded_pages_are_served_uncached(client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache" and not response.has_header("ETag")


@pytest.mark.django_db
def test_a_page_built_while_a_load_commits_is_not_stored(loaded, load, client, monkeypatch):
    """The version is read again after the page is built; if a load committed meanwhile,
    the page (which may mix versions) gets no validator and is not kept."""
    versions = iter(["v-before", "v-after"])
    monkeypatch.setattr(content_version, "stored", lambda: next(versions))
    response = client.get("/entries/crs/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache" and not response.has_header("ETag")


def test_hashed_static_files_are_immutable_and_compressed(tmp_path, settings, client):
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import RequestFactory

    hashed = staticfiles_storage.url("encyclopedia/site.css")
    assert hashed != "/static/encyclopedia/site.css"
    served = WhiteNoiseMiddleware(lambda request: None)
    response = served(RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="br, gzip"))
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] == "br"
    plain = served(RequestFactory().get("/static/encyclopedia/site.css"))
    assert "immutable" not in plain["Cache-Control"]


@pytest.mark.django_db
def test_a_remembered_version_delays_a_reload_by_at_most_its_seconds(loaded, load, client, settings, monkeypatch):
    settings.CONTENT_VERSION_SECONDS = 60
    monkeypatch.setattr(content_version, "_remembered", (0.0, None))
    before = client.get("/entries/crs/")
    loaded.entry("crs", title="CRS, renamed", category="risks", aliases=["CRS"],
                 body="A fever after the infusion [@june2018]. Back to [[overview]].\n")
    load(loaded)
    assert client.get("/entries/crs/")["ETag"] == before["ETag"]  # still the remembered version
    monkeypatch.setattr(content_version, "_remembered", (0.0, content_version._remembered[1]))  # its seconds are up
    after = client.get("/entries/crs/")
    assert after["ETag"] != before["ETag"] and "CRS, renamed" in after.content.decode()


@pytest.mark.django_db
def test_a_page_cache_that_is_down_does_not_take_pages_down(loaded, client, monkeypatch, caplog):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(cache, "get", down)
    monkeypatch.setattr(cache, "set", down)
    response = client.get("/entries/crs/")
    assert response.status_code == 200 and response.has_header("ETag")
    assert "page cache is unavailable" in caplog.text
