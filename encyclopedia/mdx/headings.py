"""Heading ids, the table of contents and "link to this section" anchors.

Ids come from a heading's *source* text (before inline Markdown runs), so the loader
can learn every entry's section ids from a block parse alone, before anything is
rendered, and cross-links to sections are checked against exactly these ids.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown

from .base import DocumentExtension, DocumentTreeprocessor, id_problem, readable, slugify
from .syntax import CITATION, EMPHASIS, LINK, WIKILINK, split_trailing_attributes, wikilink_text

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
TOC_LEVELS = ("h2", "h3")


def heading_source_text(raw: str) -> tuple[str, str | None]:
    """(readable text, explicit id or None) from a heading's Markdown source."""
    raw, explicit = split_trailing_attributes(raw)
    text = WIKILINK.sub(wikilink_text, raw)
    text = CITATION.sub("", text)
    text = LINK.sub(r"\1", text)
    text = EMPHASIS.sub("", text)
    return " ".join(text.split()), explicit


class HeadingIdTreeprocessor(DocumentTreeprocessor):
    """Gives every heading its id (explicit `{: #id}` or the slugified text), unique per page."""

    def run(self, root: etree.Element) -> None:
        doc = self.document
        used: set[str] = set()
        for element in root.iter():
            if element.tag not in HEADING_TAGS:
                continue
            raw = element.text or ""
            if element.tag == "h1":
                doc.problem(raw, "a `#` heading is not allowed in the body: the title is the page's only "
                                 "top-level heading; use `##` for sections")
            text, explicit = heading_source_text(raw)
            if explicit is not None:
                problem = id_problem(explicit)
                if problem:
                    doc.problem(raw, problem)
                    explicit = None
                elif explicit in used:
                    doc.problem(raw, f"id `{explicit}` is used twice on this page; give each section its own id")
            heading_id = explicit or slugify(text)
            if explicit is None:
                problem = id_problem(heading_id)
                if problem:
                    doc.problem(raw, f"the heading `{text}` would get the id `{heading_id}`, which is reserved "
                                     "for the page itself; rename the heading or give it an id, e.g. "
                                     f"`## {text} {{: #about-{heading_id}}}`")
                base, number = heading_id, 2
                while heading_id in used:
                    heading_id, number = f"{base}-{number}", number + 1
            used.add(heading_id)
            element.set("id", heading_id)
            doc.heading_ids.append(heading_id)


class HeadingAnchorTreeprocessor(DocumentTreeprocessor):
    """Collects the table of contents and adds a visible anchor to each section heading."""

    def run(self, root: etree.Element) -> None:
        doc = self.document
        headings_text = []
        for element in root.iter():
            if element.tag not in HEADING_TAGS or "id" not in element.attrib:
                continue
            title = " ".join(readable(self.md, "".join(element.itertext())).split())
            headings_text.append(title)
            heading_id = element.get("id")
            if element.tag in TOC_LEVELS:
                doc.toc.append({"id": heading_id, "title": title, "level": int(element.tag[1])})
            anchor = etree.SubElement(element, "a")
            anchor.set("class", "heading-anchor")
            anchor.set("href", f"#{heading_id}")
            anchor.set("aria-label", f"Link to the section “{title}”")
            anchor.text = "#"
            doc.mark_generated(anchor)
        doc.headings_text = "\n".join(headings_text)


class HeadingsExtension(DocumentExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Before inline processing (20), while heading text is still its source.
        md.treeprocessors.register(HeadingIdTreeprocessor(md, self.document), "immunoref_heading_ids", 30)
        # After everything that changes heading text or adds sections (citations at 6).
        md.treeprocessors.register(HeadingAnchorTreeprocessor(md, self.document), "immunoref_heading_anchors", 4)
