"""`draft: true` keeps an entry off the public site everywhere; DEBUG (`make dev`) shows it, marked."""

from __future__ import annotations

import pytest

from encyclopedia.errors import ContentError
from tests.contentkit import GLOSSARY

DRAFT_SLUG = "secret-plan"
DRAFT_TITLE = "Unpublished topic"
DRAFT_MARKS = (DRAFT_SLUG, DRAFT_TITLE, "old-secret")

PUBLIC_PAGES = [
    "/", "/entries/", "/categories/basics/", "/categories/risks/", "/entries/overview/", "/entries/crs/",
    "/glossary/", "/references/", "/about/", "/search/?q=Unpublished", "/search/?q=secret",
    "/search/suggest/?q=Unpub", "/search/suggest/?q=secret", "/sitemap.xml", "/feed.atom", "/robots.txt",
]


@pytest.fixture
def with_draft(content):
    """The minimal folder plus a draft in `risks` that links to both published entries, is the
    glossary's page for a term, a timeline step's page, and has an old address."""
    content.write_yaml("glossary.yaml", [*GLOSSARY, {"term": "Special term", "definition": "A word.",
                                                     "entry": DRAFT_SLUG}])
    content.write_yaml("timeline.yaml", [
        {"key": "collect", "title": "Collecting the cells", "duration": "One day", "text": "Cells are collected.",
         "entry": DRAFT_SLUG, "cite": ["june2018"]},
        {"key": "give", "title": "Giving the cells", "duration": "One hour", "text": "Cells are given.",
         "entry": "overview", "cite": ["june2018"]},
    ])
    content.entry("overview", title="Immune cell infusion", category="basics", aliases=["adoptive cell therapy"],
                  timeline=True, body="Immune cells are given by drip, a special term [@june2018]. See [[crs]].\n")
    content.entry(DRAFT_SLUG, title=DRAFT_TITLE, category="risks", aliases=["hidden alias"], draft=True,
                  redirect_from=["old-secret"],
                  body="Draft text [@fda-list]. See [[overview]] and [[crs]].\n\n## Detail\n\nMore [@hartmann2017].\n")
    return content


def assert_no_trace_of_the_draft(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    for mark in DRAFT_MARKS:
        assert mark not in page, f"{url} shows {mark!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_public_page_shows_a_draft(with_draft, load, client, settings, url):
    settings.DEBUG = False
    load(with_draft)
    assert_no_trace_of_the_draft(client, url)


@pytest.mark.django_db
def test_a_draft_has_no_public_page_and_its_old_address_leads_nowhere(with_draft, load, client, settings):
    settings.DEBUG = False
    load(with_draft)
    assert client.get(f"/entries/{DRAFT_SLUG}/").status_code == 404
    assert client.get("/entries/old-secret/").status_code == 404


@pytest.mark.django_db
def test_under_debug_a_draft_is_served_listed_and_marked(with_draft, load, client, settings):
    settings.DEBUG = True
    settings.CONTENT_AUTORELOAD = False
    load(with_draft)
    page = client.get(f"/entries/{DRAFT_SLUG}/").content.decode()
    assert 'id="draft-banner"' in page and "Draft" in page
    assert client.get("/entries/old-secret/").status_code == 301
    index = client.get("/entries/").content.decode()
    assert DRAFT_TITLE in index
    assert index.split(DRAFT_TITLE, 1)[1].split("</li>", 1)[0].count("Draft") == 1
    assert 'id="draft-banner"' not in client.get("/entries/crs/").content.decode()


@pytest.mark.django_db
def test_publishing_a_draft_puts_it_everywhere(with_draft, load, client, settings):
    settings.DEBUG = False
    load(with_draft)
    with_draft.entry(DRAFT_SLUG, title=DRAFT_TITLE, category="risks", aliases=["hidden alias"],
                     body="Draft text [@fda-list]. See [[overview]] and [[crs]].\n")
    load(with_draft)
    assert client.get(f"/entries/{DRAFT_SLUG}/").status_code == 200
    assert DRAFT_TITLE in client.get("/entries/").content.decode()
    assert f"/entries/{DRAFT_SLUG}/" in client.get("/sitemap.xml").content.decode()
    assert DRAFT_TITLE in client.get("/entries/overview/").content.decode()  # "Linked from"


@pytest.mark.django_db
def test_a_published_entry_linking_to_a_draft_is_a_load_error(with_draft, load):
    with_draft.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS"],
                     body="A fever [@june2018]. See [[overview]].\n\nAlso [[hidden alias|this]].\n")
    with pytest.raises(ContentError) as refused:
        load(with_draft)
    assert [str(problem) for problem in refused.value.problems] == [
        "content/crs.md:10: cross-link `[[hidden alias|this]]`: `secret-plan` is a draft; a published entry cannot "
        "link to a draft (publish it first or remove the link)"]


@pytest.mark.django_db
def test_a_draft_may_link_to_another_draft(with_draft, load, client, settings):
    with_draft.entry("second-draft", title="Another draft", category="basics", draft=True,
                     body="Text [@june2018]. See [[secret-plan#detail]] and [[overview]].\n")
    load(with_draft)
    settings.DEBUG = False
    assert client.get("/entries/second-draft/").status_code == 404
