"""The text a reader reads of a stored page body: sections, their headings and paragraphs.

Versions are recorded, and compared, on this text, not on the HTML: a release that only
changes how pages are marked up changes nothing here.  Citations are kept as their
reference key (``[@kolb2008]``), never their number, so citing a new source earlier in the
entry does not make every later citation look changed.  The reference list becomes a
mapping of key to the reference's text, so added and removed sources can be named.
Anchors, back-links and other navigation that is not text are left out.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..mdx import syntax

CITATION = syntax.ONE_CITATION
NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:\s?(?:%|(?:mg|µg|mcg|g|ml|mL|units?|IU|cells)(?:/(?:kg|m2|m²|day|dose))?|kg)(?![\w/]))?")
_BLOCKS = {"p", "li", "dt", "dd", "blockquote", "figcaption", "caption", "pre", "tr", "summary"}
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_SKIPPED_CLASSES = {"heading-anchor", "item-anchor", "backrefs", "visually-hidden-nav"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}
INTRODUCTION = ""  # the heading of the text before the first heading


@dataclass
class Section:
    heading: str
    anchor: str = ""
    level: int = 2
    paragraphs: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Readable:
    sections: list[Section] = field(default_factory=list)
    references: dict[str, str] = field(default_factory=dict)  # key -> text, in the order listed

    def text(self) -> str:
        parts = []
        for section in self.sections:
            parts.append(f"## {section.heading}")
            parts.extend(section.paragraphs)
        parts.append("## References")
        parts.extend(f"{key}: {text}" for key, text in self.references.items())
        return "\n".join(parts)

    def citation_keys(self) -> set[str]:
        return {key for section in self.sections for paragraph in section.paragraphs
                for key in CITATION.findall(paragraph)}

    def numbers(self) -> list[str]:
        """Every figure in the text (percentages and doses included), in order."""
        return [" ".join(match.group(0).split()) for section in self.sections for paragraph in section.paragraphs
                for match in NUMBER.finditer(CITATION.sub(" ", paragraph))]

    def headings(self) -> list[str]:
        return [section.heading for section in self.sections]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.result = Readable(sections=[Section(INTRODUCTION, level=1)])
        self.stack: list[tuple[str, bool]] = []  # (tag, skips its text)
        self.buffer: list[str] = []
        self.heading: tuple[str, str] | None = None  # (tag, anchor) while inside a heading
        self.in_cite = 0
        self.in_references = False
        self.reference_key: str | None = None
        self.section_depth = 0

    @property
    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer = []
        if not text:
            return
        if self.reference_key is not None:
            self.result.references[self.reference_key] = (self.result.references.get(self.reference_key, "")
                                                          + " " + text).strip()
        elif self.heading is not None:
            tag, anchor = self.heading
            self.result.sections.append(Section(text, anchor, int(tag[1])))
        else:
            self.result.sections[-1].paragraphs.append(text)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        if tag in _VOID:
            if tag == "br":
                self.buffer.append(" ")
            elif tag == "img" and values.get("alt") and not self.skipping:
                self.buffer.append(values["alt"])
            return
        skip = bool(classes & _SKIPPED_CLASSES) or tag in {"script", "style", "template"} \
            or values.get("aria-hidden") == "true"
        if tag == "section" and "references" in classes:
            self.flush()
            self.in_references = True
        if tag in _HEADINGS:
            self.flush()
            if not self.in_references:
                self.heading = (tag, values.get("id") or "")
        elif tag in _BLOCKS:
            self.flush()
            if self.in_references and tag == "li":
                self.reference_key = (values.get("id") or "").removeprefix("ref-")
        elif tag in {"td", "th"} and self.buffer:
            self.buffer.append(" | ")
        if tag == "sup" and "cite" in classes:
            self.in_cite += 1
        if self.in_cite and tag == "a" and "cite-link" in classes and not self.skipping:
            href = values.get("href") or ""
            self.buffer.append(f"[@{href.removeprefix('#ref-')}]")
        self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        # Close up to the matching tag (sanitized HTML is well formed; be forgiving anyway).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        else:
            return
        if tag == "sup" and self.in_cite:
            self.in_cite -= 1
        if tag in _HEADINGS:
            self.flush()
            self.heading = None
        elif tag in _BLOCKS:
            self.flush()
            if tag == "li" and self.reference_key is not None:
                self.reference_key = None
        elif tag == "section" and self.in_references:
            self.flush()
            self.in_references = False

    def handle_data(self, data):
        if not self.skipping and not self.in_cite:  # a citation's number and brackets: its key is kept
            self.buffer.append(data)


def readable(body_html: str) -> Readable:
    reader = _Reader()
    reader.feed(body_html)
    reader.close()
    reader.flush()
    sections = reader.result.sections
    if sections and sections[0].heading == INTRODUCTION and not sections[0].paragraphs:
        sections.pop(0)
    return reader.result


# The digest a load records and compares (:func:`readable_digest`): the same idea as
# :func:`readable`, by regular expressions, about ten times faster (a full load computes it
# for every entry it renders).  Equal for pages whose readable text is equal, whatever the markup.
_SKIPPED = re.compile(r'<(a|span)\b[^>]*\bclass="[^"]*\b(?:heading-anchor|item-anchor|backrefs)\b[^"]*"[^>]*>.*?</\1>',
                      re.DOTALL)
_CITE_GROUP = re.compile(r'<sup\b[^>]*\bclass="cite"[^>]*>(.*?)</sup>', re.DOTALL)
_CITE_KEY = re.compile(r'href="#ref-([^"]+)"')
_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>", re.DOTALL)
_BLOCK_TAG = re.compile(r"</?(?:p|li|dt|dd|blockquote|figcaption|caption|pre|tr|summary|h[1-6]|section|div|ol|ul|dl|table|"
                        r"thead|tbody|figure|details|br)\b[^>]*>")
_CELL_TAG = re.compile(r"<t[dh]\b[^>]*>")
_IMAGE_ALT = re.compile(r'<img\b[^>]*\balt="([^"]*)"[^>]*>')
_ANY_TAG = re.compile(r"<[^>]*>")


def readable_digest(body_html: str, title: str = "") -> str:
    """A digest of the page's readable text and title: what decides whether a load records a version."""
    text = _HIDDEN.sub(" ", body_html)
    text = _SKIPPED.sub(" ", text)
    text = _CITE_GROUP.sub(lambda match: "".join(f"[@{key}]" for key in _CITE_KEY.findall(match.group(1))), text)
    text = _IMAGE_ALT.sub(lambda match: match.group(1), text)
    text = _CELL_TAG.sub(" | ", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = html.unescape(_ANY_TAG.sub("", text))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    normal = "\n".join(line for line in lines if line)
    return hashlib.sha256(f"{title}\n{normal}".encode("utf-8")).hexdigest()
