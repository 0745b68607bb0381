"""Every page type answers for the shipped content and for small test folders."""

import pytest
from django.conf import settings

from encyclopedia.models import Entry


@pytest.fixture
def shipped(load):
    return load(settings.BASE_DIR / "content")


@pytest.mark.django_db
def test_every_page_of_the_shipped_content_answers_200(shipped, client):
    assert shipped.created >= 30
    urls = ["/", "/entries/", "/glossary/", "/references/", "/about/", "/search/?q=crs"]
    urls += [entry.get_absolute_url() for entry in Entry.objects.all()]
    urls += [f"/categories/{key}/" for key in Entry.objects.values_list("category__key", flat=True).distinct()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_unknown_entry_gets_a_helpful_404(content, load, client):
    load(content)
    response = client.get("/entries/no-such-thing/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'role="search"' in page and "/entries/" in page


@pytest.mark.django_db
def test_entry_page_shows_title_summary_review_date_and_breadcrumbs(content, load, client):
    load(content)
    page = client.get("/entries/crs/").content.decode()
    assert "<h1 id=\"entry-title\">Cytokine release syndrome</h1>" in page
    assert "Last reviewed" in page and "Next review due" in page
    assert 'href="/categories/risks/"' in page
    assert 'id="ref-june2018"' in page


@pytest.mark.django_db
def test_public_pages_set_no_cookies(content, load, client):
    load(content)
    for url in ["/", "/entries/", "/entries/crs/", "/search/?q=crs", "/glossary/"]:
        assert not client.get(url).cookies, url


def test_a_large_topic_shows_a_short_list_on_the_home_page_and_everything_on_its_own_page(content, load, client):
    for number in range(14):
        content.entry(f"extra-{number:02d}", title=f"Extra entry {number:02d}", category="basics")
    load(content)
    home = client.get("/").content.decode()
    basics = home[home.index('id="cat-basics"'):]
    basics = basics[:basics.index("</section>")]
    assert basics.count('href="/entries/') == 12
    assert 'href="/categories/basics/">All 15 entries on' in basics
    topic = client.get("/categories/basics/").content.decode()
    assert all(f"Extra entry {number:02d}" in topic for number in range(14))
