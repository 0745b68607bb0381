"""Cross-links, citations and glossary marks, as a reader and an editor meet them."""

from __future__ import annotations

import re

import pytest

from encyclopedia.records import GlossaryRecord, ReferenceRecord
from encyclopedia.rendering import LinkTarget, RenderContext, render_markdown

REFS = {
    "a2018": ReferenceRecord(id="a2018", type="article-journal", title="Alpha study", year=2018,
                             authors=("Smith J", "Jones K"), container="Blood", doi="10.1/abc", pmid="123"),
    "b2019": ReferenceRecord(id="b2019", type="article-journal", title="Beta study", year=2019, authors=("Lee D",)),
    "web": ReferenceRecord(id="web", type="webpage", title="Approved products", year=2025,
                           authors=("U.S. Food and Drug Administration",), url="https://www.fda.gov/x",
                           accessed="2026-11-25"),
}
CONTEXT = RenderContext(
    targets={
        "crs": LinkTarget("crs", "Cytokine release syndrome", "/entries/crs/", frozenset({"grading"})),
        "overview": LinkTarget("overview", "Immune cell infusion", "/entries/overview/", frozenset()),
    },
    aliases={"crs": "crs", "cytokine storm": "crs", "immunocell infusion": "overview"},
    references=REFS,
    glossary=(
        GlossaryRecord(key="cytokine-release-syndrome", term="Cytokine release syndrome", abbreviation="CRS",
                       definition="A whole-body reaction.", entry="crs"),
        GlossaryRecord(key="car", term="Chimeric antigen receptor", abbreviation="CAR", definition="A receptor."),
        GlossaryRecord(key="t-cell", term="T cell", definition="A white blood cell."),
    ),
)


def render(body: str, slug: str = "page"):
    return render_markdown(body, CONTEXT, slug=slug)


def test_cross_link_shows_target_title_or_given_text_and_section():
    html = render("[[crs]], [[crs|this reaction]], [[crs#grading]] and [[CRS]]").html
    assert '<a class="xref" href="/entries/crs/">Cytokine release syndrome</a>' in html
    assert '<a class="xref" href="/entries/crs/">this reaction</a>' in html
    assert '<a class="xref" href="/entries/crs/#grading">' in html


def test_aliases_are_link_targets_whatever_their_case_and_hyphens():
    result = render("[[Cytokine-Storm]] and [[Immunocell infusion]]")
    assert result.problems == []
    assert ('crs', '') in result.links and ('overview', '') in result.links


def test_unknown_target_or_section_is_a_problem():
    problems = [message for _snippet, message in render("[[nothing]] [[crs#nope]]").problems]
    assert any("no entry or alias `nothing`" in message for message in problems)
    assert any("has no section `#nope`" in message and "grading" in message for message in problems)


def test_citations_are_numbered_by_first_use_with_backlinks_to_every_use():
    html = render("First [@b2019]. Then [@a2018; @b2019]. Again [@a2018].").html
    markers = re.findall(r'href="#ref-(\w+)" id="cite-\w+-(\d)"', html)
    assert markers == [("b2019", "1"), ("a2018", "1"), ("b2019", "2"), ("a2018", "2")]
    assert re.findall(r'<li id="ref-(\w+)">', html) == ["b2019", "a2018"]  # Vancouver: order of first citation
    assert html.count('class="backref"') == 4
    assert 'href="#cite-a2018-2"' in html


def test_reference_list_has_doi_and_pubmed_links_and_vancouver_text():
    html = render("Claim [@a2018] and [@web].").html
    assert '<a class="ref-doi" href="https://doi.org/10.1/abc">doi:10.1/abc</a>' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/123/"' in html
    assert "Smith J, Jones K. Alpha study. Blood. 2018." in html
    assert "Approved products [Internet]. 2025 [cited 2026-11-25]." in html


