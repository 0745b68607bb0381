"""Abbreviations used but not defined in the glossary.

An abbreviation is a word written in capitals: 2 to 6 capital letters, digits allowed
after the first letter (``CRS``, ``ICANS``, ``CD19``), a plural ``s`` allowed
(``TILs``).  It is defined when the glossary marks it (as an abbreviation, a term, an
``also`` form, or inside a longer term such as ``PRIME scheme``).  Hyphenated words are
matched against the glossary as a whole first (``IL-6``, ``GM-CSF``), then part by part
(``PAP-GM-CSF``).  Roman numerals (``stage IIIC``), pronunciation guides
(``LIM-foh-dih-PLEE-shun``), the name of a trial or study written as such (``the IMPACT
trial``), trial and product codes (``ZUMA-1``, ``KTE-X19``), and a few ordinary words and units are not abbreviations for this rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..build import Prepared
from ..errors import Problem
from ..datafiles import GLOSSARY_FILE, TIMELINE_FILE
from ..mdx.glossary import compile_glossary
from .entries import PLACEHOLDER

# Ordinary words and units written in capitals (and the placeholder `newentry` writes,
# which has its own warning).  Keep it short: anything a patient might not know belongs
# in the glossary instead.
ALLOWED = frozenset({"US", "USA", "UK", "EU", "OK", "AM", "PM", "TV", "IU", "NOT", PLACEHOLDER})

_WORD = re.compile(r"(?<![^\W_])[^\W_]+(?:-[^\W_]+)*(?![^\W_])")
# "the IMPACT trial": the text itself says what the name is.
_NAMED_STUDY = re.compile(r"\s+(?:trials?|stud(?:y|ies))\b", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^[A-Z][A-Z0-9]*$")
_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[A-D]?$")
_LOWER_SYLLABLE = re.compile(r"^[a-z]+$")
_CODE_NUMBER = re.compile(r"^[A-Z]?\d+$")
MAX_PARTS = 4  # the longest hyphenated glossary name looked for, in parts (PAP-GM-CSF has 3)


def is_abbreviation(word: str) -> bool:
    """Capitals (2 to 6 letters, digits after the first letter), optionally with a plural s."""
    if word.endswith("s") and len(word) > 2:
        word = word[:-1]
    if not _ABBREVIATION.match(word):
        return False
    letters = sum(char.isalpha() for char in word)
    return 2 <= letters <= 6 and word not in ALLOWED and not _ROMAN.match(word)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 2 and word[:-1].isupper() else word


def undefined_in(text: str, defined: set[str]) -> list[str]:
    """Abbreviations in ``text`` that the glossary does not define, in order of first use."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        if _NAMED_STUDY.match(text, match.end()):
            continue
        parts = match.group(0).split("-")
        if len(parts) >= 2 and _CODE_NUMBER.match(parts[-1]) and len(parts[0]) >= 3:
            continue  # a trial or product code, e.g. ZUMA-1, CARTITUDE-1, KTE-X19
        if sum(bool(_LOWER_SYLLABLE.match(part)) for part in parts) >= 2 and any(is_abbreviation(p) for p in parts):
            continue  # a pronunciation guide, e.g. LIM-foh-dih-PLEE-shun
        start = 0
        while start < len(parts):
            for end in range(min(len(parts), start + MAX_PARTS), start, -1):
                name = "-".join(parts[start:end])
                if name in defined or _singular(name) in defined:
                    start = end
                    break
            else:
                part = parts[start]
                if is_abbreviation(part):
                    found.append(_singular(part))
                start += 1
    return list(dict.fromkeys(found))


def glossary_names(prepared: Prepared) -> set[str]:
    names: set[str] = set()
    for record in prepared.content.glossary:
        names.update(record.names())
    return names


@dataclass
class _Use:
    path: str
    line: int
    owner: str  # the entry slug or data file the use belongs to


def _blank(match: re.Match) -> str:
    """Spaces in place of a match, line breaks kept (so lines are still counted right)."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _line_in(body: str, first_line: int, word: str) -> int:
    pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}s?(?![^\W_])")
    match = pattern.search(body)
    return first_line + body.count("\n", 0, match.start()) if match else first_line


def _texts(prepared: Prepared) -> Iterator[tuple[str, str, int, str, str]]:
    """(text, path, line, owner, source to find the line in) for everything readers see."""
    content = prepared.content
    for slug, entry in sorted(content.entries.items(), key=lambda item: item[1].path):
        yield entry.title, entry.path, entry.line_of("title"), slug, ""
        yield entry.summary, entry.path, entry.line_of("summary"), slug, ""
        result = prepared.rendered.get(slug)
        if result is not None:
            yield result.plain_text, entry.path, entry.body_line, slug, entry.body
    glossary_path = content.display_path(content.root / GLOSSARY_FILE)
    for record in content.glossary:
        yield record.definition, glossary_path, record.line, GLOSSARY_FILE, ""
    timeline_path = content.display_path(content.root / TIMELINE_FILE)
    for step in content.timeline:
        yield f"{step.title}\n{step.duration}\n{step.text}", timeline_path, step.line, TIMELINE_FILE, ""


def undefined_abbreviations(prepared: Prepared) -> Iterator[Problem]:
    """One warning per undefined abbreviation, at its first use, saying where else it is used."""
    defined = glossary_names(prepared)
    marked, _exact, _folded = compile_glossary(tuple(prepared.content.glossary))
    uses: dict[str, list[_Use]] = {}
    for text, path, line, owner, source in _texts(prepared):
        if marked is not None:  # what the glossary marks is defined, "PRIME scheme" included
            text, source = marked.sub(_blank, text), marked.sub(_blank, source)
        for word in undefined_in(text, defined):
            where = _line_in(source, line, word) if source else line
            uses.setdefault(word, []).append(_Use(path, where, owner))
    for word, places in uses.items():
        first = places[0]
        others = len({use.owner for use in places} - {first.owner})
        also = f" (also used in {others} other file{'s' if others != 1 else ''})" if others else ""
        yield Problem(first.path, first.line,
                      f"`{word}` looks like an abbreviation but is not in the glossary{also}: add it to "
                      f"{GLOSSARY_FILE} (a `term` with `abbreviation: {word}` and a plain definition), or write "
                      "it out in full", "warning")
