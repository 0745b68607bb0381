"""Titles and snippets with the searched words marked (``<mark>``), built only for what is shown.

A snippet comes from the shortest text that can answer: the summary when it holds
the words the entry matched, else the best window of the body (the window holding
the most different query words), read no further than ``BODY_SCAN_CHARS`` and
``LOOKAHEAD_CHARS`` past the first marked word; text lacking every query word's
written part (:func:`.spelling.written_part`) is skipped unread.  Words are
compared as terms (:mod:`.text`), so "leukaemia" is marked for "leukemia" and
"CAR-T" for "car t"; each distinct word is made into terms once per search, and
reading stops at the first window that shows every word the entry matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .text import NON_ASCII_LETTER, WORD_PATTERN, Word, word_terms, written_part

SNIPPET_CHARS = 240
SUMMARY_CHARS = 320
BODY_SCAN_CHARS = 16_000
CHUNK_CHARS = 1_500
ENOUGH_SLOTS = 3  # a body window showing this many of the searched words is good enough
LOOKAHEAD_CHARS = 1_500  # how far past the first marked word a better window is looked for
LEAD_CHARS = 70  # context shown before the first marked word of a window
MAX_SPANS = 32  # marked words read before choosing the window (bounds the work on common words)
MIN_PIECE = 2  # a one-letter piece ("t") is in too many words to be worth finding
_UNSEEN = object()
_APOSTROPHES = "'’ʼ"  # as WORD_PATTERN joins them
_APOSTROPHE = re.compile(r"(?<=[^\W_])['’ʼ](?=[^\W_])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"[ \t]+(?=[.,;:!?)](?:\s|$))")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    slots: frozenset[int]


class Highlighter:
    def __init__(self, slot_terms: list[tuple[int, tuple[str, ...], bool]]):
        """``slot_terms``: (slot index, terms, phrase) for every alternative of every slot."""
        self.singles: dict[str, set[int]] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], set[int]]]] = {}
        phrase_slots: dict[tuple[str, ...], set[int]] = {}
        for slot, terms, phrase in slot_terms:
            if len(terms) == 1 or not phrase:
                for term in terms:
                    self.singles.setdefault(term, set()).add(slot)
            else:
                phrase_slots.setdefault(terms, set()).add(slot)
        for terms, slots in phrase_slots.items():
            self.phrases.setdefault(terms[0], []).append((terms, slots))
        for candidates in self.phrases.values():
            candidates.sort(key=lambda item: -len(item[0]))
        self.firsts = set(self.singles) | set(self.phrases)
        self.relevant: dict[str, tuple[str, ...] | None] = {}  # word as written → its terms, if wanted
        self.parts: dict[int, set[str | None]] = {}  # slot → what any word marked for it must contain
        for term in self.firsts:
            slots = self.singles.get(term, set()).union(*(slots for _, slots in self.phrases.get(term, ())))
            for slot in slots:
                self.parts.setdefault(slot, set()).add(written_part(term))
        # Where every word that can start a mark holds a piece of 3 letters or more, only the
        # words holding one are looked at (see :meth:`_words`); otherwise every word is.
        pieces = {written_part(term) for term in self.firsts}
        self.pieces = None if not pieces or any(p is None or len(p) < MIN_PIECE or not p.isascii() for p in pieces) \
            else sorted(pieces)

    def reachable(self, terms) -> set[int]:
        """The most slots text made of ``terms`` can mark: a cheap bound, read before :meth:`spans`."""
        slots: set[int] = set()
        for term in terms:
            slots.update(self.singles.get(term, ()))
            for _, phrase_slots in self.phrases.get(term, ()):
                slots.update(phrase_slots)
        return slots

    def first_position(self, text: str, slots: frozenset[int]) -> int | None:
        """No earlier than where the first word marked for one of ``slots`` can be in ``text``;
        None when there is none."""
        parts = set().union(*(self.parts.get(slot, ()) for slot in slots))
        if not parts or None in parts or NON_ASCII_LETTER.search(text):
            return 0
        lowered = text.lower().replace("'", "").replace("’", "").replace("ʼ", "")
        found = [position for position in map(lowered.find, parts) if position >= 0]
        # Positions in ``lowered`` are never after the same place in ``text`` (only apostrophes go).
        return max(0, min(found) - LEAD_CHARS) if found else None

    def _match_at(self, text: str, word: Word, limit: int) -> Span | None:
        """The longest phrase, else the single term, starting at ``word``."""
        if not word.terms:
            return None
        candidates = self.phrases.get(word.terms[0])
        if candidates:
            sequence, ends = list(word.terms), [word.end] * len(word.terms)
            position = word.end
            while True:
                length = len(sequence)
                candidates = [(terms, slots) for terms, slots in candidates
                              if tuple(sequence[:min(length, len(terms))]) == terms[:length]]
                if not any(len(terms) > length for terms, _ in candidates):
                    break
                following = WORD_PATTERN.search(text, position, limit)
                if not following:
                    break
                found = word_terms(following.group())
                sequence.extend(found)
                ends.extend([following.end()] * len(found))
                position = following.end()
            complete = [(terms, slots) for terms, slots in candidates if len(terms) <= len(sequence)]
            if complete:  # longest first
                terms, slots = complete[0]
                return Span(word.start, ends[len(terms) - 1], frozenset(slots))
        slots = set()
        for term in word.terms:
            slots |= self.singles.get(term, set())
        return Span(word.start, word.end, frozenset(slots)) if slots else None

    def spans(self, text: str, limit: int | None = None, enough: frozenset[int] = frozenset(),
              enough_count: int = 0, start: int = 0) -> list[Span]:
        """Marked stretches of ``text`` (up to ``limit`` characters), in order, not overlapping.

        With ``enough``, stops after the first window of a snippet's length holding all those
        slots (or ``enough_count`` of them).
        """
        limit = min(len(text), limit or len(text))
        found: list[Span] = []
        position = chunk_start = _word_start(text, start)
        stop_at = limit
        done = looked = False
        while chunk_start < stop_at:  # a chunk at a time, so that reading can stop early
            # Read no further than the first space after ``stop_at``: a word starting before
            # it is marked in full, and nothing after it is read.
            end = text.find(" ", stop_at, limit) if stop_at < limit else -1
            end = limit if end < 0 else end
            chunk_end = -1
            if end - chunk_start > CHUNK_CHARS * 1.5:
                chunk_end = text.find(" ", chunk_start + CHUNK_CHARS, end)
            chunk_end = end if chunk_end < 0 else chunk_end
            for span in self._chunk_spans(text, chunk_start, chunk_end, limit):
                if span.start >= stop_at:
                    return found
                if span.start < position:
                    continue
                found.append(span)
                position = span.end
                if not looked and (span.slots & enough or not enough):
                    looked = True  # a better window than near the first wanted word is looked for this far
                    stop_at = min(stop_at, span.start + LOOKAHEAD_CHARS)
                if not done and (len(found) >= MAX_SPANS or (enough and _window_holds(found, enough, enough_count))):
                    done = True
                    stop_at = min(stop_at, span.end + SNIPPET_CHARS)  # enough: finish the window being shown
            chunk_start = chunk_end
        return found

    def _words(self, text: str, start: int, end: int):
        """The words of ``text[start:end]`` that can start a mark, in order, as ``WORD_PATTERN``
        finds them: in plain ASCII text, only those holding one of the pieces (found by
        ``str.find``, far faster than going through every word) or an apostrophe (which
        :func:`.text.word_terms` drops, so a piece may span it); otherwise all of them."""
        if self.pieces is None or NON_ASCII_LETTER.search(text, start, end):
            return WORD_PATTERN.finditer(text, start, end)
        lowered = text[start:end].lower()  # the same length: the text has no letter outside ASCII
        found: set[int] = set()
        for piece in self.pieces:
            position = lowered.find(piece)
            while position >= 0:
                found.add(start + position)
                position = lowered.find(piece, position + len(piece))
        for mark in _APOSTROPHE.finditer(text, start + 1, end):
            found.add(mark.start() - 1)  # the letter before an apostrophe inside a word
        words = {}
        for position in sorted(found):
            first = _token_start(text, position, start)
            if first not in words and (match := WORD_PATTERN.match(text, first, end)):
                words[first] = match
        return words.values()

    def _chunk_spans(self, text: str, start: int, end: int, limit: int):
        relevant, firsts = self.relevant, self.firsts
        for match in self._words(text, start, end):
            raw = match.group()
            terms = relevant.get(raw, _UNSEEN)
            if terms is _UNSEEN:  # each distinct word is made into terms once per search
                terms = word_terms(raw)
                relevant[raw] = terms = None if firsts.isdisjoint(terms) else terms
            if terms is not None:
                span = self._match_at(text, Word(terms, match.start(), match.end()), limit)
                if span:
                    yield span


def _token_start(text: str, position: int, floor: int) -> int:
    """Where the word holding the letter at ``position`` starts, as ``WORD_PATTERN`` reads from
    ``floor``: back over letters and digits, and over an apostrophe between two of them."""
    while position > floor:
        before = text[position - 1]
        if before.isalnum():
            position -= 1
        elif before in _APOSTROPHES and position - 2 >= floor and text[position - 2].isalnum():
            position -= 2
        else:
            break
    return position


def _word_start(text: str, position: int) -> int:
    """``position`` moved back to the start of the word it falls in."""
    while 0 < position < len(text) and text[position - 1].isalnum():
        position -= 1
    return position


def _window_holds(spans: list[Span], slots: frozenset[int], count: int = 0) -> bool:
    """Whether the last spans, within one snippet's length, hold all these slots (or ``count`` of them)."""
    last = spans[-1]
    held: set[int] = set()
    for span in reversed(spans):
        if last.end - span.start > SNIPPET_CHARS - LEAD_CHARS:
            break
        held |= span.slots & slots
    return held == slots or (count and len(held) >= count)