def test_citation_marker_is_a_plain_link_whose_name_includes_the_reference():
    html = render("Claim [@a2018].").html
    assert 'aria-label="Reference 1: Smith J, Jones K. Alpha study. Blood. 2018."' in html


def test_unknown_or_malformed_citation_is_a_problem():
    problems = [message for _snippet, message in render("x [@nope2020] [@<img onerror=1>]").problems]
    assert any("no reference with id `nope2020`" in message for message in problems)
    assert any("is not a citation" in message for message in problems)


def test_markdown_footnotes_stay_off():
    html = render("Text[^1].\n\n[^1]: A footnote.").html
    assert "[^1]" in html and "footnote" not in html.replace("A footnote", "")


def test_first_use_of_a_glossary_term_links_to_its_meaning_once():
    html = render("A T cell and another T cell. T cells carry a CAR.").html
    assert html.count('class="term"') == 2
    assert '<a aria-describedby="gloss-t-cell" class="term" href="/glossary/#t-cell">T cell</a>' in html
    assert '<dd id="gloss-t-cell">A white blood cell.</dd>' in html


def test_glossary_term_with_an_entry_links_to_that_entry_but_not_from_itself():
    assert 'href="/entries/crs/">CRS</a>' in render("CRS is common.").html
    assert 'class="term"' not in render("CRS is common.", slug="crs").html


def test_abbreviations_match_as_written_terms_match_any_case():
    html = render("My car is red. Chimeric Antigen Receptors are made.").html
    assert ">car<" not in html
    assert ">Chimeric Antigen Receptors</a>" in html


def test_glossary_never_marks_headings_links_or_code():
    html = render("## T cell\n\n[[crs|T cell]] `T cell`\n\n    T cell\n").html
    assert 'class="term"' not in html


@pytest.mark.parametrize("body", ["[[<script>alert(1)</script>]]", "[@<img src=x onerror=alert(1)>]",
                                  "[[crs|<b onclick=alert(1)>x</b>]]", "[[crs|x]]{: onclick=alert(1)}",
                                  "[[javascript:alert(1)]]"])
def test_extensions_never_become_a_way_to_inject_script(body):
    html = render(body).html
    assert "<script" not in html and "onclick" not in html.replace("&lt;", "<").split("<b ")[0]
    assert not re.search(r"<[^>]+\son\w+=", html)
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)


@pytest.mark.django_db
def test_entry_page_lists_linked_from_related_and_cite_this_page(content, load, client):
    content.entry("third", title="Third entry", category="risks", body="About [[crs]] [@june2018].\n")
    load(content)
    page = client.get("/entries/crs/").content.decode()
    linked_from = page.split('id="linked-from"')[1].split("</section>")[0]
    assert "Immune cell infusion" in linked_from and "Third entry" in linked_from
    related = page.split('id="related"')[1].split("</section>")[0]
    assert related.index("Third entry") < related.index("Immune cell infusion")  # same category first
    cite = page.split('id="cite-this-page"')[1].split("</section>")[0]
    assert "Cytokine release syndrome" in cite and "/entries/crs/" in cite and "2026-11-01" in cite


@pytest.mark.django_db
def test_references_page_shows_what_cites_each_source(content, load, client):
    load(content)
    page = client.get("/references/").content.decode()
    item = page.split('id="ref-hartmann2017"')[1].split("</li>\n\n")[0]
    assert "/entries/crs/#ref-hartmann2017" in item and "/entries/overview/#ref-hartmann2017" in item
    assert "#grading" in item and "#how-it-works" in item


@pytest.mark.django_db
def test_glossary_page_lists_terms_alphabetically_with_anchors_and_dfn(content, load, client):
    load(content)
    page = client.get("/glossary/").content.decode()
    assert page.index('id="chimeric-antigen-receptor"') < page.index('id="cytokine-release-syndrome"')
    assert "<dfn>Cytokine release syndrome</dfn>" in page
