"""Property-based tests: random Markdown, heavy in our own syntax, is always safe.

Hypothesis builds documents from fragments of Markdown, of our extensions (``[[…]]``,
``[@…]``, ``{: …}``), of HTML and URL-scheme tricks, and of arbitrary text.  Whatever it
builds, rendering never yields an element, attribute or URL that could run script or
load from elsewhere, and never fails with anything but our ``ContentError``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from encyclopedia.build import build_context
from encyclopedia.errors import ContentError
from encyclopedia.loader import read_content, read_entry
from encyclopedia.records import ContentSet
from encyclopedia.normalise import check_limits, find_forbidden, normalise
from encyclopedia.preview import render_files
from encyclopedia.rendering import PageInfo, Renderer
from tests.contentkit import ContentFolder
from tests.hostile.check import dangers

# Fast enough for every run (IMMUNOREF_HYPOTHESIS_SCALE=20 for a deep search by hand);
# deadline=None because rendering in a worker has its own limit.
SCALE = max(1, int(os.environ.get("IMMUNOREF_HYPOTHESIS_SCALE", "1")))
FAST = settings(max_examples=300 * SCALE, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(FAST, max_examples=60 * SCALE)

FRAGMENTS = [
    # our syntax
    "[[", "]]", "|", "#", "[@", "@", "; @", "-@", "{:", "{: ", "}", " #", " .", ".no-cite", ".lead",
    "overview", "crs", "how-it-works", "grading", "june2018", "hartmann2017", "nosuchref", "CRS", "CAR",
    "Cytokine release syndrome", "[[overview]]", "[[crs|", "[@june2018]", "{: #my-id}", "{: .lead}",
    # Markdown
    "[", "]", "(", ")", "![", "](", "\n", "\n\n", "- ", "> ", "1. ", "## ", "### ", "```", "`", "~~~", "*",
    "**", "_", "|---|---|", "| ", " |", "    ", "\t", "\\", "[r]: ", "[r]", " \"", "---",
    # HTML and attributes
    "<", ">", "</", "script", "<script>", "img", "<img src=x onerror=alert(1)>", "svg", "iframe", "onclick=",
    "onerror=", "style=", "href=", "src=", "srcdoc=", "formaction=", "\"", "'", "=", "alert(1)",
    "csrfmiddlewaretoken", "main", "ref-", "cite-", "<!--", "-->", "<![CDATA[",
    # URLs and their disguises
    "javascript:", "JaVaScRiPt:", "&#106;", "&#x6A;avascript:", "java&#9;script:", "&colon;", ":", "data:",
    "data:text/html,", "vbscript:", "http://", "https://example.org/", "mailto:a@example.org", "//",
    "/static/x.png", "&amp;", "&", "&lt;", "&#60;", "%3C",
    # characters the loader refuses, and other odd ones
    "\x00", "\x1b", "\u202e", "\u2066", "\u200b", "\ufeff", "\u00a0", "\u2028", "é", "🧬",
]
fragments = st.sampled_from(FRAGMENTS)
words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
documents = st.lists(st.one_of(fragments, fragments, words), min_size=1, max_size=40).map("".join)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> ContentFolder:
    return ContentFolder.minimal(tmp_path_factory.mktemp("properties") / "content")


@pytest.fixture(scope="module")
def renderer(folder) -> Renderer:
    content = read_content(folder.root)
    return Renderer(build_context(content, {"overview": ["how-it-works"], "crs": ["grading"]}))


_PLACEHOLDER = re.compile("[\x02\x03]")


@FAST
@given(body=documents)
def test_random_markdown_with_our_syntax_renders_nothing_dangerous(renderer, body):
    text = normalise(body)
    if find_forbidden(text) or check_limits(text):
        return  # refused before Markdown sees it (tested below through the whole pipeline)
    try:
        result = renderer.render(text, PageInfo(slug="probe"))
    except RecursionError:  # the render worker reports this as "too complex to render"
        return
    assert not dangers(result.html), (body, result.html)
    for problem in result.problems:
        assert all(isinstance(part, str) and part is not None for part in problem)
    # Text for search, snippets and the table of contents holds no Markdown placeholders.
    assert not _PLACEHOLDER.search(result.plain_text)
    assert not _PLACEHOLDER.search(result.headings_text)
    assert not any(_PLACEHOLDER.search(item["title"]) for item in result.toc)


@SLOW
@given(body=documents)
def test_the_whole_preview_pipeline_raises_nothing_but_content_error(folder, tmp_path_factory, body):
    path = tmp_path_factory.mktemp("doc") / "probe.md"
    path.write_text("---\ntitle: Probe\nsummary: A probe.\ncategory: basics\nreviewed: 2026-11-01\n---\n" + body,
                    encoding="utf-8", errors="surrogatepass")
    try:
        rendered = render_files([path], folder.root)
    except ContentError as exc:
        for problem in exc.problems:
            assert re.match(r"^.+\.md:\d+: \S", str(problem)), str(problem)
            assert "Traceback" not in problem.message and "unexpectedly" not in problem.message, problem.message
        return
    assert not dangers(rendered[0][1]), (body, rendered[0][1])


front_values = st.one_of(st.sampled_from(FRAGMENTS), words, st.lists(fragments, max_size=8).map("".join))


@FAST
@given(title=front_values, summary=front_values, aliases=st.lists(front_values, max_size=3), raw=st.booleans())
def test_any_front_matter_value_is_read_or_refused_never_crashes(folder, title, summary, aliases, raw):
    if raw:  # pasted straight into the YAML, unquoted: may be invalid YAML
        front = f"title: {title}\nsummary: {summary}\naliases: [{', '.join(aliases)}]\n"
    else:
        front = yaml.safe_dump({"title": title, "summary": summary, "aliases": aliases}, allow_unicode=True)
    text = "---\n" + front + "category: basics\nreviewed: 2026-11-01\n---\nBody text.\n"
    content = ContentSet(root=folder.root)
    record = read_entry(content, Path(folder.root / "probe.md"), text.encode("utf-8", "surrogatepass"))
    if record is None:
        assert content.problems and all(problem.line >= 1 for problem in content.problems)
    else:
        assert isinstance(record.title, str) and record.title == record.title.strip()
        assert all(isinstance(alias, str) for alias in record.aliases)
