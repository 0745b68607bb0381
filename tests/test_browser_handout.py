"""The handout in Chromium's print-to-PDF: a typical entry fits on two pages, A4 or US Letter."""

import re
import statistics

import pytest

from tests.browser_kit import browser, shipped_site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_handouts_print_on_two_pages_for_a_typical_entry(browser, shipped_site):
    from encyclopedia.models import Entry

    page = browser.new_context().new_page()
    counts = {}
    for slug in Entry.objects.order_by("slug").values_list("slug", flat=True):
        page.goto(f"{shipped_site}/entries/{slug}/handout/")
        counts[slug] = pages(page.pdf(format="A4"))
    assert statistics.median(counts.values()) <= 2, counts
    page.goto(f"{shipped_site}/entries/cytokine-release-syndrome/handout/")
    assert pages(page.pdf(format="A4")) <= 2 and pages(page.pdf(format="Letter")) <= 2
    page.emulate_media(media="print")
    assert page.locator("#handout-signs").bounding_box()["y"] < 800, "the signs to report sit on the first page"
    assert page.locator("svg.qr").is_visible() and page.locator(".site-header").is_hidden()
    page.context.close()
