"""Listing pages stay small at any size: one A–Z page per letter, long lists in numbered pages,
every entry reachable by links and in the sitemap (encyclopedia/listings.py).

The limits are made small here so a few dozen entries behave as 10,000 would;
bench/listings.py measures the real sizes at 10,000 entries."""

from __future__ import annotations

import re

import pytest

from encyclopedia import listings

TITLES = ([f"Alpha {n:02d}" for n in range(12)] + [f"Beta {n}" for n in range(3)] + ["Émile's test", "3-day rule"]
          + [f"Zeta {n}" for n in range(2)])


@pytest.fixture
def many(content, load, monkeypatch):
    for number, title in enumerate(TITLES):
        content.entry(f"listed-{number:02d}", title=title, category="risks" if number % 2 else "basics",
                      body=f"{title} [@june2018].\n")
    load(content)
    monkeypatch.setattr(listings, "ENTRIES_PER_PAGE", 5)
    monkeypatch.setattr(listings, "FULL_INDEX_LIMIT", 10)
    monkeypatch.setattr(listings, "REFERENCES_PER_PAGE", 1)
    return content


def links(html: str) -> set[str]:
    return set(re.findall(r'href="(/[^"#]*)"', html))


def test_a_large_site_lists_letters_not_entries_on_the_a_z_page(many, client):
    page = client.get("/entries/").content.decode()
    assert {"/a-z/a/", "/a-z/b/", "/a-z/e/", "/a-z/z/", "/a-z/other/"} <= links(page)
    assert "/entries/listed-00/" not in links(page)
    assert "choose a letter" in page


def test_every_entry_is_reachable_by_links_from_the_a_z_page(many, client):
    seen, queue, entries = set(), ["/entries/"], set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for link in links(response.content.decode()):
            if link.startswith("/entries/") and link.count("/") == 3 and link != "/entries/":
                entries.add(link)
            elif link.startswith("/a-z/") or (link.startswith("?page=")):
                queue.append(link)
        for number in re.findall(r'href="\?page=(\d+)"', response.content.decode()):
            queue.append(url.split("?")[0] + f"?page={number}")
    assert {f"/entries/listed-{n:02d}/" for n in range(len(TITLES))} <= entries


def test_a_long_letter_continues_on_numbered_pages(many, client):
    first = client.get("/a-z/a/").content.decode()
    assert "Page 1 of 3" in first and 'href="?page=2"' in first and first.count("Alpha ") >= 5
    last = client.get("/a-z/a/?page=3").content.decode()
    assert "Alpha 11" in last and "Alpha 00" not in last
    assert client.get("/a-z/a/?page=4").status_code == 404
    assert client.get("/a-z/a/?page=x").status_code == 404
    assert client.get("/a-z/q/").status_code == 404  # no entries under Q
    assert client.get("/a-z/A/").status_code == 404  # one address per letter
    assert "Émile" in client.get("/a-z/e/").content.decode()
    assert "3-day rule" in client.get("/a-z/other/").content.decode()


def test_topics_and_sources_are_paged(many, client):
    risks = client.get("/categories/risks/").content.decode()
    assert "Page 1 of" in risks and 'href="?page=2"' in risks
    sources = client.get("/references/").content.decode()
    assert 'href="?page=2"' in sources


def test_the_sitemap_lists_the_letter_pages(many, client):
    sitemap = client.get("/sitemap.xml").content.decode()
    for letter in ("a", "b", "e", "z", "other"):
        assert f"/a-z/{letter}/</loc>" in sitemap
    assert sitemap.count("/entries/listed-") == len(TITLES)


def test_a_small_site_still_lists_every_entry_on_the_a_z_page(content, load, client):
    load(content)
    page = client.get("/entries/").content.decode()
    assert "/entries/crs/" in links(page) and "/a-z/c/" in links(page)
