"""The Markdown syntax of our extensions, written once: patterns and the small functions that parse them.

The extensions (:mod:`.wikilinks`, :mod:`.citations`, :mod:`.headings`), the dependency
scan (:mod:`encyclopedia.dependencies`), the reading grade (:mod:`encyclopedia.readability`)
and the editorial checks all read cross-links, citations, links and attribute lists with
these, so what decides whether an entry is rendered again is exactly what the renderer reads.

No pattern here can run past a bracket or brace it does not close, so each is linear in the
length of the text, whatever the text (an unclosed ``[[`` repeated 30,000 times included).
"""

from __future__ import annotations

import re

# ``[[slug]]``, ``[[slug|text]]``, ``[[slug#section]]``, ``[[alias]]``.
WIKILINK_PATTERN = r"\[\[([^\[\]\n]{1,300}?)\]\]"
WIKILINK = re.compile(WIKILINK_PATTERN)

# ``[@june2018]``, ``[@june2018; @hartmann2017]`` (pandoc's form); a key as in references.yaml.
CITATION_PATTERN = r"\[(-?@[^\[\]\n]{0,500})\]"
CITATION = re.compile(CITATION_PATTERN)
# One citation, `[@key]`, as the readable text of a stored page writes it (encyclopedia.history.readable).
ONE_CITATION = re.compile(r"\[@([^\]\s]+)\]")
CITATION_KEY = r"[A-Za-z0-9][A-Za-z0-9_:.#$%&+?<>~/-]*"
_CITATION_PART = re.compile(rf"^-?@({CITATION_KEY})$")
_CITATION_WITH_SPACE = re.compile(r"(?<!\s)\s*" + CITATION_PATTERN)

# Markdown's own inline links and images: ``[text](url)``, ``![alt](src)``.
LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^)\[\n]*\)")

# Python-Markdown's attribute lists: ``{: #id .class}``; at the end of a heading it sets the heading's.
ATTR_LIST = re.compile(r"\{:?([^{}\n]*)\}")
TRAILING_ATTR_LIST = re.compile(r"\s*\{:?([^{}\n]*)\}\s*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")

EMPHASIS = re.compile(r"[*_`~\\]")


def wikilink_parts(inner: str) -> tuple[str, str, str]:
    """(target name, section, link text) of a cross-link's inside, each stripped."""
    target, _, label = inner.partition("|")
    name, _, section = target.strip().partition("#")
    return name.strip(), section.strip(), " ".join(label.split())


def wikilink_text(match: re.Match) -> str:
    """What a reader sees of a cross-link in source text: its text, or its target spelled out."""
    name, _section, label = wikilink_parts(match.group(1))
    return label or name.replace("-", " ")


def wikilink_targets(text: str) -> set[str]:
    """Every target name the text's cross-links use (slugs or aliases, as written)."""
    return {wikilink_parts(match.group(1))[0] for match in WIKILINK.finditer(text)}


def citation_keys(inner: str) -> list[tuple[str, str | None]]:
    """[(part as written, its key or None when it is no citation)] of a citation group's inside."""
    parts = []
    for part in inner.split(";"):
        match = _CITATION_PART.match(part.strip())
        parts.append((part.strip(), match.group(1) if match else None))
    return parts


def cited_keys(text: str) -> set[str]:
    """Every reference key the text's citations name."""
    return {key for match in CITATION.finditer(text) for _part, key in citation_keys(match.group(1)) if key}


def without_citations(text: str) -> str:
    """The text with its citation groups (and the space before each) taken out."""
    return _CITATION_WITH_SPACE.sub("", text)


def split_trailing_attributes(text: str) -> tuple[str, str | None]:
    """(text without a trailing attribute list, the id that list sets or None)."""
    match = TRAILING_ATTR_LIST.search(text)
    if not match:
        return text, None
    found = _ATTR_ID.search(match.group(1))
    return text[: match.start()], found.group(1) if found else None


def readable_source(text: str) -> str:
    """Source text as a reader sees it: cross-links as their text, citations gone, links as
    their text, attribute lists and emphasis marks gone."""
    text = without_citations(text)
    text = WIKILINK.sub(wikilink_text, text)
    text = LINK.sub(r"\1", text)
    text = ATTR_LIST.sub("", text)
    return EMPHASIS.sub("", text)


def parse_blocks(md, text: str):
    """The block tree of ``text`` as ``md`` parses it (preprocessors and block parser, no inline
    Markdown): cheap, and the same blocks the full conversion has."""
    lines = text.split("\n")
    for preprocessor in md.preprocessors:
        lines = preprocessor.run(lines)
    return md.parser.parseDocument(lines).getroot()
