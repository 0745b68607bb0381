"""History and comparison pages in Chromium: axe clean in both colour schemes at phone and desktop
widths, valid HTML, no sideways scrolling on a phone, and readable without scripts."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.browser_kit import (  # noqa: F401
    PUBLIC_BASE_URL, PageWatch, browser, describe_violations, run_axe, validate_html,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SLUG = "cytokine-release-syndrome"


@pytest.fixture
def history_site(live_server, transactional_db, load, settings, tmp_path):
    """The shipped content loaded, then one entry changed (a figure, a new section, a new source)."""
    settings.BASE_URL = PUBLIC_BASE_URL
    folder = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", folder)
    load(folder)
    path = folder / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    front, _, body = text.partition("\n---\n")
    keys = re.findall(r"^- id: (\S+)", (folder / "references.yaml").read_text(encoding="utf-8"), re.MULTILINE)
    new_source = next(key for key in keys if f"@{key}" not in body)
    first_paragraph_end = body.index("\n\n", 1)
    body = (body[:first_paragraph_end] + " Most people feel better within a week." + body[first_paragraph_end:]
            + f"\n\n## A new section for the test\n\nCall your team at once if you feel dizzy [@{new_source}].\n")
    note = "\n  - date: 2026-12-04\n    note: Added advice on when to call your care team."
    front = front.replace("\nchanges:", "\nchanges:" + note, 1) if "\nchanges:" in front else front + "\nchanges:" + note
    path.write_text(front + "\n---\n" + body, encoding="utf-8")
    load(folder)
    return live_server.url


PAGES = {
    "history": f"/entries/{SLUG}/history/",
    "old version": f"/entries/{SLUG}/v/1/",
    "compare": f"/entries/{SLUG}/compare/?from=1&to=2",
    "changes": "/changes/",
    "bad compare": f"/entries/{SLUG}/compare/?from=x&to=2",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_history_pages_pass_axe_at_phone_and_desktop_widths(browser, history_site, scheme):
    failures = []
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
        page = context.new_page()
        watch = PageWatch(page)
        for name, path in PAGES.items():
            page.goto(history_site + path)
            violations = run_axe(page)
            if violations:
                failures.append(f"{name} ({path}) at {width}px, {scheme}:\n{describe_violations(violations)}")
            if name == "compare":  # the folded sections, opened, pass too
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                violations = run_axe(page)
                if violations:
                    failures.append(f"compare, opened, at {width}px, {scheme}:\n{describe_violations(violations)}")
        # The bad comparison answers 400 on purpose.
        failures.extend(problem for problem in watch.problems if "status of 400" not in problem)
        context.close()
    assert not failures, "\n".join(failures)


def test_history_pages_fit_a_phone_and_work_without_scripts(browser, history_site):
    context = browser.new_context(viewport={"width": 320, "height": 700}, java_script_enabled=False)
    page = context.new_page()
    too_wide = []
    page.goto(history_site + PAGES["history"])
    page.select_option("#compare-from", "1")
    page.select_option("#compare-to", "2")
    page.click("text=Show what changed")
    assert "/compare/?from=1&to=2" in page.url
    assert page.locator("ins").count() > 0
    context.close()
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    for name, path in PAGES.items():
        page.goto(history_site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide.append(f"{name} ({path}) is {overflow}px too wide")
    context.close()
    assert not too_wide


def test_history_pages_are_valid_html(browser, history_site, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    documents = {}
    for name, path in {**PAGES, "entry page": f"/entries/{SLUG}/"}.items():
        response = page.goto(history_site + path)
        documents[name] = response.text()
    context.close()
    errors = validate_html(documents, tmp_path)
    assert not errors, "\n".join(f"{name}: {messages}" for name, messages in errors.items())
