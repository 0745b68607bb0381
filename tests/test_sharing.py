"""What a page tells chat apps, search engines and feed readers: canonical URL, title,
description, Open Graph and Twitter tags, schema.org JSON-LD, sitemap, robots.txt, Atom feed."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

BASE = "https://immunoref.example"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """The <title>, <meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.title = ""
        self.json_ld: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta[attrs.get("property") or attrs.get("name") or ""] = attrs["content"]
        elif tag == "link" and "rel" in attrs:
            self.links.setdefault(attrs["rel"], attrs.get("href", ""))
        elif tag == "title" or (tag == "script" and attrs.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(data)


@pytest.fixture
def site(content, load, settings):
    settings.BASE_URL = BASE
    content.entry("draft-entry", title="Unfinished", draft=True, body="Text [@june2018]. [[crs]] [[overview]]\n")
    load(content)
    return content


def head_of(client, path) -> Head:
    response = client.get(path)
    assert response.status_code in {200, 404}
    return Head(response.content.decode())


@pytest.mark.django_db
def test_entry_page_has_canonical_url_title_description_and_link_preview_tags(site, client):
    head = head_of(client, "/entries/crs/")
    assert head.title == "Cytokine release syndrome · ImmunoRef"
    assert head.links["canonical"] == f"{BASE}/entries/crs/"
    assert head.meta["description"] == "A short plain summary."
    assert head.meta["og:title"] == head.meta["twitter:title"] == "Cytokine release syndrome"
    assert head.meta["og:description"] == head.meta["twitter:description"] == "A short plain summary."
    assert head.meta["og:url"] == f"{BASE}/entries/crs/"
    assert head.meta["og:type"] == "article"
    assert head.meta["og:site_name"] == "ImmunoRef"
    assert head.meta["og:image"].startswith(BASE + "/static/")
    assert head.meta["twitter:card"] == "summary"
    assert head.links["alternate"] == "/feed.atom"


@pytest.mark.django_db
def test_entry_json_ld_is_a_medical_web_page_with_review_date_subject_and_citations(site, client):
    head = head_of(client, "/entries/crs/")
    (block,) = head.json_ld
    data = json.loads(block)
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == "Cytokine release syndrome"
    assert data["description"] == "A short plain summary."
    assert data["url"] == f"{BASE}/entries/crs/"
    assert data["lastReviewed"] == "2026-11-01"
    assert data["about"] == {"@type": "MedicalEntity", "name": "Cytokine release syndrome",
                             "alternateName": ["CRS", "cytokine storm"]}
    cited = [(item["name"], item.get("url")) for item in data["citation"]]
    assert cited == [("CAR T cell immunotherapy for human cancer", "https://doi.org/10.1126/science.aar6711"),
                     ("Clinical development of CAR T cells", "https://doi.org/10.15252/emmm.201607485")]


@pytest.mark.django_db
def test_json_ld_cannot_close_its_script_element(content, load, client, settings):
    settings.BASE_URL = BASE
    hostile = "</script><script>alert(1)</script><!-- & -->"
    content.entry("odd", title="Odd </script> title", summary=f"Summary {hostile}",
                  body="Text [@june2018]. See [[crs]] and [[overview]].\n")
    load(content)
    html = client.get("/entries/odd/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["description"] == f"Summary {hostile}"
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_home_page_describes_the_site_and_its_search(site, client):
    head = head_of(client, "/")
    data = json.loads(head.json_ld[0])
    assert data["@type"] == "WebSite" and data["url"] == f"{BASE}/"
    assert data["potentialAction"]["target"]["urlTemplate"] == f"{BASE}/search/?q={{query}}"
    assert head.meta["og:type"] == "website"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/?q=crs", "/entries/no-such-entry/"])
def test_search_results_and_missing_pages_are_not_indexed(site, client, path):
    head = head_of(client, path)
    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links


@pytest.mark.django_db
def test_sitemap_lists_published_pages_with_their_review_dates(site, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
            for url in ET.fromstring(response.content)}
    assert urls[f"{BASE}/entries/crs/"] == "2026-11-01"
    assert urls[f"{BASE}/entries/overview/"] == "2026-11-01"
    assert f"{BASE}/" in urls and f"{BASE}/glossary/" in urls and f"{BASE}/categories/risks/" in urls
    assert not any("draft-entry" in url for url in urls)


@pytest.mark.django_db
def test_sitemap_never_lists_drafts_even_while_editing(site, client, settings):
    settings.DEBUG = True
    assert client.get("/entries/draft-entry/").status_code == 200
    assert b"draft-entry" not in client.get("/sitemap.xml").content


@pytest.mark.django_db
def test_robots_txt_points_at_the_sitemap(site, client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


@pytest.mark.django_db
def test_atom_feed_lists_recently_reviewed_published_entries(site, client):
    site.entry("crs", title="Cytokine release syndrome", category="risks", reviewed="2026-12-03",
               body="A fever [@june2018]. Back to [[overview]] and [[overview#how-it-works]].\n")
    from encyclopedia.pipeline import load_content
    load_content(site.root, processes=1)
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[0] == f"{BASE}/entries/crs/", "the entry changed last comes first"
    assert f"{BASE}/entries/overview/" in links
    assert not any("draft-entry" in link for link in links)
    first = entries[0]
    assert first.find(f"{ATOM}title").text == "Cytokine release syndrome"
    assert "Last reviewed 3 December 2026" in first.find(f"{ATOM}summary").text
    assert first.find(f"{ATOM}updated").text >= "2026-12-03"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/feed.atom"
