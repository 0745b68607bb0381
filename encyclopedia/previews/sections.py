"""Each section's heading and first sentences, taken from an entry's own rendered HTML at load time.

Stored with the entry (``Entry.section_previews``) so that a page linking to ``other#section``
shows that section's preview without any request parsing another entry's HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HEADINGS = {"h2", "h3", "h4"}
SKIPPED = {"sup", "script", "style", "svg", "button"}  # citation numbers and anything not prose
TEXT_LIMIT = 280  # characters of a section's first sentences
TITLE_LIMIT = 200
_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")


def first_sentences(text: str, limit: int = TEXT_LIMIT) -> str:
    """Whole sentences up to ``limit`` characters; a first sentence longer than that is cut with "…"."""
    text = _BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))  # where a citation number was
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit - 1].rsplit(" ", 1)[0] + "…"


class _Sections(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, dict] = {}
        self.heading: str | None = None  # id of the heading being read
        self.title: list[str] = []
        self.current: str | None = None  # id of the section whose first text is being read
        self.text: list[str] = []
        self.skip = 0
        self.in_text = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED or (tag == "a" and "heading-anchor" in (attrs.get("class") or "")):
            self.skip += 1
        elif tag in HEADINGS and attrs.get("id"):
            self._close()
            self.heading, self.title = attrs["id"], []
        elif tag in ("p", "li") and self.current and not self.sections[self.current]["text"]:
            self.in_text += 1

    def handle_endtag(self, tag):
        if tag in SKIPPED or (tag == "a" and self.skip and self.heading):
            self.skip = max(0, self.skip - 1)
        elif tag in HEADINGS and self.heading:
            title = " ".join("".join(self.title).split())[:TITLE_LIMIT]
            self.sections[self.heading] = {"title": title, "text": ""}
            self.current, self.heading, self.text = self.heading, None, []
        elif tag in ("p", "li") and self.in_text:
            self.in_text -= 1
            if not self.in_text:
                self._close()

    def handle_data(self, data):
        if self.skip:
            return
        if self.heading:
            self.title.append(data)
        elif self.in_text:
            self.text.append(data)

    def _close(self):
        if self.current and self.text and not self.sections[self.current]["text"]:
            self.sections[self.current]["text"] = first_sentences("".join(self.text))
        self.text = []
        if self.current and self.sections[self.current]["text"]:
            self.current = None


def section_previews(html: str) -> dict[str, dict]:
    """{section id: {"title": heading text, "text": its first sentences}} for each h2–h4 with an id."""
    parser = _Sections()
    parser.feed(html)
    parser.close()
    parser._close()
    return parser.sections