def marked(text: str, spans: list[Span], start: int = 0, end: int | None = None) -> SafeString:
    """``text[start:end]`` escaped, with each span inside it in ``<mark>``."""
    end = len(text) if end is None else end
    pieces: list[str] = []
    position = start
    for span in spans:
        if span.start < start or span.end > end:
            continue
        pieces.append(_tidy(escape(text[position:span.start])))
        pieces.append(f"<mark>{escape(text[span.start:span.end])}</mark>")
        position = span.end
    pieces.append(_tidy(escape(text[position:end])))
    return mark_safe("".join(pieces))


def _tidy(piece: str) -> str:
    """One line, and no space left before punctuation where a citation marker was."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", piece.replace("\n", " "))


@dataclass
class Snippet:
    html: SafeString
    slots: frozenset[int]
    surfaces: list[str]


def _best_window(spans: list[Span]) -> tuple[int, int]:
    """Indexes [first, last] of the spans in the window holding the most different slots."""
    best = (0, 0)
    best_key = (-1, -1)
    for first, span in enumerate(spans):
        slots: set[int] = set()
        last = first
        for index in range(first, len(spans)):
            if spans[index].end - span.start > SNIPPET_CHARS - LEAD_CHARS:
                break
            slots |= spans[index].slots
            last = index
        key = (len(slots), last - first)
        if key > best_key:
            best, best_key = (first, last), key
    return best


def window(text: str, spans: list[Span], length: int = SNIPPET_CHARS) -> Snippet:
    """A window of about ``length`` characters around the best run of spans."""
    if not spans:
        cut = _cut_end(text, length)
        return Snippet(mark_safe(marked(text, [], 0, cut) + ("…" if cut < len(text) else "")), frozenset(), [])
    first, last = _best_window(spans)
    chosen = spans[first:last + 1]
    start = _cut_start(text, chosen[0].start)
    end = _cut_end(text, start + length)
    end = max(end, chosen[-1].end)
    shown = [span for span in chosen if span.end <= end]
    shown += [span for span in spans[last + 1:] if span.end <= end]
    html = ("…" if start > 0 else "") + marked(text, shown, start, end) + ("…" if end < len(text) else "")
    slots = frozenset().union(*(span.slots for span in shown))
    return Snippet(mark_safe(html), slots, [text[span.start:span.end] for span in shown])


def _cut_start(text: str, position: int) -> int:
    """Where to start showing text so that a word at ``position`` has some lead-in."""
    if position <= LEAD_CHARS:
        return 0
    floor = position - LEAD_CHARS
    sentence = max(text.rfind(". ", floor, position), text.rfind("\n", floor, position))
    if sentence >= 0:
        return sentence + (2 if text[sentence] == "." else 1)
    space = text.find(" ", floor, position)
    return space + 1 if space >= 0 else floor


def _cut_end(text: str, position: int) -> int:
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", position - 40, position)
    return space if space > 0 else position


def summary_snippet(highlighter: Highlighter, summary: str) -> Snippet:
    spans = highlighter.spans(summary)
    if len(summary) <= SUMMARY_CHARS:
        slots = frozenset().union(*(span.slots for span in spans)) if spans else frozenset()
        return Snippet(marked(summary, spans), slots, [summary[span.start:span.end] for span in spans])
    return window(summary, spans, SUMMARY_CHARS)


def body_snippet(highlighter: Highlighter, body: str, wanted: frozenset[int] = frozenset()) -> Snippet | None:
    """The best window of the body; reading stops early at a window holding the ``wanted`` slots
    (three of them are enough)."""
    start = highlighter.first_position(body[:BODY_SCAN_CHARS], wanted)
    if start is None:
        return None
    spans = highlighter.spans(body, BODY_SCAN_CHARS, wanted, ENOUGH_SLOTS, start)
    return window(body, spans) if spans else None
