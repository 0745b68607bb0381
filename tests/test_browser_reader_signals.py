"""Reader signals in a real browser: a read is counted after a few seconds on screen, and
"Was this page helpful?" works with scripts (answered in place) and without (a plain form)."""

import pytest

from tests.browser_kit import PageWatch, browser, shipped_site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ENTRY = "/entries/cytokine-release-syndrome/"
READER_AGENT = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36"


@pytest.fixture
def context_for(browser):
    contexts = []

    def make(**options):
        context = browser.new_context(viewport={"width": 390, "height": 844}, **options)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def test_an_entry_on_screen_for_a_few_seconds_counts_one_read(context_for, shipped_site):
    from encyclopedia.readers import reads
    from encyclopedia.readers.models import EntryReadDay

    # Headless Chromium says so in its user agent, and crawlers are not counted: look like a person.
    page = context_for(user_agent=READER_AGENT).new_page()
    watch = PageWatch(page)
    with page.expect_response("**/signals/read/", timeout=15000) as beacon:
        page.goto(shipped_site + ENTRY)
    request = beacon.value.request
    assert request.method == "POST" and "slug=cytokine-release-syndrome" in request.post_data
    assert beacon.value.status == 204, beacon.value.text()
    page.wait_for_timeout(500)
    reads.buffer.flush()
    assert EntryReadDay.objects.get(slug="cytokine-release-syndrome").reads == 1
    page.reload()
    page.wait_for_timeout(6500)
    reads.buffer.flush()
    assert EntryReadDay.objects.get(slug="cytokine-release-syndrome").reads == 1  # once per reader and day
    assert not watch.problems


def test_feedback_is_answered_in_place_with_scripts(context_for, shipped_site):
    from encyclopedia.readers.models import FeedbackAnswer

    page = context_for().new_page()
    watch = PageWatch(page)
    page.goto(shipped_site + ENTRY)
    page.get_by_role("radio", name="No").check()
    page.locator("#feedback-more summary").click()
    page.get_by_label("Which part of the page?").select_option(index=1)
    page.get_by_label("What was wrong or missing?").fill("The grading table is hard to read on my phone.")
    page.get_by_role("button", name="Send").click()
    page.locator("#feedback-status").filter(has_text="Thank you").wait_for()
    assert page.url.endswith(ENTRY)
    answer = FeedbackAnswer.objects.get()
    assert answer.helpful is False and answer.section and "grading table" in answer.text
    assert not watch.problems


def test_feedback_works_as_a_plain_form_without_scripts(context_for, shipped_site):
    from encyclopedia.readers.models import FeedbackAnswer

    page = context_for(java_script_enabled=False).new_page()
    page.goto(shipped_site + ENTRY)
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    assert FeedbackAnswer.objects.get().helpful is True
    page.get_by_role("link", name="Back to").click()
    assert page.url.endswith(ENTRY)
