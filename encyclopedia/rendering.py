"""The single place Markdown becomes sanitized HTML.

:class:`Renderer` normalises nothing and checks nothing about files: the loader has done
that.  It runs Python-Markdown with our extensions (``encyclopedia/mdx/``, sharing one
:class:`~encyclopedia.mdx.base.Document`) against a :class:`RenderContext` (precomputed
maps of entries, aliases, references and glossary terms; never the database), then
sanitizes.  ``encyclopedia.workers`` runs it in worker processes under a CPU-time limit;
:func:`renderer_fingerprint` names the rendering code, so a change to it renders every
entry again.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import markdown
from .mdx.base import Document, DocumentExtension, DocumentTreeprocessor, ResetExtension, readable
from .mdx.citations import CitationExtension
from .mdx.glossary import GlossaryExtension
from .mdx.headings import HeadingIdTreeprocessor, HeadingsExtension
from .mdx.safety import SafetyExtension
from .mdx.syntax import parse_blocks
from .mdx.wikilinks import WikiLinkExtension
from .names import fold_name
from .records import GlossaryRecord, ReferenceRecord
from .sanitizer import sanitize

# Bump when rendered HTML changes for reasons the code hash below cannot see.
RENDERER_VERSION = "1"


@cache
def renderer_fingerprint() -> str:
    """Hash of the rendering code: a code change re-renders every entry (computed on first use)."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    here = Path(__file__).resolve().parent
    for path in sorted([here / "rendering.py", here / "sanitizer.py", here / "bibliography.py", here / "names.py",
                        here / "study_types.py",
                        *(here / "mdx").glob("*.py")]):
        digest.update(path.read_bytes())
    digest.update(markdown.__version__.encode())
    import bleach
    digest.update(bleach.__version__.encode())
    return digest.hexdigest()[:16]



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


def _extensions(document: Document) -> list:
    """Python-Markdown's extensions we use, and ours, each given the one shared document."""
    return [
        ResetExtension(document=document),
        SafetyExtension(document=document),
        "markdown.extensions.tables",
        "markdown.extensions.attr_list",
        "markdown.extensions.fenced_code",
        "markdown.extensions.sane_lists",
        HeadingsExtension(document=document),
        WikiLinkExtension(document=document),
        CitationExtension(document=document),
        GlossaryExtension(document=document),
        PlainTextExtension(document=document),
    ]


class PlainTextTreeprocessor(DocumentTreeprocessor):
    """The entry's readable text (for search and snippets), without the appended lists."""

    def run(self, root: etree.Element) -> None:
        parts = []
        for child in root:
            if child.tag == "section":
                continue
            parts.append(" ".join(readable(self.md, _text_of(child)).split()))
        self.document.plain_text = "\n".join(part for part in parts if part)


def _text_of(element: etree.Element) -> str:
    """Text content without citation markers."""
    if element.tag == "sup":
        return element.tail or ""
    text = element.text or ""
    for child in element:
        text += _text_of(child)
    return text + (element.tail or "")


class PlainTextExtension(DocumentExtension):
    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(PlainTextTreeprocessor(md, self.document), "immunoref_plain_text", 5)


class Renderer:
    """One configured Markdown instance, reused for many documents (per process)."""

    def __init__(self, context: RenderContext):
        self.context = context
        self.document = Document(context)
        self.md = markdown.Markdown(
            extensions=_extensions(self.document),
            extension_configs={"markdown.extensions.tables": {"use_align_attribute": True}},
            output_format="html",
        )

    def render(self, body: str, page: PageInfo) -> RenderResult:
        self.md.reset()
        doc = self.document
        doc.page = page
        html = self.md.convert(body)
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

    def block_tree(self, body: str):
        """The body's top-level blocks from a block parse only (cheap): no inline Markdown, no HTML."""
        self.md.reset()
        self.document.page = PageInfo(slug="")
        return parse_blocks(self.md, body)

    def section_ids(self, body: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Heading ids (and their problems) from a block parse only."""
        HeadingIdTreeprocessor(self.md, self.document).run(self.block_tree(body))
        return list(self.document.heading_ids), list(self.document.problems)


def render_markdown(body: str, context: RenderContext | None = None, slug: str = "", draft: bool = False) -> RenderResult:
    """Render one body in this process (no CPU limit): for tests and tools."""
    return Renderer(context or RenderContext()).render(body, PageInfo(slug=slug, draft=draft))
