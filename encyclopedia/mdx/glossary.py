"""Glossary marking: the first use of each glossary term in an entry links to its meaning.

Full terms match case-insensitively (plurals too); abbreviations match as written, so
"CAR" marks the receptor and "car" does not.  Never inside headings, links, code or
citation markers.  Each mark points (``aria-describedby``) at the short definition in
the "Words explained on this page" list appended to the entry, so keyboard, touch and
screen-reader users get the definition without a ``title`` tooltip.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from functools import lru_cache

from markdown import Markdown

from ..names import fold_name
from .base import DocumentExtension, DocumentTreeprocessor

SKIP_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre", "sup", "dfn", "section"})


def _term_pattern(name: str, case_sensitive: bool) -> str:
    words = [re.escape(word) for word in re.split(r"[\s-]+", name.strip()) if word]
    body = r"[\s-]+".join(words)
    plural = r"(?:s|es)?" if not case_sensitive or name[-1:].isupper() else ""
    if case_sensitive:
        return f"{body}{plural}"
    return f"(?i:{body}{plural})"


@lru_cache(maxsize=8)
def compile_glossary(glossary: tuple) -> tuple[re.Pattern | None, dict[str, str], dict[str, str]]:
    """One regex for every glossary name, longest first, and lookups back to the term key."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    alternatives: list[tuple[int, str, str]] = []
    for record in glossary:
        for name in record.names():
            case_sensitive = name == record.abbreviation and any(ch.isupper() for ch in name)
            if case_sensitive:
                exact[name] = record.key
            else:
                folded[fold_name(name)] = record.key
            alternatives.append((len(name), (name.strip() or name)[0], _term_pattern(name, case_sensitive)))
    if not alternatives:
        return None, exact, folded
    alternatives.sort(key=lambda item: -item[0])
    # Grouped by first letter behind a lookahead, so a word start tries only the names that
    # can begin there (same matches, longest first, about 3x faster than one flat list).
    groups: dict[str, tuple[set[str], list[str]]] = {}
    for _length, first, alternative in alternatives:
        key = first.lower() if len(first.lower()) == 1 else first
        firsts, group = groups.setdefault(key, (set(), []))
        firsts.add(first)
        group.append(alternative)
    body = "|".join(f"(?=(?i:[{''.join(re.escape(ch) for ch in sorted(firsts))}]))(?:{'|'.join(group)})"
                    for firsts, group in groups.values())
    pattern = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w])")
    return pattern, exact, folded


def term_key(match: str, exact: dict[str, str], folded: dict[str, str]) -> str | None:
    """The key of the glossary term a match of :func:`compile_glossary`'s pattern is (plurals too)."""
    for candidate in (match, match[:-1] if match.endswith("s") else None, match[:-2] if match.endswith("es") else None):
        if candidate and candidate in exact:
            return exact[candidate]
    text = fold_name(match)
    for candidate in (text, text[:-1] if text.endswith("s") else None, text[:-2] if text.endswith("es") else None):
        if candidate and candidate in folded:
            return folded[candidate]
    return None


def terms_in(text: str, glossary: tuple) -> set[str]:
    """The keys of every glossary term the text uses (what the marking pass can mark)."""
    pattern, exact, folded = compile_glossary(glossary)
    if pattern is None:
        return set()
    return {key for match in pattern.finditer(text) if (key := term_key(match.group(0), exact, folded))}


class GlossaryTreeprocessor(DocumentTreeprocessor):
    def run(self, root: etree.Element) -> None:
        context = self.document.context
        pattern, exact, folded = compile_glossary(context.glossary)
        if pattern is None:
            return
        self.pattern, self.exact, self.folded = pattern, exact, folded
        self.page = self.document.page
        self.records = {record.key: record for record in context.glossary}
        self.context = context
        self.used: list[str] = []
        self.mark(root)
        if self.used:
            root.append(self.terms_section())
        self.document.terms.extend(self.used)

    def mark(self, element: etree.Element) -> None:
        if element.tag in SKIP_TAGS or element in self.document.generated:
            return
        if element.text:
            element.text, made = self.split(element.text)
            for offset, node in enumerate(made):
                element.insert(offset, node)
        for child in list(element):
            self.mark(child)
            if child.tail:
                child.tail, made = self.split(child.tail)
                position = list(element).index(child) + 1
                for offset, node in enumerate(made):
                    element.insert(position + offset, node)

    def split(self, text: str) -> tuple[str, list[etree.Element]]:
        made: list[etree.Element] = []
        leading = text
        last_end = 0
        for match in self.pattern.finditer(text):
            key = term_key(match.group(0), self.exact, self.folded)
            if key is None or key in self.used:
                continue
            record = self.records[key]
            if record.entry and record.entry == self.page.slug:
                continue  # the entry that explains the term does not link to itself
            self.used.append(key)
            link = etree.Element("a")
            target = self.context.targets.get(record.entry) if record.entry else None
            link.set("href", target.url if target and not target.draft else f"{self.context.glossary_url}#{key}")
            link.set("class", "term")
            link.set("aria-describedby", f"gloss-{key}")
            link.text = match.group(0)
            self.document.mark_generated(link)
            if made:
                made[-1].tail = text[last_end:match.start()]
            else:
                leading = text[:match.start()]
            made.append(link)
            last_end = match.end()
        if made:
            made[-1].tail = text[last_end:]
        return leading, made

    def terms_section(self) -> etree.Element:
        doc = self.document
        section = etree.Element("section")
        section.set("class", "terms")
        section.set("aria-labelledby", "words-explained")
        heading = etree.SubElement(section, "h2")
        heading.set("id", "words-explained")
        heading.text = "Words explained on this page"
        listing = etree.SubElement(section, "dl")
        listing.set("class", "term-list")
        for key in sorted(self.used, key=lambda k: self.records[k].term.casefold()):
            record = self.records[key]
            term = etree.SubElement(listing, "dt")
            term.text = record.term + (f" ({record.abbreviation})" if record.abbreviation else "")
            definition = etree.SubElement(listing, "dd")
            definition.set("id", f"gloss-{key}")
            definition.text = record.definition
            for element in (term, definition):
                doc.mark_generated(element)
        for element in (section, heading, listing):
            doc.mark_generated(element)
        return section


class GlossaryExtension(DocumentExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the attribute guard (7), before citations (6) append the References list.
        md.treeprocessors.register(GlossaryTreeprocessor(md, self.document), "immunoref_glossary", 6.5)
