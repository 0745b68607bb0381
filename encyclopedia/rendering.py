"""The single place Markdown becomes sanitized HTML.

``render_entry`` normalises nothing and checks nothing about files: the loader has done
that.  It runs Python-Markdown with our extensions against a :class:`RenderContext`
(precomputed maps of entries, aliases, references and glossary terms; never the
database), then sanitizes.  ``encyclopedia.workers`` calls it in worker processes under
a CPU-time limit.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import markdown
from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from .mdx.base import StateExtension, readable, state
from .mdx.citations import CitationExtension
from .mdx.glossary import GlossaryExtension
from .mdx.headings import HeadingIdTreeprocessor, HeadingsExtension
from .mdx.safety import SafetyExtension
from .mdx.wikilinks import WikiLinkExtension
from .records import GlossaryRecord, ReferenceRecord
from .sanitizer import sanitize

# Bump when rendered HTML changes for reasons the code hash below cannot see.
RENDERER_VERSION = "1"


@lru_cache(maxsize=1)
def renderer_fingerprint() -> str:
    """Hash of the rendering code (read once, on first use): a code change re-renders every entry."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    here = Path(__file__).resolve().parent
    for path in sorted([here / "rendering.py", here / "sanitizer.py", here / "bibliography.py",
                        *(here / "mdx").glob("*.py")]):
        digest.update(path.read_bytes())
    digest.update(markdown.__version__.encode())
    import bleach
    digest.update(bleach.__version__.encode())
    return digest.hexdigest()[:16]



def fold_name(name: str) -> str:
    """How aliases and slugs are compared: case, hyphens and spacing do not matter."""
    return " ".join(re.sub(r"[-_]+", " ", name.casefold()).split())


@dataclass(frozen=True)
class LinkTarget:
    slug: str
    title: str
    url: str
    section_ids: frozenset[str]
    draft: bool = False
    broken: bool = False  # its file has problems of its own: links to it are not judged


@dataclass(frozen=True)
class PageInfo:
    slug: str
    draft: bool = False


@dataclass
class RenderContext:
    """Everything an entry's HTML may depend on besides its own text.  Picklable."""

    targets: dict[str, LinkTarget] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> slug
    references: dict[str, ReferenceRecord] = field(default_factory=dict)
    glossary: tuple[GlossaryRecord, ...] = ()
    glossary_url: str = "/glossary/"

    def resolve(self, name: str) -> LinkTarget | None:
        if name in self.targets:
            return self.targets[name]
        slug = self.aliases.get(fold_name(name))
        return self.targets.get(slug) if slug else None

    def suggest(self, name: str) -> str:
        close = difflib.get_close_matches(name, list(self.targets), n=1, cutoff=0.6)
        return f" (did you mean `{close[0]}`?)" if close else ""

    def suggest_reference(self, key: str) -> str:
        close = difflib.get_close_matches(key, list(self.references), n=1, cutoff=0.6)
        return f" (did you mean `{close[0]}`?)" if close else ""


@dataclass
class RenderResult:
    html: str = ""
    toc: list[dict] = field(default_factory=list)
    section_ids: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    citations: list[tuple[str, int, str]] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    plain_text: str = ""
    headings_text: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)  # (snippet, message)


def _extensions():
    return [
        StateExtension(),
        SafetyExtension(),
        "markdown.extensions.tables",
        "markdown.extensions.attr_list",
        "markdown.extensions.fenced_code",
        "markdown.extensions.sane_lists",
        HeadingsExtension(),
        WikiLinkExtension(),
        CitationExtension(),
        GlossaryExtension(),
        PlainTextExtension(),
    ]


class PlainTextTreeprocessor(Treeprocessor):
    """The entry's readable text (for search and snippets), without the appended lists."""

    def run(self, root: etree.Element) -> None:
        parts = []
        for child in root:
            if child.tag == "section":
                continue
            parts.append(" ".join(readable(self.md, _text_of(child)).split()))
        state(self.md).plain_text = "\n".join(part for part in parts if part)


def _text_of(element: etree.Element) -> str:
    """Text content without citation markers."""
    if element.tag == "sup":
        return element.tail or ""
    text = element.text or ""
    for child in element:
        text += _text_of(child)
    return text + (element.tail or "")


class PlainTextExtension(Extension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(PlainTextTreeprocessor(md), "immunoref_plain_text", 5)


class Renderer:
    """One configured Markdown instance, reused for many documents (per process)."""

    def __init__(self, context: RenderContext):
        self.context = context
        self.md = markdown.Markdown(
            extensions=_extensions(),
            extension_configs={"markdown.extensions.tables": {"use_align_attribute": True}},
            output_format="html",
        )
        self.md.immunoref_context = context

    def render(self, body: str, page: PageInfo) -> RenderResult:
        md = self.md
        md.reset()
        md.immunoref_page = page
        html = md.convert(body)
        doc = state(md)
        return RenderResult(
            html=sanitize(html),
            toc=list(doc.toc),
            section_ids=list(doc.heading_ids),
            links=list(dict.fromkeys(doc.links)),
            citations=list(doc.citations),
            terms=list(doc.terms),
            plain_text=doc.plain_text,
            headings_text=doc.headings_text,
            problems=list(doc.problems),
        )

    def section_ids(self, body: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Heading ids from a block parse only (cheap): no inline Markdown, no HTML."""
        md = self.md
        md.reset()
        md.immunoref_page = PageInfo(slug="")
        lines = body.split("\n")
        for preprocessor in md.preprocessors:
            lines = preprocessor.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        HeadingIdTreeprocessor(md).run(root)
        doc = state(md)
        return list(doc.heading_ids), list(doc.problems)


def render_markdown(body: str, context: RenderContext | None = None, slug: str = "", draft: bool = False) -> RenderResult:
    """Render one body in this process (no CPU limit): for tests and tools."""
    return Renderer(context or RenderContext()).render(body, PageInfo(slug=slug, draft=draft))
