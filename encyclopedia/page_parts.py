"""The parts of an entry's stored page, as the renderer lays it out: the part for patients (with
its introduction), the part for clinicians (from the ``For clinicians`` heading), the glossary of
the page and its references. Used by the handout and the API; the page itself shows it whole.

The stored HTML is sanitized and serialized by one function (``encyclopedia/sanitizer.py``), so
the markers below are exact: every heading is ``<h2 id="…">`` and the two closing parts are
``<section aria-labelledby="words-explained">`` and ``<section aria-labelledby="references">``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CLINICIANS_ID = "for-clinicians"
SIGNS_ID = "signs-to-report-at-once"
TERMS_START = '<section aria-labelledby="words-explained"'
REFERENCES_START = '<section aria-labelledby="references"'
TERM_LINK = re.compile(r'aria-describedby="gloss-([a-z0-9-]+)"')
CITE_LINK = re.compile(r'class="cite-link" href="#ref-([^"]+)"')
TERM_ITEM = re.compile(r'<dt>(.*?)</dt><dd id="gloss-([a-z0-9-]+)">(.*?)</dd>', re.S)
REFERENCE_ITEM = re.compile(r'<li id="ref-([^"]+)">(.*?)</li>', re.S)
BACKREFS = re.compile(r'\s*<span class="backrefs">.*?</span>|<a [^>]*class="item-anchor"[^>]*>#</a>', re.S)
HEADING_ANCHOR = re.compile(r'<a [^>]*class="heading-anchor"[^>]*>#</a>')
ROOT_LINK = re.compile(r'(href|src)="/(?!/)')


@dataclass
class BodyParts:
    patients: str  # the introduction and the sections for patients and families
    clinicians: str = ""  # from the "For clinicians" heading on ("" when the entry has none)
    terms: list[tuple[str, str, str]] = field(default_factory=list)  # (key, term HTML, definition HTML)
    references: list[tuple[str, str]] = field(default_factory=list)  # (key, item HTML without back links)


def _cut(html: str, marker: str) -> int:
    index = html.find(marker)
    return index if index >= 0 else len(html)


def split_body(html: str) -> BodyParts:
    end = min(_cut(html, TERMS_START), _cut(html, REFERENCES_START))
    article, tail = html[:end], html[end:]
    split = _cut(article, f'<h2 id="{CLINICIANS_ID}"')
    return BodyParts(
        patients=article[:split],
        clinicians=article[split:],
        terms=[(key, term, definition) for term, key, definition in TERM_ITEM.findall(tail)],
        references=[(key, BACKREFS.sub("", item).strip()) for key, item in REFERENCE_ITEM.findall(tail)],
    )


def take_section(html: str, section_id: str) -> tuple[str, str]:
    """(the ``<h2 id=section_id>`` section, the HTML without it); ("", html) when there is none."""
    start = html.find(f'<h2 id="{section_id}"')
    if start < 0:
        return "", html
    following = html.find("<h2", start + 4)
    end = following if following >= 0 else len(html)
    return html[start:end], html[:start] + html[end:]


def used_terms(html: str, terms: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The glossary items whose terms are marked in ``html``."""
    keys = set(TERM_LINK.findall(html))
    return [item for item in terms if item[0] in keys]


def cited(html: str, references: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The references cited in ``html``, in the page's order (their numbers on the page)."""
    keys = set(CITE_LINK.findall(html))
    return [item for item in references if item[0] in keys]


def without_heading_anchors(html: str) -> str:
    return HEADING_ANCHOR.sub("", html)


def absolute_links(html: str, origin: str) -> str:
    """Root-relative addresses (``/entries/…``) made absolute on ``origin``."""
    return ROOT_LINK.sub(lambda match: f'{match.group(1)}="{origin}/', html)
