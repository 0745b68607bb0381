"""The one object our extensions share for a conversion, and the rules for element ids.

How an extension gets what it needs
-----------------------------------
Every extension of ours takes one :class:`Document` in its configuration
(``WikiLinkExtension(document=document)``, as Python-Markdown's own extensions take theirs)
and hands it to its processors.  The renderer sets ``document.context`` (the precomputed
maps of entries, aliases, references and glossary terms: never the database) once, and
``document.page`` before each conversion; :class:`DocumentExtension` registers the document
with Markdown so that ``md.reset()`` clears what the previous conversion found.  Nothing is
hung on the Markdown object.

Elements an extension makes: call ``document.mark_generated(element)``
-----------------------------------------------------------------------
The attribute guard (:mod:`.safety`, tree processor priority 7) removes every attribute an
editor's attribute list could have set.  It cannot tell an ``href`` or ``class`` *we* set from
one an editor wrote, so it restores the attributes of every element registered with
:meth:`Document.mark_generated` and strips the rest.  So: every element an extension creates
before the guard runs (inline processors, tree processors above 7) **must** be passed to
``mark_generated`` after its attributes are set, or it loses them; elements made after the
guard (priority below 7) are marked too, so later passes (glossary marking skips generated
elements) leave them alone.

Problems are reported as ``(snippet, message)``: the snippet is source text the loader finds
again to name the line, so no extension needs to track positions.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as etree
from html import escape, unescape
from typing import Any

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

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


class Document:
    """One conversion: what it renders against (``context``, ``page``) and what it found.

    ``context`` and ``page`` are set by the renderer; :meth:`reset` (run by ``md.reset()``)
    clears the findings before each document.
    """

    def __init__(self, context: Any = None, page: Any = None) -> None:
        self.context = context
        self.page = page
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


class DocumentExtension(Extension):
    """Base of our extensions: holds the shared :class:`Document` (config ``document``)."""

    def __init__(self, **kwargs) -> None:
        self.config = {"document": ["", "the Document every extension of one renderer shares"]}
        super().__init__(**kwargs)

    @property
    def document(self) -> Document:
        return self.getConfig("document")


class ResetExtension(DocumentExtension):
    """Registers the document with Markdown, so ``md.reset()`` clears it for the next conversion."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)

    def reset(self) -> None:
        self.document.reset()


class DocumentTreeprocessor(Treeprocessor):
    def __init__(self, md: Markdown, document: Document) -> None:
        super().__init__(md)
        self.document = document


class DocumentInlineProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: Markdown, document: Document) -> None:
        super().__init__(pattern, md)
        self.document = document


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
