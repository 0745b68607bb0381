"""Citations: ``[@june2018]`` and ``[@june2018; @hartmann2017]``, as in pandoc.

The inline pattern leaves a placeholder for each citation group; a tree pass then walks
the document in reading order, numbers references by first citation (Vancouver), turns
placeholders into superscript links, and appends the References list with a back-link
to every place each reference is cited.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Markdown

from ..bibliography import vancouver_text
from ..names import did_you_mean
from ..study_types import CSS_CLASS as STUDY_TYPE_CLASS, label as study_type_label
from .base import DocumentExtension, DocumentInlineProcessor, DocumentTreeprocessor
from .syntax import CITATION_PATTERN, citation_keys

PLACEHOLDER_CLASS = "ir-cite-group"


class CitationInlineProcessor(DocumentInlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802
        doc = self.document
        context = self.document.context
        keys: list[str] = []
        for part, key in citation_keys(m.group(1)):
            if key is None:
                doc.problem(m.group(0), f"citation `{m.group(0)}`: `{part}` is not a citation; "
                                        "write [@id] or [@id1; @id2] with ids from references.yaml")
                continue
            if key not in context.references:
                doc.problem(m.group(0), f"citation `[@{key}]`: no reference with id `{key}` in references.yaml"
                                        f"{did_you_mean(key, context.references)}; add the record or fix the id")
                continue
            keys.append(key)
        if not keys:
            return "", m.start(0), m.end(0)
        element = etree.Element("sup")
        element.set("class", PLACEHOLDER_CLASS)
        element.set("data-keys", " ".join(keys))
        doc.mark_generated(element)
        return element, m.start(0), m.end(0)


def cite_label(number: int, reference) -> str:
    """What a citation's link says to a screen reader: its number, the kind of study, the reference."""
    kind = study_type_label(reference.study_type)
    return f"Reference {number}" + (f" ({kind})" if kind else "") + f": {vancouver_text(reference)}"


class CitationTreeprocessor(DocumentTreeprocessor):
    """Numbers citations in reading order and appends the References section."""

    def run(self, root: etree.Element) -> None:
        doc = self.document
        context = self.document.context
        numbers: dict[str, int] = {}
        places: dict[str, list[str]] = {}
        section = ""
        for element in list(root.iter()):
            if element.tag in {"h2", "h3"} and element.get("id"):
                section = element.get("id")
                continue
            if element.tag != "sup" or element.get("class") != PLACEHOLDER_CLASS or element not in doc.generated:
                continue
            keys = element.get("data-keys", "").split()
            element.attrib.clear()
            element.set("class", "cite")
            element.text = "["
            previous = None
            for index, key in enumerate(keys):
                number = numbers.setdefault(key, len(numbers) + 1)
                anchor_id = f"cite-{key}-{len(places.setdefault(key, [])) + 1}"
                places[key].append(anchor_id)
                doc.citations.append((key, number, section))
                link = etree.SubElement(element, "a")
                link.set("href", f"#ref-{key}")
                link.set("id", anchor_id)
                link.set("class", "cite-link")
                link.set("aria-label", cite_label(number, context.references[key]))
                link.text = str(number)
                doc.mark_generated(link)
                if previous is not None:
                    previous.tail = ", "
                previous = link
            if previous is not None:
                previous.tail = "]"
            doc.generated[element] = dict(element.attrib)
        if numbers:
            root.append(self.references_section(numbers, places, context))

    def references_section(self, numbers, places, context) -> etree.Element:
        doc = self.document
        section = etree.Element("section")
        section.set("class", "references")
        section.set("aria-labelledby", "references")
        heading = etree.SubElement(section, "h2")
        heading.set("id", "references")
        heading.text = "References"
        listing = etree.SubElement(section, "ol")
        listing.set("class", "reference-list")
        for key in sorted(numbers, key=numbers.get):
            reference = context.references[key]
            item = etree.SubElement(listing, "li")
            item.set("id", f"ref-{key}")
            item.text = vancouver_text(reference) + " "
            kind = study_type_label(reference.study_type)
            if kind:
                badge = etree.SubElement(item, "span")
                badge.set("class", STUDY_TYPE_CLASS)
                badge.text = kind
                badge.tail = " "
                doc.mark_generated(badge)
            last = None
            for css, href, label in (
                ("ref-doi", reference.doi_url, f"doi:{reference.doi}"),
                ("ref-pubmed", reference.pubmed_url, f"PubMed {reference.pmid}"),
                ("ref-url", reference.url, reference.url),
            ):
                if href:
                    link = etree.SubElement(item, "a")
                    link.set("class", css)
                    link.set("href", href)
                    link.text = label
                    link.tail = " "
                    last = doc.mark_generated(link)
            backs = etree.SubElement(item, "span")
            backs.set("class", "backrefs")
            for number, anchor_id in enumerate(places[key], start=1):
                back = etree.SubElement(backs, "a")
                back.set("href", f"#{anchor_id}")
                back.set("class", "backref")
                back.set("aria-label", f"Back to citation {number} of reference {numbers[key]}")
                back.text = "↩"
                back.tail = " "
                doc.mark_generated(back)
            anchor = etree.SubElement(item, "a")
            anchor.set("href", f"#ref-{key}")
            anchor.set("class", "item-anchor")
            anchor.set("aria-label", f"Link to reference {numbers[key]}")
            anchor.text = "#"
            doc.mark_generated(anchor)
            del last
            for element in (section, heading, listing, item, backs):
                doc.mark_generated(element)
        return section


class CitationExtension(DocumentExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Above Markdown's links (170/160) and below wikilinks (175): `[@…]` is never a link.
        md.inlinePatterns.register(CitationInlineProcessor(CITATION_PATTERN, md, self.document), "immunoref_citation", 174)
        # After the attribute guard (7) and glossary marking (6.5); before heading anchors (4).
        md.treeprocessors.register(CitationTreeprocessor(md, self.document), "immunoref_citations", 6)
