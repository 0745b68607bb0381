"""Comparisons a patient can read: sections, paragraphs and words; references by name; bad parameters."""

from __future__ import annotations

import re

import pytest

from encyclopedia.history.compare import compare
from encyclopedia.history.readable import readable

BEFORE = ("Intro text about fever [@june2018].\n\n## Grading\n\nFour grades of CRS.\n\n"
          "## Treatment\n\nTocilizumab 8 mg/kg is given.\n\n## Old advice\n\nRest a lot.\n")
AFTER = ("Intro text about fever [@hartmann2017].\n\n## Treatment\n\nTocilizumab 12 mg/kg is given.\n\n"
         "## Grading\n\nFour grades of CRS.\n\n## Driving\n\nDo not drive for 8 weeks.\n")


def entry(content, body):
    content.entry("fever", title="Fever", body=body + "\n[[overview]]\n")


def sections_by_kind(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for kind, title in re.findall(r'class="compare-section compare-(\w+)"[^>]*>\s*<(?:h2|summary)[^>]*>([^<]+)', html):
        found.setdefault(kind, []).append(title.strip())
    return found


@pytest.fixture
def two_versions(content, load):
    entry(content, BEFORE)
    load(content)
    entry(content, AFTER)
    load(content)
    return content


@pytest.mark.django_db
def test_compare_shows_added_removed_moved_and_folded_sections(two_versions, client):
    response = client.get("/entries/fever/compare/?from=1&to=2")
    html = response.content.decode()
    assert response.status_code == 200
    kinds = sections_by_kind(html)
    assert "Driving" in kinds["added"] and "Old advice" in kinds["removed"]
    assert any(title == "Treatment" for title in kinds["changed"])
    assert "(unchanged, moved)" in html or "moved)" in html  # Grading moved below Treatment
    assert '<span class="visually-hidden">[removed: </span>8<span class="visually-hidden">]</span></del>' in html
    assert '<span class="visually-hidden">[added: </span>12<span class="visually-hidden">]</span></ins>' in html
    assert "How to read this page" in html  # the legend
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_compare_lists_references_added_and_removed_by_name(two_versions, client):
    html = client.get("/entries/fever/compare/?from=1&to=2").content.decode()
    sources = html[html.index('id="sources-changed"'):]
    assert "Sources added" in sources and "Hartmann J. Clinical development of CAR T cells" in sources
    assert "Sources removed" in sources and "June CH" in sources
    assert "[Hartmann J 2017]" in html  # citations by name, not number


@pytest.mark.django_db
def test_compare_in_either_order_and_unchanged_sections_folded(two_versions, client):
    html = client.get("/entries/fever/compare/?to=1&from=2").content.decode()
    assert "From <a href=\"/entries/fever/v/1/\">version 1</a>" in html


@pytest.mark.django_db
def test_hostile_text_stays_escaped(content, load, client):
    entry(content, "Plain text [@june2018].\n")
    load(content)
    entry(content, "Plain text [@june2018]. `<script>alert(1)</script>` and &lt;img onerror=x&gt;\n")
    load(content)
    html = client.get("/entries/fever/compare/?from=1&to=2").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img onerror" not in html


@pytest.mark.parametrize("query,message", [
    ("", "Choose the from version"),
    ("?from=1", "Choose the to version"),
    ("?from=1&to=1", "Both versions are 1"),
    ("?from=one&to=2", "is not a version number"),
    ("?from=1&to=-2", "is not a version number"),
    ("?from=1&to=99", "There is no version 99"),
])
@pytest.mark.django_db
def test_bad_parameters_get_a_clear_400_page_linking_to_the_history(two_versions, client, query, message):
    response = client.get("/entries/fever/compare/" + query)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and 'href="/entries/fever/history/"' in html


def test_unchanged_text_with_new_markup_compares_equal():
    a = readable('<p>Hello <a class="term" href="/x">world</a>.</p><h2 id="a">A<a class="heading-anchor" href="#a">#</a></h2><p>B</p>')
    b = readable('<p class="lead">Hello <strong>world</strong>.</p><h2 id="a2">A</h2><p>B</p>')
    assert a.text() == b.text()
    assert not compare(a, b).changed


def test_a_200000_character_entry_is_compared_with_bounded_work():
    paragraphs = [f"Paragraph {i} says that the dose is {i} mg and the answer is {i * 7} percent." * 3
                  for i in range(900)]
    old_html = "".join(f"<h2>Part {i // 30}</h2>" * (i % 30 == 0) + f"<p>{text}</p>" for i, text in enumerate(paragraphs))
    changed = list(paragraphs)
    changed[450] = changed[450].replace("dose", "new dose")
    changed[10] = "Something else entirely, " * 40
    new_html = "".join(f"<h2>Part {i // 30}</h2>" * (i % 30 == 0) + f"<p>{text}</p>" for i, text in enumerate(changed))
    assert len(old_html) > 200_000
    result = compare(readable(old_html), readable(new_html))
    counts = result.counts
    assert counts["changed"] == 2 and counts["unchanged"] == 28
