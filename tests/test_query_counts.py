"""Each page type is built with a small, fixed number of queries, whatever the size of the content.

Counts are of a page built afresh (the page cache is emptied first); a page from the
cache costs one query (see test_http_caching.py).  Each page is built twice, from a
small content folder and from one with many more entries, links, citations and
redirects, and must cost the same both times and no more than its budget.
"""

from __future__ import annotations

import pytest
import yaml
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Page -> most queries it may take (the content-version read of the page cache included).
BUDGETS = {
    "/": 6,  # with "Most read this month" (once per time bucket) and "Latest entries"
    "/entries/": 3,
    "/entries/crs/": 15,  # +2 link previews (links with targets, targets' section previews), +1 entry history
    "/entries/old-name/": 4,  # redirect_from: 301 to the entry
    "/entries/gone-entry/": 5,  # removed: 410 Gone
    "/entries/no-such-entry/": 5,  # 404
    "/categories/risks/": 4,
    "/glossary/": 3,
    "/references/": 5,  # the page, the citing entries, and the number of sources of each study type
    "/references/?type=narrative-review": 5,
    "/about/": 2,
    "/search/?q=fever": 17,
    "/search/suggest/?q=cy": 4,
    "/sitemap.xml": 7,  # entries, topics, pages and the A–Z letters
    "/feed.atom": 4,
}
TIMELINE = [{"key": "collect", "title": "Collecting the cells", "duration": "One day", "text": "Cells are taken.",
             "entry": "crs", "cite": ["june2018"]}]


def grow(content, extra: int) -> None:
    """Add entries that link to each other and to crs, cite references and use glossary terms."""
    content.write("timeline.yaml", yaml.safe_dump(TIMELINE, sort_keys=False))
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  redirect_from=["old-name"], timeline=True,
                  body="A fever after the infusion [@june2018]. Back to [[overview]], on to [[extra-0#more]].\n\n"
                       "## Grading\n\nFour grades [@june2018; @hartmann2017].\n")
    for index in range(extra):
        content.entry(f"extra-{index}", title=f"Extra entry {index}", category="risks" if index % 2 else "basics",
                      body=f"CRS and a chimeric antigen receptor [@june2018]. See [[crs]], [[crs#grading]] and "
                           f"[[extra-{(index + 1) % extra}]] [@hartmann2017; @fda-list].\n\n## More\n\nMore [@june2018].\n")


def counts(client) -> dict[str, int]:
    client.get("/about/")  # once-per-process checks (is the database migrated?) are not a page's cost
    found = {}
    for url in BUDGETS:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in {200, 301, 404, 410}, (url, response.status_code)
        found[url] = len(queries)
    return found


@pytest.fixture
def with_gone_entry(content, load):
    content.entry("gone-entry", title="Gone entry", body="Soon removed [@june2018].\n")
    load(content)
    content.remove("gone-entry.md")
    return content


@pytest.mark.django_db
def test_every_page_type_has_a_small_fixed_query_count(with_gone_entry, load, client):
    grow(with_gone_entry, 2)
    load(with_gone_entry)
    small = counts(client)
    grow(with_gone_entry, 25)
    load(with_gone_entry)
    large = counts(client)
    assert large == small, f"a page's query count grows with the content: {small} -> {large}"
    over = {url: count for url, count in small.items() if count > BUDGETS[url]}
    assert not over, f"over budget: {over}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/entries/crs/", "/", "/entries/", "/search/?q=fever"])
def test_page_types_stay_within_budget(url, with_gone_entry, load, client, django_assert_max_num_queries):
    grow(with_gone_entry, 10)
    load(with_gone_entry)
    client.get("/about/")
    cache.clear()
    with django_assert_max_num_queries(BUDGETS[url]):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps a row's stored HTML inline")
def test_lists_of_entries_are_read_from_an_index_never_from_the_rows_with_html():
    """Home, A-Z and a topic (the pager and related entries too) list entries from covering
    indexes (migration 0007); reading category_id from the table walks each row's stored HTML."""
    from encyclopedia.models import Entry

    for query in (Entry.objects.published().listing().order_by("title"),
                  Entry.objects.published().listing().filter(category_id=1).order_by("title")):
        assert "COVERING INDEX" in query.explain()
