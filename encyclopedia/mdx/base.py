"""Per-document state shared by our extensions, and the rules for element ids.

Every extension reports problems as ``(snippet, message)``: the snippet is source text
the loader finds again to name the line, so no extension needs to track positions.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from html import escape, unescape

from markdown import Extension, Markdown

ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
RESERVED_PREFIXES = ("ref-", "cite-", "gloss-", "term-", "ir-")
# Ids the page templates use; content may never claim them (tests/test_templates check
# that every id in templates/ is listed here).
RESERVED_IDS = frozenset({
    "main", "content", "top", "skip", "site-header", "site-search", "search", "search-q", "search-input",
    "search-suggestions", "site-footer", "toc", "toc-title", "contents", "references", "references-title",
    "linked-from", "linked-from-title", "related", "related-title", "cite-this-page", "cite-this-page-title",
    "terms", "terms-title", "words-explained", "timeline", "timeline-title", "diagram", "diagram-title",
    "breadcrumbs", "entry-title", "entry-summary", "entry-meta", "nav", "pager", "disclaimer",
    "csrfmiddlewaretoken", "results", "results-title", "did-you-mean", "go-to", "draft-banner",
    "content-errors", "page-title", "summary", "review", "about", "footer", "header", "menu",
})


def state(md: Markdown) -> "DocumentState":
    return md.immunoref_state  # type: ignore[attr-defined]


class DocumentState:
    """What one conversion found: ids, links, citations, terms, problems."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.heading_ids: list[str] = []
        self.toc: list[dict] = []
        self.links: list[tuple[str, str]] = []
        self.citations: list[tuple[str, int, str]] = []
        self.terms: list[str] = []
        self.plain_text = ""
        self.headings_text = ""
        self.generated: dict[etree.Element, dict[str, str]] = {}

    def problem(self, snippet: str, message: str) -> None:
        self.problems.append((snippet, message))

    def mark_generated(self, element: etree.Element) -> etree.Element:
        """Remember an element we made, with its attributes, so no user syntax can alter them."""
        self.generated[element] = dict(element.attrib)
        return element


class StateExtension(Extension):
    """Attaches a fresh DocumentState to the Markdown instance for each document."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self.md = md
        md.immunoref_state = DocumentState()  # type: ignore[attr-defined]

    def reset(self) -> None:
        state(self.md).reset()


def id_problem(value: str) -> str | None:
    if not ID_PATTERN.match(value):
        return (f"id `{value}` is not allowed: ids use lowercase letters, digits and hyphens and start "
                "with a letter, such as `side-effects`")
    if value in RESERVED_IDS or value.startswith(RESERVED_PREFIXES):
        return (f"id `{value}` is used by the page itself (or starts with a reserved prefix such as "
                "`ref-` or `cite-`); choose another, e.g. `{: #my-" + value.split("-")[0] + "}`")
    return None


_STASHED = re.compile("\x02wzxhzdk:(\\d+)\x03")  # raw HTML Markdown set aside (entities, code blocks)
_ESCAPED = re.compile("\x02(\\d+)\x03")  # a backslash-escaped character
_TAG = re.compile(r"<[^>]*>")


def readable(md: Markdown, text: str) -> str:
    """Tree text as a reader sees it, for the table of contents, labels and search.

    While tree processors run, Markdown's text still holds placeholders (stashed entities
    and code blocks, escaped characters) and code spans hold escaped HTML; this resolves
    the placeholders and decodes entities, so ``&amp;`` or `` `<b>` `` read as ``&`` and ``<b>``.
    """
    def stashed(match: re.Match) -> str:
        try:
            return _TAG.sub(" ", str(md.htmlStash.rawHtmlBlocks[int(match.group(1))]))
        except (IndexError, ValueError):
            return ""

    text = _STASHED.sub(stashed, text)
    text = _ESCAPED.sub(lambda match: escape(chr(int(match.group(1)))), text)
    return unescape(text)


_SLUG_STRIP = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """The heading-id scheme: ASCII, lowercase, hyphens; never changes (shared links)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")
    if not slug:
        return "section"
    if not slug[0].isalpha():
        slug = f"section-{slug}"
    return slug
