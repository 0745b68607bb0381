"""With scripts on: suggestions as you type (a keyboard-usable combobox) and the searched words
marked on the entry opened from the results.  With scripts off: the same search works as a form."""

import pytest

from tests.browser_kit import PageWatch, browser, shipped_site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


def _page(context):
    page = context.new_page()
    page.watch = PageWatch(page)
    return page


def test_suggestions_appear_as_you_type_and_the_keyboard_opens_one(context, shipped_site):
    page = _page(context)
    page.goto(shipped_site + "/")
    box = page.locator("#search-q")
    box.click()
    box.type("cytok", delay=40)
    listbox = page.locator("#search-suggestions")
    listbox.wait_for(state="visible")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    assert listbox.locator("[role=option]").first.text_content() == "Cytokine release syndrome"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "search-suggestion-0"
    page.keyboard.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/entries/cytokine-release-syndrome/")
    assert not page.watch.problems


def test_enter_without_choosing_a_suggestion_searches(context, shipped_site):
    page = _page(context)
    page.goto(shipped_site + "/")
    page.locator("#search-q").fill("GvHD")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=GvHD")
    assert page.locator("#search-results li").count() >= 1
    assert not page.watch.problems


def test_an_entry_opened_from_the_results_marks_the_searched_words_and_keeps_one_address(context, shipped_site):
    page = _page(context)
    page.goto(shipped_site + "/search/?q=leukaemia")
    page.locator("#search-results a").first.click()
    page.wait_for_load_state()
    marks = page.locator("article.entry mark.search-term")
    marks.first.wait_for()
    assert marks.count() >= 1 and "leuk" in marks.first.text_content().lower()
    assert "#" not in page.url  # the words were read from the fragment, then removed
    page.locator(".search-highlight-clear").click()
    assert page.locator("article.entry mark.search-term").count() == 0
    assert not page.watch.problems


def test_search_works_with_scripts_off(browser, shipped_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_site + "/")
    page.locator("#search-q").fill("car-t")
    page.locator("#search-q").press("Enter")
    page.wait_for_url("**/search/?q=car-t")
    assert page.locator("#search-go-to a").first.text_content() == "CAR T cells"
    assert page.locator("#search-results mark").count() >= 1
    context.close()
