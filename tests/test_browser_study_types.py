"""In a browser: the citation preview shows the kind of study of the reference it previews."""

import pytest

from tests.browser_kit import PageWatch, browser, shipped_site  # noqa: F401
from encyclopedia.study_types import STUDY_TYPES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_citation_preview_shows_the_study_type(browser, shipped_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(shipped_site + "/entries/car-t-cells/")
    for marker in page.locator("a.cite-link").all()[:3]:
        reference_id = marker.get_attribute("href")[1:]
        expected = page.locator(f"[id='{reference_id}'] .study-type").inner_text()
        assert expected in STUDY_TYPES.values()
        page.mouse.move(5, 790)
        marker.hover()
        preview = page.locator("#ir-preview")
        preview.wait_for(state="visible")
        assert preview.locator(".study-type").inner_text() == expected
        assert expected not in preview.locator(".preview-text").inner_text()
        page.keyboard.press("Escape")
    context.close()
    assert not watch.problems
