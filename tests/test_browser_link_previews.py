"""Previews of links to other entries in Chromium: mouse, keyboard and touch (WCAG 1.4.13: hoverable,
dismissible with Esc, persistent), plain links without scripts, axe, and a page with 500 links."""

from __future__ import annotations

import shutil

import pytest

from tests.browser_kit import PageWatch, browser, describe_violations, preview, run_axe, shipped_site, watched_page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ENTRY = "/entries/icans/"  # links to cytokine-release-syndrome, car-t-cells and daily-life-after-car-t#driving
SECTION_LINK = "a.xref[href='/entries/daily-life-after-car-t/#driving']"
WHOLE_LINK = "a.xref[href='/entries/cytokine-release-syndrome/']"


@pytest.fixture
def page(browser, shipped_site):
    yield from watched_page(browser, shipped_site + ENTRY)


def test_hovering_a_cross_link_previews_the_entry_and_stays_while_hovered(page):
    link = page.locator(WHOLE_LINK).first
    link.hover()
    preview(page).wait_for(state="visible")
    shown = preview(page).text_content()
    assert "Cytokine release syndrome" in shown and "Last reviewed" in shown
    assert "A whole-body reaction" in shown
    assert page.url.endswith(ENTRY)
    box = preview(page).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(800)
    assert preview(page).is_visible(), "hoverable"
    page.keyboard.press("Escape")
    preview(page).wait_for(state="hidden")


def test_a_section_link_previews_the_sections_heading_and_first_sentences(page):
    page.locator(SECTION_LINK).first.hover()
    preview(page).wait_for(state="visible")
    shown = preview(page).text_content()
    assert "Driving" in shown and "Go to the section" in shown
    page.mouse.move(5, 790)
    preview(page).wait_for(state="hidden")


def test_keyboard_focus_shows_the_preview_and_escape_dismisses_it(page):
    link = page.locator(WHOLE_LINK).first
    link.focus()
    preview(page).wait_for(state="visible")
    page.wait_for_timeout(1200)
    assert preview(page).is_visible(), "persistent while focused"
    page.keyboard.press("Escape")
    preview(page).wait_for(state="hidden")
    assert link.evaluate("node => node === document.activeElement")


def test_tapping_a_cross_link_previews_it_and_a_second_tap_follows_it(browser, shipped_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(shipped_site + ENTRY)
    link = page.locator(WHOLE_LINK).first
    link.tap()
    preview(page).wait_for(state="visible")
    assert page.url.endswith(ENTRY)
    box = preview(page).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    link.tap()
    page.wait_for_url("**/entries/cytokine-release-syndrome/")
    context.close()


def test_without_scripts_cross_links_are_plain_links(browser, shipped_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_site + ENTRY)
    page.locator(WHOLE_LINK).first.click()
    page.wait_for_url("**/entries/cytokine-release-syndrome/")
    assert page.locator("#ir-preview").count() == 0
    context.close()


@pytest.fixture
def many_links(live_server, transactional_db, load, settings, tmp_path):
    """The shipped content plus an entry with 500 cross-links (250 targets, each whole and at a section)."""
    root = tmp_path / "content"
    shutil.copytree(settings.BASE_DIR / "content", root)
    links = []
    for number in range(250):
        (root / f"target-{number:03d}.md").write_text(
            f"---\ntitle: Target {number}\nsummary: Target entry number {number}, a short summary.\n"
            f"category: basics\nreviewed: 2026-11-01\n---\nText [@june2018].\n\n## Part\n\n"
            f"The first sentence of part {number}. The second.\n", encoding="utf-8")
        links += [f"[[target-{number:03d}]]", f"[[target-{number:03d}#part]]"]
    body = "\n\n".join(" ".join(links[start:start + 20]) + " [@june2018]." for start in range(0, 500, 20))
    (root / "many-links.md").write_text(
        "---\ntitle: Many links\nsummary: A generated entry with 500 links.\ncategory: basics\n"
        f"reviewed: 2026-11-01\n---\n{body}\n", encoding="utf-8")
    load(root)
    return live_server.url


def test_a_page_with_500_links_embeds_them_once_and_previews_without_long_tasks(browser, many_links):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watch = PageWatch(page)
    response = page.goto(many_links + "/entries/many-links/")
    html = response.text()
    assert page.locator("a.xref").count() == 500
    data = page.evaluate("JSON.parse(document.getElementById('link-previews').textContent)")
    assert len(data) == 500  # 250 entries and 250 sections, each once
    page.evaluate("""() => {
        window.__longTasks = [];
        new PerformanceObserver(list => list.getEntries().forEach(
            entry => window.__longTasks.push(entry.duration))).observe({type: "longtask"});
    }""")
    links = page.locator("a.xref")
    for index in range(0, 500, 25):
        links.nth(index).hover()
        preview(page).wait_for(state="visible")
    for _ in range(30):
        page.keyboard.press("Tab")
    page.wait_for_timeout(300)
    long_tasks = page.evaluate("window.__longTasks")
    print(f"\n500 links: page {len(html.encode()) / 1024:.0f} KB, preview data "
          f"{len(page.evaluate('document.getElementById(`link-previews`).textContent').encode()) / 1024:.0f} KB, "
          f"long tasks while previewing: {len(long_tasks)} (longest {max(long_tasks, default=0):.0f} ms)")
    assert not watch.problems
    context.close()
