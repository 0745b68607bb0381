"""Every page type, in a real browser, in both colour schemes: no axe-core violations (WCAG 2.2 A
and AA and axe's best practices), no script errors or security-policy reports, and no sideways
scrolling on a phone."""

import pytest

from tests.browser_kit import browser, describe_violations, page_types, PageWatch, run_axe, shipped_site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_passes_axe(browser, shipped_site, scheme):
    failures = []
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        watch = PageWatch(page)
        for name, path in page_types().items():
            page.goto(shipped_site + path)
            violations = run_axe(page)
            if violations:
                failures.append(f"{name} ({path}) at {width}px, {scheme}:\n{describe_violations(violations)}")
        context.close()
        failures.extend(watch.problems)
    assert not failures, "\n".join(failures)


def test_pages_fit_a_phone_screen_without_sideways_scrolling(browser, shipped_site):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    too_wide = []
    for name, path in page_types().items():
        page.goto(shipped_site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide.append(f"{name} ({path}) is {overflow}px too wide")
    context.close()
    assert not too_wide


def test_table_of_contents_stays_in_reach_on_wide_screens(browser, shipped_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(shipped_site + "/entries/car-t-cells/")
    page.evaluate("document.getElementById('references').scrollIntoView({behavior: 'instant'})")
    box = page.locator("#toc").bounding_box()
    assert box is not None and 0 <= box["y"] < 800, "the table of contents scrolled out of view"
    assert page.locator("#toc a.is-active").inner_text() == "References"
    context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(browser, shipped_site):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(shipped_site + "/entries/car-t-cells/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("node => node === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    context.close()
