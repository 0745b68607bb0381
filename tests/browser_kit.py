"""What the browser tests share: Debian's Chromium driven by Playwright, axe-core and the
Nu Html Checker from .test-tools/ (``make browser-deps`` installs all three).

Import the fixtures into a test module (``from tests.browser_kit import browser, shipped_site``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".test-tools" / "node_modules"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("IMMUNOREF_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]
PUBLIC_BASE_URL = "https://immunoref.example"
# What axe checks: WCAG 2.0–2.2 A and AA, and its best practices (landmarks, headings…).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

# One of each page type, on the shipped content.
PAGE_TYPES = {
    "home": "/",
    "a-z": "/entries/",
    "entry with diagram": "/entries/car-t-cells/",
    "entry with timeline": "/entries/immune-cell-infusion/",
    "entry with a table": "/entries/approved-products/",
    "search results": "/search/?q=CRS",
    "glossary": "/glossary/",
    "references": "/references/",
    "references of one study type": "/references/?type=randomised-trial",
    "references, unknown study type": "/references/?type=randomized",
    "about": "/about/",
    "404": "/entries/no-such-entry/",
    "handout": "/entries/cytokine-release-syndrome/handout/",
    "reading offline": "/offline/",
    "api documentation": "/api/v1/",
}


def require(path: Path | str, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, where `make test` installs it."""
    if Path(path).exists():
        return
    message = f"{what} not found at {path}: run `make browser-deps`"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


_shared: dict = {}


@pytest.fixture(scope="session")
def browser(request):
    """One headless Chromium for the whole run, whichever test module asks for it first."""
    require(CHROMIUM, "Chromium")
    if "browser" not in _shared:
        from playwright.sync_api import sync_playwright

        # Playwright's sync API keeps an event loop in this thread; Django's ORM, used by the
        # same tests, would otherwise take that for an async context and refuse to run.
        previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        manager = sync_playwright()
        playwright = manager.start()
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def stop():
            _shared.pop("browser").close()
            manager.__exit__(None, None, None)
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous

        request.addfinalizer(stop)
    return _shared["browser"]


@pytest.fixture
def shipped_site(live_server, transactional_db, load, settings):
    """The live test server with the shipped content loaded; returns its base URL."""
    settings.BASE_URL = PUBLIC_BASE_URL
    load(settings.BASE_DIR / "content")
    return live_server.url


def category_of(slug: str) -> str:
    from encyclopedia.models import Entry

    return Entry.objects.select_related("category").get(slug=slug).category.get_absolute_url()


def page_types() -> dict[str, str]:
    return {"category": category_of("car-t-cells"), **PAGE_TYPES}


class PageWatch:
    """Collects what a page reports: script errors and security-policy violations."""

    def __init__(self, page):
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if message.type == "error" and "status of 404" not in text:
            self.problems.append(f"console error: {text}")
        elif "Content Security Policy" in text:
            self.problems.append(f"security policy: {text}")


def watched_page(browser, url: str):
    """For a fixture to ``yield from``: a desktop-sized page at ``url`` whose script errors and
    security-policy violations (``page.watch``) fail the test once it is done."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.watch = PageWatch(page)
    page.goto(url)
    yield page
    problems = page.watch.problems
    context.close()
    assert not problems


def preview(page):
    """The one preview box the site's script shows (citations, glossary terms, cross-links)."""
    return page.locator("#ir-preview")


def run_axe(page) -> list[dict]:
    """axe-core's violations on the loaded page (injected through DevTools, as the CSP forbids
    inline scripts and the page must not be loosened for the test)."""
    require(AXE_JS, "axe-core")
    page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def validate_html(documents: dict[str, str], workdir: Path) -> dict[str, list[str]]:
    """Nu Html Checker errors for each named HTML document (one Java start for all)."""
    require(VNU_JAR, "the Nu Html Checker (vnu.jar)")
    java = shutil.which("java")
    if not java:
        require("/nonexistent/java", "Java")
    files = {}
    for index, (name, html) in enumerate(documents.items()):
        path = workdir / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    completed = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only", *[str(workdir / name) for name in files]],
        capture_output=True, text=True, timeout=300,
    )
    report = json.loads(completed.stderr or completed.stdout or '{"messages": []}')
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for message in report.get("messages", []):
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        url = message.get("url", "?")
        name = files.get(url.rsplit("/", 1)[-1], url)
        errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message.get('message')}"
                                           f" [{message.get('extract', '').strip()[:120]}]")
    return {name: found for name, found in errors.items() if found}
