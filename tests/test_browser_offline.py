"""Reading offline in Chromium: visited and saved pages open without a connection, with a note;
a new content version replaces them; a login portal's answer is never kept."""

import pytest

from tests.browser_kit import PageWatch, browser  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIGNS = "Intro text [@june2018].\n\n## Signs to report at once\n\nA fever [@june2018].\n"


@pytest.fixture
def site(live_server, transactional_db, content, load, settings):
    settings.BASE_URL = live_server.url
    content.entry("signs", title="Signs entry", category="risks", body=SIGNS)
    content.entry("plain", title="Plain entry", body="Plain text version one [@june2018].\n")
    load(content)
    return live_server.url, content, load


@pytest.fixture
def context(browser):
    context = browser.new_context(service_workers="allow")
    yield context
    context.close()


def go_offline(context):
    """No network for the pages or the worker (Chromium routes the worker's requests through the context)."""
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort("internetdisconnected"))


def go_online(context):
    context.unroute("**/*")
    context.set_offline(False)


def controlled(page):
    page.evaluate("() => navigator.serviceWorker.ready")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def kept(page, path):
    return page.evaluate("""async (path) => {
        const cache = await caches.open("immunoref-pages-v1");
        const found = await cache.match(new URL(path, location.origin).href);
        return found ? await found.text() : null;
    }""", path)


def wait_kept(page, path, text=""):
    page.wait_for_function("""async ([path, text]) => {
        const cache = await caches.open("immunoref-pages-v1");
        const found = await cache.match(new URL(path, location.origin).href);
        return found && (await found.text()).includes(text);
    }""", arg=[path, text], timeout=15000)


def test_a_visited_page_opens_offline_with_a_note_and_an_unvisited_one_says_offline(site, context):
    base, _content, _load = site
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(base + "/entries/plain/")
    controlled(page)
    wait_kept(page, "/entries/plain/")
    go_offline(context)
    page.goto(base + "/entries/plain/")
    note = page.locator("#offline-note")
    assert "You are offline" in note.inner_text() and "saved on this device" in note.inner_text()
    assert "Plain text version one" in page.content()
    page.goto(base + "/entries/signs/")
    assert page.locator("h1").inner_text() == "You are offline"
    go_online(context)
    expected = ("ERR_INTERNET_DISCONNECTED", "status of 503")  # the offline answer for a page never kept
    assert not [problem for problem in watch.problems if not any(text in problem for text in expected)]


def test_save_for_offline_reading_keeps_the_core_set_and_remove_clears_it(site, context):
    base, _content, _load = site
    page = context.new_page()
    page.goto(base + "/offline/")
    controlled(page)
    assert page.locator("#offline-controls").is_visible()
    page.get_by_role("button", name="Save for offline reading").click()
    page.locator("#offline-status").filter(has_text="saved on this device").wait_for()
    assert kept(page, "/entries/signs/") is not None and kept(page, "/glossary/") is not None
    assert kept(page, "/search/?q=fever") is None
    go_offline(context)
    page.goto(base + "/entries/signs/")
    assert page.locator("#offline-note").is_visible()
    go_online(context)
    page.goto(base + "/offline/")
    page.get_by_role("button", name="Remove saved pages").click()
    page.locator("#offline-status").filter(has_text="No pages are saved").wait_for()
    assert kept(page, "/entries/signs/") is None


def test_a_new_content_version_replaces_the_kept_copies(site, context):
    base, content, load = site
    page = context.new_page()
    page.goto(base + "/entries/plain/")
    controlled(page)
    wait_kept(page, "/entries/plain/", "version one")
    content.entry("plain", title="Plain entry", body="Plain text version two [@june2018].\n")
    load(content)
    page.goto(base + "/entries/signs/")  # any page of the new version
    wait_kept(page, "/entries/plain/", "version two")


def test_a_login_portals_answer_is_not_kept(site, context):
    base, _content, _load = site
    page = context.new_page()
    page.goto(base + "/about/")
    controlled(page)
    context.route("**/entries/plain/", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<html><body>Hospital Wi-Fi: please log in</body></html>"))
    page.goto(base + "/entries/plain/")
    assert "please log in" in page.content()
    page.wait_for_timeout(1000)
    assert kept(page, "/entries/plain/") is None


def test_the_worker_is_served_from_the_root_uncached_and_retired_under_debug(site, client, settings):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Cache-Control"] == "no-cache"
    assert response["Content-Type"].startswith("text/javascript") and b"addEventListener(\"fetch\"" in response.content
    settings.DEBUG = True
    retired = client.get("/sw.js")
    assert b"unregister" in retired.content and b"\"fetch\"" not in retired.content
