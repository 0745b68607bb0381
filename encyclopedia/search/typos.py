"""Misspelt words: corrections from the index's own vocabulary.

Candidates come from three cheap lookups in :class:`~.models.SearchTerm`: terms that
*sound* the same or one edit apart once both are reduced to a rough skeleton
("leukaferesis" and "leukapheresis" share ``leukaferesis``), terms sharing the first
three letters (for two-letter slips), and, on PostgreSQL, trigram look-alikes.  Each
candidate is then judged by edit distance (Damerau–Levenshtein, transpositions count
once), on the word and on its skeleton.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models.functions import Length

from .models import TERM_COLUMNS, SearchTerm
from .text import base_form, word_terms

MIN_LENGTH = 4  # shorter words are too ambiguous to correct
_SKELETON_RULES = [
    (re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"), (re.compile(r"[cq]"), "k"), (re.compile(r"z"), "s"),
    (re.compile(r"y"), "i"), (re.compile(r"[ao]e"), "e"), (re.compile(r"(?<=[bdfgjklmnprstvwx])h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]
_ALPHABET = "abdefghijklmnoprstuvwx0123456789"


def skeleton(term: str) -> str:
    """How a term roughly sounds: ph → f, c/q → k, doubled letters once, ae/oe → e…"""
    for pattern, replacement in _SKELETON_RULES:
        term = pattern.sub(replacement, term)
    return term


def distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance, or ``limit + 1`` once it is certainly above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def edits1(word: str) -> set[str]:
    letters = set(_ALPHABET) | set(word)
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + letter + right[1:] for left, right in splits if right for letter in letters}
    inserts = {left + letter + right for left, right in splits for letter in letters}
    return deletes | transposes | replaces | inserts


@dataclass(frozen=True)
class Correction:
    term: str
    display: str
    entries: int
    names: int
    edits: int  # on the word as written (0 when only the skeleton matches exactly)
    sound_edits: int  # on the skeletons

    @property
    def one_edit(self) -> bool:
        return self.edits <= 1 or self.sound_edits == 0


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def corrections(word: str, backend) -> list[Correction]:
    """Known terms a word as typed (one that matched nothing, or little) may be a misspelling of,
    best first.  Words are compared unstemmed: "neurotoxicty" is one letter from "neurotoxicity"."""
    typed = base_form(word)
    if len(typed) < MIN_LENGTH or not typed.isalpha():
        return []
    stem = word_terms(word)[0]
    shape = skeleton(typed)
    keys = sorted(edits1(shape) | {shape})
    # Hundreds of keys: one plain statement (the ORM would prepare each parameter).
    rows = {row[0]: row for row in _rows(f"SELECT {', '.join(TERM_COLUMNS)} FROM {SearchTerm._meta.db_table} "
                                         f"WHERE skeleton IN ({', '.join(['%s'] * len(keys))})", keys)}
    # Two slips in one word: look among words sharing the first three letters and about the length.
    nearby = (backend.starting_with(SearchTerm.objects.all(), "term", stem[:3])
              .alias(length=Length("term")).filter(length__range=(len(stem) - 3, len(stem) + 3))
              .order_by("-entries").values_list(*TERM_COLUMNS)[:200])
    for row in nearby:
        rows.setdefault(row[0], row)
    for row in backend.similar_terms(stem):
        rows.setdefault(row[0], row)
    found = []
    for candidate, display, entries, names, sound in rows.values():
        if candidate == stem or entries <= 0:
            continue
        written = base_form(display or candidate)
        if abs(len(written) - len(typed)) > 2:
            continue
        edits = distance(typed, written, 2)
        sounds = distance(shape, sound, 2)
        if edits <= 1 or sounds <= 1 or (edits <= 2 and len(typed) >= 6):
            found.append(Correction(candidate, display or candidate, entries, names, edits, sounds))
    found.sort(key=lambda c: (min(c.edits, c.sound_edits), c.edits, -(c.names > 0), -c.entries, c.term))
    return found
