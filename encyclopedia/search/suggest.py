"""Suggestions as you type: entries whose title or alias starts with what was typed.

The last word may be unfinished ("leukaph"), so it is matched as the start of a word;
the words before it must match whole.  A name is found from any of its words on
("storm" finds "cytokine storm"), but names starting with the text come first, then
titles before aliases, shorter before longer.  A misspelt word one edit from a title
word is corrected; on PostgreSQL, names that merely look alike come last.
"""

from __future__ import annotations

from ..addresses import entry_url
from ..models import Entry
from .backends import get_backend
from .models import SearchName
from .query import MAX_QUERY_CHARS
from .text import WORD_PATTERN, clean_query, fold, word_terms
from .typos import corrections

MAX_SUGGESTIONS = 10
_SCAN = 200  # names read per prefix


def _prefixes(text: str) -> list[str]:
    """Keys to look for: whole terms for the finished words, variants of the unfinished last one."""
    raw = WORD_PATTERN.findall(text)
    if not raw:
        return []
    head = [term for word in raw[:-1] for term in word_terms(word)]
    last = raw[-1]
    endings = {" ".join(word_terms(last)), fold(last)}
    if not text.endswith(tuple(" -")):
        endings.add(fold(last).replace("ae", "e").replace("oe", "e"))
    return [" ".join([*head, ending]).strip() for ending in sorted(endings) if ending]


def _names(backend, prefix: str) -> list[tuple]:
    """Up to ``_SCAN`` names (from any of their words on) starting with ``prefix``, however short
    it is: one walk of the key index (names are kept for published entries only)."""
    rows = backend.starting_with(SearchName.objects.all(), "key", prefix)
    return list(rows.values_list("entry_id", "key", "kind", "start", "words")[:_SCAN])


def _collect(backend, found: dict[int, tuple], prefix: str, typed: str, corrected: bool = False) -> None:
    for entry_id, key, kind, start, words in _names(backend, prefix):
        rank = (corrected, key != typed, not start, kind != SearchName.TITLE, words, len(key), key)
        if entry_id not in found or rank < found[entry_id]:
            found[entry_id] = rank


def suggest(query: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
    """Up to ``limit`` (at most 10) suggestions: ``[{"title": …, "url": …}]``."""
    limit = max(0, min(int(limit), MAX_SUGGESTIONS))
    text = clean_query(query or "", MAX_QUERY_CHARS)[:100]
    prefixes = _prefixes(text)
    if not prefixes or not limit:
        return []
    backend = get_backend()
    found: dict[int, tuple] = {}
    for prefix in prefixes:
        _collect(backend, found, prefix, prefixes[0])
    if not found:
        last = WORD_PATTERN.findall(text)[-1]
        if len(word_terms(last)) == 1:
            head = " ".join(prefixes[0].split()[:-1])
            likely = [c for c in corrections(last, backend) if c.names and (c.one_edit or c.sound_edits <= 1)]
            for correction in likely[:2]:
                _collect(backend, found, f"{head} {correction.term}".strip(), prefixes[0], corrected=True)
    ids = sorted(found, key=found.get)[:limit]
    if not ids and sum(ch.isalpha() for ch in text) >= 4 and not any(ch.isdigit() for ch in text):
        ids = backend.similar_names(text, limit)  # look-alike names (PostgreSQL only)
    known = {pk: (title, slug) for pk, title, slug in
             Entry.objects.published().filter(pk__in=ids).values_list("pk", "title", "slug")}
    return [{"title": known[pk][0], "url": entry_url(known[pk][1])} for pk in ids if pk in known]
