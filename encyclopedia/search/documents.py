"""What the index holds for one entry: its fields as terms, its names and its synonyms.

Built from the entry's stored fields (title, aliases, headings_text, summary,
plain_text) and the glossary terms that name the entry (their term, abbreviation, other
forms and definition count as the summary does): nothing here parses Markdown or touches
the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain

from .text import WORD_PATTERN, joined_compounds, terms, word_terms

FIELDS = ("names", "headings", "summary", "body")
NAME_SUFFIX_WORDS = 8  # names are also found from each of their first words on (for suggestions)
_PARENTHESIS = re.compile(r"^(?P<main>.*?\S)\s*\((?P<inner>[^()]+)\)\s*$")
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z]{2,8}$")


@dataclass
class Name:
    display: str
    kind: str  # "title" or "alias"
    terms: list[str]


@dataclass
class Document:
    """One entry's index document.  ``fields`` maps a field to its parts, each a list of terms;
    parts are kept apart so that a phrase never runs from one name or heading into the next."""

    entry_id: int
    fields: dict[str, list[list[str]]]
    names: list[Name]
    surfaces: dict[str, str] = field(default_factory=dict)  # term → a way it is written

    def all_terms(self) -> set[str]:
        return {term for parts in self.fields.values() for part in parts for term in part}

    def name_terms(self) -> set[str]:
        return {term for part in self.fields["names"] for term in part}


def entry_names(title: str, aliases) -> list[tuple[str, str]]:
    """(display, kind) for the title, the two halves of "Title (other name)", and each alias."""
    names = [(title, "title")]
    match = _PARENTHESIS.match(title)
    if match:
        names += [(match.group("main"), "title"), (match.group("inner"), "title")]
    names += [(str(alias), "alias") for alias in aliases or [] if str(alias).strip()]
    return names


def _part(text: str, surfaces: dict[str, str]) -> list[str]:
    """The terms of one name, heading or text, noting how each term is first written."""
    raws = WORD_PATTERN.findall(text)
    for raw in dict.fromkeys(raws):  # each way of writing once, in the order first written
        found = word_terms(raw)
        if len(found) == 1 and found[0] not in surfaces:
            surfaces[found[0]] = raw if raw.isupper() and len(raw) <= 8 else raw.lower()
    return list(chain.from_iterable(map(word_terms, raws))) + joined_compounds(text)


def glossary_texts(record) -> list[str]:
    """What a glossary term adds to the entry it names: each of its forms, and its definition."""
    forms = [record.term, record.abbreviation, *(record.also or []), record.definition]
    return [str(form) for form in forms if form and str(form).strip()]


def build_document(entry_id: int, title: str, aliases, headings_text: str, summary: str,
                   plain_text: str, glossary: list[str] = ()) -> Document:
    surfaces: dict[str, str] = {}
    names = [Name(display, kind, terms(display)) for display, kind in entry_names(title, aliases)]
    fields = {
        "names": [_part(name.display, surfaces) for name in names],
        "headings": [_part(line, surfaces) for line in headings_text.splitlines() if line.strip()],
        "summary": [_part(summary, surfaces), *(_part(text, surfaces) for text in glossary)],
        "body": [_part(plain_text, surfaces)],
    }
    return Document(entry_id, fields, names, surfaces)


def name_rows(document: Document) -> list[tuple[str, str, str, bool, int]]:
    """(key, display, kind, start, words) for every name, from each of its first words on."""
    rows: dict[tuple[str, bool], tuple[str, str, str, bool, int]] = {}
    for name in document.names:
        words = name.terms
        if not words:
            continue
        for index in range(min(len(words), NAME_SUFFIX_WORDS)):
            key = " ".join(words[index:])[:200]
            start = index == 0
            if (key, start) not in rows or (name.kind == "title" and rows[(key, start)][2] != "title"):
                rows[(key, start)] = (key, name.display[:300], name.kind, start, len(words))
    return list(rows.values())


def _initials(display: str) -> str:
    return "".join(word[0] for word in re.split(r"[\s\-/‐‑–]+", display.casefold()) if word and word[0].isalnum())


def abbreviates(acronym: str, display: str) -> bool:
    """Whether the letters of ``acronym`` are the initials of the name (allowing skipped small words)."""
    letters = acronym.casefold()
    initials = _initials(display)
    if len(initials) < 2 or letters[0] != initials[0] or len(initials) > len(letters) + 2:
        return False
    position = 0
    for letter in letters:
        position = initials.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def entry_synonyms(document: Document) -> list[tuple[str, str]]:
    """(key, group) pairs: "Title (other name)" halves, and acronyms with the names they abbreviate."""
    pairs: set[tuple[str, str]] = set()
    names = document.names
    prefix = f"e{document.entry_id}"
    if len(names) >= 3 and names[1].kind == "title" and _PARENTHESIS.match(names[0].display):
        main, inner = names[1], names[2]
        if main.terms and inner.terms:
            pairs |= {(" ".join(main.terms), f"{prefix}:p"), (" ".join(inner.terms), f"{prefix}:p")}
    for name in names:
        display = name.display.strip()
        letters = display[:-1] if display.endswith("s") and display[:-1].isupper() else display
        if not _ACRONYM.match(letters) or len(name.terms) != 1:
            continue
        matches = [other for other in names if other is not name and len(other.terms) >= 2
                   and abbreviates(letters, other.display)]
        if matches:
            group = f"{prefix}:{name.terms[0]}"[:120]
            pairs.add((name.terms[0], group))
            pairs |= {(" ".join(other.terms)[:200], group) for other in matches}
    return sorted(pairs)


def glossary_synonyms(records) -> list[tuple[str, str]]:
    """(key, group) pairs from glossary terms: the term, its abbreviation and its other forms."""
    pairs: set[tuple[str, str]] = set()
    for record in records:
        forms = [record.term, record.abbreviation, *(record.also or [])]
        keys = {" ".join(terms(form))[:200] for form in forms if form and terms(form)}
        if len(keys) >= 2:
            pairs |= {(key, f"g:{record.key}"[:120]) for key in keys}
    return sorted(pairs)
