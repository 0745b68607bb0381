"""With scripts on: previews of references and glossary terms (WCAG 1.4.13), copy-link and
copy-citation buttons. With scripts off: every page still works as plain links and text."""

import re

import pytest

from tests.browser_kit import PUBLIC_BASE_URL, browser, describe_violations, page_types, preview, run_axe, shipped_site, watched_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ENTRY = "/entries/car-t-cells/"


@pytest.fixture
def page(browser, shipped_site):
    yield from watched_page(browser, shipped_site + ENTRY)


def test_hovering_a_citation_previews_the_full_reference_until_the_pointer_leaves(page):
    marker = page.locator("a.cite-link").first
    reference_id = marker.get_attribute("href")[1:]
    reference_text = page.locator(f"[id='{reference_id}']").inner_text()
    marker.hover()
    preview(page).wait_for(state="visible")
    shown = preview(page).text_content()
    assert "Reference 1" in shown and reference_text.split(".")[0] in shown
    assert page.url.endswith(ENTRY), "hovering must not follow the link"
    # Hoverable: the pointer can move onto the preview (and use its links) without it closing.
    box = preview(page).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(800)
    assert preview(page).is_visible()
    assert preview(page).locator("a[href^='https://doi.org/']").count() == 1
    # Persistent while hovered; gone once the pointer leaves both.
    page.mouse.move(5, 790)
    preview(page).wait_for(state="hidden")


def test_escape_dismisses_a_preview_without_moving_the_pointer_or_focus(page):
    marker = page.locator("a.cite-link").nth(2)
    marker.hover()
    preview(page).wait_for(state="visible")
    page.keyboard.press("Escape")
    preview(page).wait_for(state="hidden")
    page.wait_for_timeout(500)
    assert preview(page).is_hidden(), "a dismissed preview must stay dismissed while the pointer rests"


def test_keyboard_focus_on_a_glossary_term_shows_its_definition(page):
    term = page.locator("a.term").first
    definition_id = term.get_attribute("aria-describedby")
    definition = page.locator(f"[id='{definition_id}']").inner_text()
    term.focus()
    preview(page).wait_for(state="visible")
    assert definition in preview(page).inner_text()
    page.wait_for_timeout(1500)
    assert preview(page).is_visible(), "the preview stays while the term has focus"
    page.keyboard.press("Escape")
    preview(page).wait_for(state="hidden")
    assert term.evaluate("node => node === document.activeElement")
    term.focus()
    assert preview(page).is_hidden(), "dismissed until focus leaves and comes back"
    page.evaluate("document.activeElement.blur()")
    term.focus()
    preview(page).wait_for(state="visible")
    page.evaluate("document.activeElement.blur()")
    preview(page).wait_for(state="hidden")


def test_open_previews_pass_axe_in_both_colour_schemes(browser, shipped_site):
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        page.goto(shipped_site + ENTRY)
        page.locator("a.cite-link").first.focus()
        page.locator("#ir-preview").wait_for(state="visible")
        violations = run_axe(page)
        context.close()
        assert not violations, describe_violations(violations)


def test_tapping_a_term_on_a_phone_shows_the_preview_and_a_second_tap_follows_the_link(browser, shipped_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(shipped_site + ENTRY)
    term = page.locator("a.term").first
    target = term.get_attribute("href")
    term.tap()
    page.locator("#ir-preview").wait_for(state="visible")
    assert page.url.endswith(ENTRY)
    box = page.locator("#ir-preview").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the preview fits the phone screen"
    term.tap()
    page.wait_for_url(f"**{target}")
    context.close()


def test_copy_link_copies_the_sections_permanent_address(browser, shipped_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(shipped_site + ENTRY)
    heading = page.locator("h2#side-effects")
    heading.hover()
    button = heading.locator("button.copy-link")
    assert button.get_attribute("aria-label") == "Copy link to the section “Side effects”"
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{PUBLIC_BASE_URL}{ENTRY}#side-effects"
    page.locator(".ir-toast").wait_for(state="visible")
    assert page.locator(".ir-toast").inner_text() == "Link copied"
    # Each reference has one too.
    page.locator("li#ref-june2018 button.copy-link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{PUBLIC_BASE_URL}{ENTRY}#ref-june2018"
    context.close()


def test_cite_this_page_has_a_copy_button(browser, shipped_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(shipped_site + ENTRY)
    page.get_by_role("button", name="Copy citation").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("ImmunoRef. CAR T cells. Version 1, ")  # the version being read (issue 14)
    assert copied.endswith(f"Available from: {PUBLIC_BASE_URL}{ENTRY}v/1/")
    assert page.get_by_role("button", name="Citation copied").is_visible()
    context.close()


def test_every_page_type_works_with_scripts_off(browser, shipped_site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    for name, path in page_types().items():
        response = page.goto(shipped_site + path)
        assert response.status == (404 if name == "404" else 200), name
        assert page.locator("h1").count() == 1, name
        assert page.locator("button.copy-link, #ir-preview").count() == 0, "no script, no enhancements"
    page.goto(shipped_site + ENTRY)
    marker = page.locator("a.cite-link").first
    assert re.match(r"Reference 1( \([^)]+\))?: ", marker.get_attribute("aria-label"))  # with its study type
    marker.click()
    assert page.url.endswith(ENTRY + "#ref-june2018")
    assert page.locator("#ir-citation-text").inner_text().endswith(f"{PUBLIC_BASE_URL}{ENTRY}v/1/")
    assert page.locator(".timeline, .diagram").count() == 1
    page.locator("a.heading-anchor[href='#side-effects']").click()
    assert page.url.endswith("#side-effects")
    context.close()
