"""How text becomes search terms: the same steps for entries and for queries.

A *term* is one word made comparable: lower case, accents and apostrophes gone,
Greek letters spelled out ("IFN-γ" → "ifn gamma"), singular ("cells" → "cell"),
one spelling for British and American forms (see :mod:`.spelling`).  Hyphens and
slashes separate words ("CAR-T" → "car t"); a short hyphenated compound is also
indexed joined up ("CAR-T" → "cart", "IL-6" → "il6"), so every way of writing it
meets.  Terms are index keys, never shown: pages show the words as written.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ..names import fold_word as fold
from .spelling import CHANGED_PLACES, WORDS, canonical

MAX_TERM_CHARS = 40  # longer "words" (URLs, DOIs, runs of letters) are not searchable

# Common English words that never decide a search on their own (they stay in the index,
# for phrases and for queries made only of them).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been being below between both but by
can could did do does doing don dont down during each few for from further had has have having he her here hers
herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves get gets got also may might must shall
please tell explain mean means meaning before
""".split())

WORD_PATTERN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W_]")
# A word with what it is joined to.  Compounds are found from their joints: a pattern that
# requires a joint retries from every letter of every plain word, which was slow.
_JOINED_WORD = re.compile(r"[^\W_]+(?:[-/‐‑–][^\W_]+)*")
_JOINT = re.compile(r"[-/‐‑–]")
_STEMMER = snowballstemmer.stemmer("english")
_STEMMER_LOCK = threading.Lock()


def singular(word: str) -> str:
    """A light plural stemmer: cells → cell, therapies → therapy, viruses → virus, rashes → rash."""
    if len(word) <= 3 or word[-1] != "s" or not word[-2].isalpha() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "xes", "zzes", "ruses", "tuses", "nuses", "puses", "cuses")) or (
            word.endswith("ches") and not word.endswith("aches")):
        return word[:-2]
    return word[:-1]


def normal(word: str) -> str:
    """The term of one folded word: singular, one spelling, then its English (Porter2) stem, so
    "making" meets "make" and "infused" meets "infusion"."""
    word = canonical(singular(word))
    if len(word) > 3 and word.isascii() and word.isalpha():
        with _STEMMER_LOCK:  # a Snowball stemmer keeps state while it works
            return _STEMMER.stemWord(word)
    return word


def written_part(term: str) -> str | None:
    """A piece of ``term`` that every way of writing it contains (in lower case), or None.

    Snippets skip text that lacks it.  The ends of words (plural, stem) and the places the
    spelling rules change are left out.
    """
    if term.isdigit() or len(term) <= 2:
        return term
    if term in _MAPPED:
        return None
    pieces = CHANGED_PLACES.split(term)
    # The stemmer may have replaced the last letters: two of them, or of a three-letter term one
    # ("cars" → "car", "used" → "use", "cry" → "cri"), except "ie", which may stand for "ying"
    # ("dying" → "die").  Checked on every word of content/ and of a 115,000-word dictionary.
    pieces[-1] = pieces[-1][:-1 if len(term) == 3 and not term.endswith("ie") else -2]
    best = max(pieces, key=len)
    return best if len(best) >= 2 else None


@lru_cache(maxsize=65_536)  # bounded: a web worker keeps a few MB of it at most
def word_terms(raw: str) -> tuple[str, ...]:
    """The terms of one word as written (usually one; none for an over-long word)."""
    return tuple(normal(part) for part in fold(raw).split() if len(part) <= MAX_TERM_CHARS)


def base_form(raw: str) -> str:
    """One word as written, made comparable but not stemmed (typos are judged on these)."""
    parts = fold(raw).split()
    return canonical(singular(parts[0])) if len(parts) == 1 else ""


def is_stop_word(raw: str) -> bool:
    return fold(raw) in STOP_WORDS


def terms(text: str) -> list[str]:
    """Every term of a text, in order (the indexing fast path)."""
    out: list[str] = []
    for raw in WORD_PATTERN.findall(text):
        out.extend(word_terms(raw))
    return out


def joined_compounds(text: str) -> list[str]:
    """Short hyphenated compounds written as one word: "CAR-T" → "cart", "IL-6" → "il6"."""
    out = []
    end = 0
    for joint in _JOINT.finditer(text):  # joints are few: start from each, back to its word's start
        start = joint.start()
        if start < end:
            continue
        while start > 0 and text[start - 1].isalnum():  # isalnum() is exactly [^\W_]
            start -= 1
        match = _JOINED_WORD.match(text, start)
        if match is None:
            continue
        end = match.end()
        parts = _JOINT.split(match.group())
        if 2 <= len(parts) <= 3 and any(len(part) <= 2 or any(ch.isdigit() for ch in part) for part in parts):
            out.extend(word_terms("".join(parts)))
    return out


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text with where it stands (for highlighting)."""

    terms: tuple[str, ...]
    start: int
    end: int


def clean_query(text: str, limit: int) -> str:
    """A query as received, made safe to work with: bounded, no control characters, one line."""
    text = text[:limit]
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"} else ch for ch in text)
    return " ".join(text.split())


_MAPPED = frozenset(term for word in WORDS.values() for term in word_terms(word))  # whole-word spellings
