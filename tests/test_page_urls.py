"""Content loads build links from the page URLconf (immunoref/page_urls.py, no API): every page
address built there is the address the site serves."""

import pytest
from django.urls import get_resolver, reverse

from encyclopedia.addresses import PAGES_URLCONF, entry_url, page_url


def _named_patterns(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.namespace:  # a namespaced include (none among the pages)
                continue
            yield from _named_patterns(pattern)
        elif pattern.name:
            yield pattern.name, len(pattern.pattern.converters)


def test_every_page_address_is_the_one_the_site_serves():
    names = dict(_named_patterns(get_resolver(PAGES_URLCONF)))
    assert {"home", "entry-detail", "glossary", "search", "api-docs", "entry-history"} <= names.keys()
    for name, count in names.items():
        args = ["cytokine-release-syndrome", "2", "x"][:count] if name != "letter-index" else ["c"]
        assert page_url(name, args) == reverse(name, args=args), name


def test_the_api_is_served_but_not_among_the_pages():
    assert reverse("api-v1:entry-list") == "/api/v1/entries/"
    assert "api-v1" not in get_resolver(PAGES_URLCONF).namespace_dict
    assert entry_url("car-t-cells") == "/entries/car-t-cells/"


@pytest.mark.django_db
def test_the_api_and_its_documentation_answer(client):
    assert client.get("/api/v1/").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
