"""Previews of links to other entries: their data is embedded once in the entry page (deduplicated,
truncated), with a section's heading and first sentences stored at load, in a fixed number of queries."""

from __future__ import annotations

import json
import re

import pytest

from encyclopedia.previews.sections import first_sentences, section_previews


def embedded(page: str) -> dict:
    found = re.findall(r'<script id="link-previews" type="application/json">(.*?)</script>', page, re.S)
    assert len(found) == 1, "the preview data is embedded exactly once"
    return json.loads(found[0])


@pytest.fixture
def linked(content, load):
    content.entry("crs", title="Cytokine release syndrome", summary="A fever reaction. " * 30, reviewed="2026-10-05",
                  body="Intro [@june2018].\n\n## Grading\n\nThere are four grades [@june2018]. Grade 1 is fever only. "
                       "Grade 4 needs intensive care.\n\n## Treatment\n\nTocilizumab.\n")
    content.entry("icans", title="Neurotoxicity </script><b>", body="Text [@june2018].\n")
    content.entry("secret", title="Secret draft", draft=True, body="Text [@june2018].\n")
    content.entry("page", title="Page", body="See [[crs]], again [[crs|CRS]], [[crs#grading]], [[icans]] and "
                                             "[[crs#treatment]] [@june2018].\n")
    load(content)
    return content


@pytest.mark.django_db
def test_entry_page_embeds_each_link_target_once(linked, client):
    page = client.get("/entries/page/").content.decode()
    data = embedded(page)
    assert set(data) == {"/entries/crs/", "/entries/crs/#grading", "/entries/crs/#treatment", "/entries/icans/"}
    crs = data["/entries/crs/"]
    assert crs["title"] == "Cytokine release syndrome" and crs["reviewed"] == "5 October 2026"
    assert len(crs["text"]) <= 280
    grading = data["/entries/crs/#grading"]
    assert grading["section"] == "Grading"
    assert grading["text"].startswith("There are four grades.") and "[" not in grading["text"]
    assert "</script><b>" not in page.split('id="link-previews"')[1].split("</script>")[0]
    assert data["/entries/icans/"]["title"] == "Neurotoxicity </script><b>"
    for href in data:  # every key is a link the body has
        assert f'class="xref" href="{href}"' in page


@pytest.mark.django_db
def test_page_without_links_has_no_preview_data(linked, client):
    assert 'id="link-previews"' not in client.get("/entries/icans/").content.decode()


def test_section_previews_skip_citations_and_anchors():
    html = ('<h2 id="a">First<a class="heading-anchor" href="#a">#</a></h2><p>One sentence <sup class="cite">'
            '[<a class="cite-link" href="#ref-x">1</a>]</sup>. Two.</p><h3 id="b">Second</h3><ul><li>Item</li></ul>')
    assert section_previews(html) == {"a": {"title": "First", "text": "One sentence. Two."},
                                      "b": {"title": "Second", "text": "Item"}}


def test_first_sentences_keep_whole_sentences_within_the_limit():
    text = "Short one. " * 50
    kept = first_sentences(text, 60)
    assert kept.endswith(".") and len(kept) <= 60
    assert first_sentences("x" * 500, 50).endswith("…")
