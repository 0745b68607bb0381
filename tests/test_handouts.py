"""The printable handout: the part for patients, signs to report first, terms, sources and a QR code."""

from __future__ import annotations

import re

import pytest

from tests.contentkit import ContentFolder

BODY = """Some people get a fever after the infusion [@june2018].

## Signs to report at once

Call your team if you have a fever [@hartmann2017].

## What happens

A chimeric antigen receptor helps the cells [@june2018]. See [[overview]].

## For clinicians

Grade 2 needs tocilizumab [@fda-list].
"""


@pytest.fixture
def site(content: ContentFolder, load, settings):
    settings.BASE_URL = "https://immunoref.example.org"
    content.entry("crs", title="Cytokine release syndrome", category="risks", body=BODY,
                  redirect_from=["old-crs"])
    load(content)
    return content


@pytest.mark.django_db
def test_the_entry_page_links_to_its_handout(site, client):
    page = client.get("/entries/crs/").content.decode()
    assert '<a href="/entries/crs/handout/" id="handout-link">Print a handout</a>' in page


@pytest.mark.django_db
def test_a_handout_holds_the_part_for_patients_with_the_signs_first(site, client):
    response = client.get("/entries/crs/handout/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Cytokine release syndrome" in page and "Last reviewed" in page and "Next review due" in page
    signs = page.index('id="handout-signs"')
    assert signs < page.index("Some people get a fever") < page.index("What happens")
    assert "Call your team if you have a fever" in page[signs:page.index("Some people get a fever")]
    assert "For clinicians" not in page and "tocilizumab" not in page
    assert 'noindex' in page


@pytest.mark.django_db
def test_a_handout_lists_the_terms_and_sources_of_the_patient_part_with_the_pages_numbers(site, client):
    page = client.get("/entries/crs/handout/").content.decode()
    terms = page.split("Words used on this page")[1].split("</section>")[0]
    assert "Chimeric antigen receptor" in terms and "A man-made receptor." in terms
    sources = page.split('id="handout-references-title"')[1].split("</section>")[0]
    numbers = dict(re.findall(r'<li value="(\d+)" id="ref-([^"]+)"', sources))
    assert set(numbers.values()) == {"june2018", "hartmann2017"}  # fda-list is cited by clinicians only
    assert "doi.org/10.1126/science.aar6711" in sources and "backref" not in sources


@pytest.mark.django_db
def test_a_handout_carries_a_qr_code_and_the_full_address(site, client):
    page = client.get("/entries/crs/handout/").content.decode()
    assert re.search(r'<svg[^>]*class="qr"', page)
    assert page.count("https://immunoref.example.org/entries/crs/") >= 1
    svg = re.search(r"<svg[^>]*class=\"qr\".*?</svg>", page, re.S).group()
    assert "<script" not in svg and "https://immunoref.example.org/entries/crs/" in svg  # in its title


def test_the_qr_code_decodes_to_the_address():
    import segno

    from encyclopedia.handouts import qr_svg

    address = "https://immunoref.example.org/entries/crs/"
    assert qr_svg(address) == segno.make(address, error="m").svg_inline(
        scale=3, border=2, svgclass="qr", lineclass=None, omitsize=False, title=f"QR code for {address}")


@pytest.mark.django_db
def test_a_renamed_entrys_handout_redirects_and_an_unknown_one_is_404(site, client):
    response = client.get("/entries/old-crs/handout/")
    assert response.status_code == 301 and response["Location"] == "/entries/crs/handout/"
    assert client.get("/entries/no-such/handout/").status_code == 404
