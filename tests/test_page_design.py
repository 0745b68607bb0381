"""What the page templates promise whatever the content: nothing inline for the security
policy to block, the procedure timeline and the CAR T picture with text alternatives, the
review dates and the medical-advice line, and a print stylesheet."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from encyclopedia.models import Entry

TIMELINE = [
    {"key": "collection", "title": "Collecting the cells", "duration": "One day", "text": "A machine collects cells.",
     "entry": "overview", "cite": ["june2018"]},
    {"key": "making", "title": "Making the cells", "duration": "About 3 to 5 weeks", "text": "A lab grows them.",
     "cite": ["hartmann2017", "fda-list"]},
    {"key": "infusion", "title": "Infusion day", "duration": "Under an hour", "text": "Given through a drip.",
     "entry": "crs", "cite": ["june2018"]},
]


class Inline(HTMLParser):
    """Inline styles, inline scripts and event handlers: what the CSP would block or forbid."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.found.append(f"<{tag} style=…>")
        self.found.extend(f"<{tag} {name}=…>" for name in attrs if name.startswith("on"))
        if tag == "style":
            self.found.append("<style> element")
        # JSON-LD and JSON data blocks (link previews) are data, never run: the CSP does not apply to them.
        if tag == "script" and "src" not in attrs and attrs.get("type") not in ("application/ld+json", "application/json"):
            self.found.append("inline <script>")
        if tag == "script":
            self._script = attrs

    def handle_data(self, data):
        if self._script is not None and "src" in self._script and data.strip():
            self.found.append("script element with both src and text")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


@pytest.fixture
def with_timeline(content, load):
    content.write_yaml("timeline.yaml", TIMELINE)
    content.entry("overview", title="Immune cell infusion", category="basics", timeline=True, diagram="car-t",
                  body="Intro text [@june2018]. See [[crs]].\n\n## How it works\n\nDetail [@hartmann2017].\n")
    load(content)
    return content


@pytest.mark.django_db
def test_no_page_of_the_shipped_content_has_inline_styles_or_scripts(load, client):
    load(settings.BASE_DIR / "content")
    urls = ["/", "/entries/", "/glossary/", "/references/", "/about/", "/search/?q=crs", "/entries/nothing/"]
    urls += [entry.get_absolute_url() for entry in Entry.objects.all()]
    urls += list({entry.category.get_absolute_url() for entry in Entry.objects.select_related("category")})
    problems = []
    for url in urls:
        parser = Inline()
        parser.feed(client.get(url).content.decode())
        problems += [f"{url}: {found}" for found in parser.found]
    assert not problems


@pytest.mark.django_db
def test_timeline_shows_every_step_in_order_with_duration_sources_and_where_you_are(with_timeline, client):
    page = client.get("/entries/overview/").content.decode()
    timeline = page[page.index('<figure class="timeline"'):page.index("</figure>")]
    titles = re.findall(r'class="timeline-title">(?:<a [^>]*>)?([^<]+)', timeline)
    assert titles == ["Collecting the cells", "Making the cells", "Infusion day"]
    assert "How long: </span>About 3 to 5 weeks" in timeline
    assert '<a href="/entries/crs/">Infusion day</a>' in timeline
    assert "This page" in timeline, "the step this entry explains is marked in words, not colour alone"
    assert timeline.count('<details class="timeline-sources">') == 3
    assert 'href="https://doi.org/10.15252/emmm.201607485"' in timeline and 'href="https://www.fda.gov/example"' in timeline
    # Between the introduction and the first section, so the page opens with words.
    assert page.index("Intro text") < page.index('<figure class="timeline"') < page.index('id="how-it-works"')


@pytest.mark.django_db
def test_entries_without_timeline_show_none(with_timeline, client):
    assert '<figure class="timeline"' not in client.get("/entries/crs/").content.decode()


@pytest.mark.django_db
def test_car_t_picture_has_a_text_alternative(with_timeline, client):
    page = client.get("/entries/overview/").content.decode()
    figure = page[page.index('<figure class="diagram"'):]
    figure = figure[:figure.index("</figure>")]
    assert re.search(r'<svg class="diagram-art"[^>]* role="img" aria-labelledby="ir-diagram-art-title"', figure)
    assert '<title id="ir-diagram-art-title">' in figure
    steps = re.findall(r"<li>(.*?)</li>", figure, re.S)
    assert len(steps) == 3 and "marker" in steps[1]
    assert "style=" not in figure and "fill=\"#" not in figure, "colours come from the stylesheet (both schemes, print)"


@pytest.mark.django_db
def test_entry_shows_review_dates_from_the_review_interval_and_the_advice_line(content, load, client, settings):
    settings.REVIEW_INTERVAL_MONTHS = 6
    content.entry("crs", title="Cytokine release syndrome", category="risks", reviewed="2026-08-31",
                  body="A fever [@june2018]. Back to [[overview]] and [[overview#how-it-works]].\n")
    load(content)
    page = client.get("/entries/crs/").content.decode()
    assert 'Last reviewed <time datetime="2026-08-31">31 August 2026</time>' in page
    assert 'Next review due <time datetime="2027-02-28">February 2027</time>' in page
    assert "not a substitute for medical advice" in page
    assert 'href="#references"' in page and 'id="references"' in page


@pytest.mark.django_db
def test_every_page_has_skip_link_landmarks_print_stylesheet_and_disclaimer(content, load, client):
    load(content)
    for url in ["/", "/entries/", "/entries/crs/", "/glossary/", "/references/", "/about/", "/missing/"]:
        page = client.get(url).content.decode()
        body = page[page.index("<body>") + len("<body>"):].lstrip()
        assert body.startswith('<a class="skip-link" href="#main">'), url
        assert '<main id="main"' in page and "<header" in page and "<footer" in page, url
        assert re.search(r'<link rel="stylesheet" href="[^"]*print\.css" media="print">', page), url
        assert "Not a substitute for medical advice." in page, url
        assert '<html lang="en-GB"' in page, url


@pytest.mark.django_db
def test_about_page_says_who_writes_how_entries_are_reviewed_and_how_to_report_errors(content, load, client):
    load(content)
    page = client.get("/about/").content.decode()
    for heading in ("Who writes it", "How entries are reviewed", "Medical disclaimer", "Report an error", "Privacy"):
        assert f">{heading}</h2>" in page
    assert "12 months later" in page


@pytest.mark.django_db
def test_cite_this_page_gives_title_site_review_date_and_permanent_address(content, load, client, settings):
    settings.BASE_URL = "https://immunoref.example"
    load(content)
    page = client.get("/entries/crs/").content.decode()
    # The version being read, with its permanent address (entry history, issue 14).
    from django.utils import timezone

    today = timezone.now().strftime("%Y-%m-%d")
    assert (f"ImmunoRef. Cytokine release syndrome. Version 1, {today}. Last reviewed 2026-11-01. "
            "Available from: https://immunoref.example/entries/crs/v/1/</p>") in page
