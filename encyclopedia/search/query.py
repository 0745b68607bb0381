"""From what someone typed to a plan: *slots*, each a set of alternatives.

Every word typed (or hyphenated compound: "CAR-T") is a slot; a slot matches an entry
when any of its alternatives does.  Alternatives come from:

- the word itself ("car-t" → the phrase "car t", and "cart");
- synonyms: a run of words that is a glossary term, its abbreviation or another form,
  or an acronym alias and the name it stands for, becomes one slot with every form
  ("CRS" ↔ "cytokine release syndrome");
- a misspelling one edit away from a word of a title or alias ("leukaferesis");
- completions of a clipped word few entries use ("chemo" → "chemotherapy").

Common words ("the", "what", "before"…) are dropped unless nothing else is left.  Each
slot is weighted by how telling it is (inverse document frequency), from the
vocabulary's counts.  Everything is bounded: 200 characters, 8 slots, 8 alternatives.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import CharField, Value

from ..bulk import chunks
from .models import SearchIndexState, SearchSynonym, SearchTerm
from .text import WORD_PATTERN, clean_query, is_stop_word, joined_compounds, word_terms
from .typos import Correction, corrections

MAX_QUERY_CHARS = 200
MAX_SLOTS = 8
MAX_ALTERNATIVES = 8
SYNONYM_SPAN = 6  # words
COMPLETE_BELOW = 3  # a word fewer entries use is also read as the start of longer words
COMPLETIONS = 3
TITLE_CORRECTIONS = 2
MAX_WORD_LOOKUPS = 4

_UNIT = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*(?:[-/‐‑–][^\W_]+(?:['’ʼ][^\W_]+)*)*")


@dataclass(frozen=True)
class Alternative:
    terms: tuple[str, ...]
    phrase: bool = True  # False: every term, anywhere


@dataclass
class Unit:
    """One word or hyphenated compound as typed."""

    raw: str
    terms: tuple[str, ...]
    stop: bool
    joined: str = ""


@dataclass
class Slot:
    label: str
    alternatives: list[Alternative]
    units: list[int]
    df: int = 0
    idf: float = 0.0

    def add(self, alternative: Alternative) -> None:
        if alternative not in self.alternatives and len(self.alternatives) < MAX_ALTERNATIVES:
            self.alternatives.append(alternative)


@dataclass
class Plan:
    text: str
    units: list[Unit] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    documents: int = 0
    key: str = ""
    corrected_key: str = ""
    phrase: Alternative | None = None
    corrections: dict[int, Correction] = field(default_factory=dict)  # unit index → best correction
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # term → (entries, names) as looked up
    lookups: int = MAX_WORD_LOOKUPS  # vocabulary look-ups (corrections, completions) still allowed
    tried: set[int] = field(default_factory=set)  # units already looked up for corrections

    @property
    def empty(self) -> bool:
        return not self.slots

    @property
    def telling_key(self) -> str:
        """The terms without the common words ("what is CRS" → "crs")."""
        return " ".join(term for unit in self.units if not unit.stop for term in unit.terms)[:200]

    def any_of(self) -> list[Alternative]:
        return [alternative for slot in self.slots for alternative in slot.alternatives]

    def did_you_mean(self) -> str:
        if not self.corrections:
            return ""
        return " ".join(self.corrections[index].display if index in self.corrections else unit.raw
                        for index, unit in enumerate(self.units))


def parse(query: str) -> Plan:
    text = clean_query(query or "", MAX_QUERY_CHARS)
    plan = Plan(text)
    for match in _UNIT.finditer(text):
        parts = WORD_PATTERN.findall(match.group())
        found = tuple(term for part in parts for term in word_terms(part))
        if not found:
            continue
        joined = joined_compounds(match.group()) if len(parts) > 1 else []
        plan.units.append(Unit(match.group(), found, len(parts) == 1 and is_stop_word(parts[0]),
                               joined[0] if joined else ""))
    plan.key = " ".join(term for unit in plan.units for term in unit.terms)[:200]
    return plan


def _unit_alternatives(unit: Unit) -> list[Alternative]:
    alternatives = [Alternative(unit.terms)]
    if unit.joined and unit.joined not in unit.terms:
        alternatives.append(Alternative((unit.joined,)))
    return alternatives


def _synonym_slots(plan: Plan, wanted: list[int]) -> dict[int, Slot]:
    """Slots for runs of words that name something with synonyms, keyed by their first unit."""
    positions = []  # (term, unit index)
    for index, unit in enumerate(plan.units):
        positions += [(term, index) for term in unit.terms]
    spans: dict[str, tuple[int, int]] = {}
    for start in range(len(positions)):
        if start and positions[start][1] == positions[start - 1][1]:
            continue  # spans start at a unit's first term
        for end in range(start + 1, min(len(positions), start + SYNONYM_SPAN) + 1):
            if end < len(positions) and positions[end][1] == positions[end - 1][1]:
                continue  # and end at a unit's last term
            spans.setdefault(" ".join(term for term, _ in positions[start:end]),
                             (positions[start][1], positions[end - 1][1]))
    if not spans:
        return {}
    matching_groups = SearchSynonym.objects.filter(key__any_of=list(spans)).values("group")
    groups: dict[str, set[str]] = {}  # every name of every group one of the spans is in (one query)
    for key, group in SearchSynonym.objects.filter(group__in=matching_groups).values_list("key", "group"):
        groups.setdefault(group, set()).add(key)
    by_key: dict[str, set[str]] = {}
    for group, keys in groups.items():
        for key in keys & set(spans):
            by_key.setdefault(key, set()).update(keys)
    if not by_key:
        return {}
    slots: dict[int, Slot] = {}
    taken: set[int] = set()
    for key in sorted(by_key, key=lambda k: (-(spans[k][1] - spans[k][0]), -len(k), spans[k][0])):
        first, last = spans[key]
        covered = [index for index in range(first, last + 1) if index in wanted]
        if not covered or taken & set(range(first, last + 1)):
            continue
        taken |= set(range(first, last + 1))
        own = tuple(key.split())
        slot = Slot(" ".join(plan.units[index].raw for index in range(first, last + 1)), [Alternative(own)], covered)
        for other in sorted(by_key[key] - {key}, key=lambda k: (len(k), k)):
            slot.add(Alternative(tuple(other.split())))
        slots[first] = slot
    return slots


def _vocabulary(terms: set[str], with_documents: bool = False) -> tuple[dict[str, tuple[int, int]], int]:
    """term → (entries using it anywhere, entries using it in a name) for the known ones; and, when
    asked, how many entries the index holds (read in the same query as the first terms), else 0."""
    found: dict[str | None, tuple[int, int]] = {}
    for part in chunks(sorted(terms), 900) if terms else [[]]:
        rows = SearchTerm.objects.filter(term__in=part).values_list("term", "entries", "names")
        if with_documents:
            rows = rows.union(SearchIndexState.objects.filter(pk=1).values_list(
                Value(None, output_field=CharField()), "documents", Value(0)), all=True)
            with_documents = False
        found.update((term, (entries, names)) for term, entries, names in rows)
    documents = found.pop(None, (0, 0))[0]
    return found, documents


def _completions(term: str, backend) -> list[str]:
    rows = backend.starting_with(SearchTerm.objects.all(), "term", term)
    return list(rows.exclude(term=term).filter(entries__gt=0).order_by("-entries", "term")
                .values_list("term", flat=True)[:COMPLETIONS])


def _weigh(slot: Slot, counts: dict[str, tuple[int, int]], documents: int, backend=None) -> None:
    """How many entries the slot matches, and so how telling it is: estimated from the vocabulary,
    or, given the backend, counted in the index when the slot has a phrase (a synonym, a compound)."""
    estimate = sum(min(counts.get(term, (0, 0))[0] for term in alternative.terms) for alternative in slot.alternatives)
    phrases = any(len(alternative.terms) > 1 for alternative in slot.alternatives)
    # Counting a phrase of words nearly every entry uses costs more than it tells: estimate those.
    exact = backend is not None and phrases and estimate <= backend.phrase_limit
    df = backend.count(slot.alternatives) if exact else estimate
    slot.df = min(documents, df)
    slot.idf = math.log(1 + (documents - slot.df + 0.5) / (slot.df + 0.5))


def plan(query: str, backend) -> Plan:
    """Parse and expand a query against the index's vocabulary and synonyms."""
    result = parse(query)
    if not result.units:
        return result
    wanted = [index for index, unit in enumerate(result.units) if not unit.stop]
    if not wanted:  # only common words: search for them after all
        wanted = list(range(len(result.units)))
    synonym_slots = _synonym_slots(result, wanted)
    covered = {index for slot in synonym_slots.values() for index in slot.units}
    slots: list[Slot] = []
    for index in wanted:
        if index in synonym_slots:
            slots.append(synonym_slots[index])
        elif index not in covered:
            unit = result.units[index]
            slots.append(Slot(unit.raw, _unit_alternatives(unit), [index]))
    typed = {term for slot in slots for alternative in slot.alternatives for term in alternative.terms}
    counts, result.documents = _vocabulary(typed, with_documents=True)
    corrected = {}
    for slot in slots:  # corrections and completions cost a few queries each: bounded per search
        if len(slot.units) != 1 or len(result.units[slot.units[0]].terms) != 1 or result.lookups <= 0:
            continue
        unit_index = slot.units[0]
        term = result.units[unit_index].terms[0]
        entries = counts.get(term, (0, 0))[0]
        if entries == 0:
            result.lookups -= 1
            result.tried.add(unit_index)
            found = corrections(result.units[unit_index].raw, backend)
            if found:
                result.corrections[unit_index] = found[0]
            for correction in [c for c in found if c.names > 0 and c.one_edit][:TITLE_CORRECTIONS]:
                slot.add(Alternative((correction.term,)))
                counts[correction.term] = (correction.entries, correction.names)
                corrected.setdefault(term, correction.term)
        if entries < COMPLETE_BELOW and len(term) >= 4 and term.isalpha():
            result.lookups -= 1
            for completion in _completions(term, backend):
                slot.add(Alternative((completion,)))
    missing = {term for slot in slots for alternative in slot.alternatives for term in alternative.terms} - set(counts)
    if missing:
        counts.update(_vocabulary(missing)[0])
    result.counts = counts
    documents = max(result.documents, 1)
    for slot in slots:
        _weigh(slot, counts, documents)
    if len(slots) > MAX_SLOTS:  # keep the most telling words
        keep = sorted(range(len(slots)), key=lambda i: (-slots[i].idf, i))[:MAX_SLOTS]
        slots = [slots[i] for i in sorted(keep)]
    for slot in slots:
        _weigh(slot, counts, documents, backend)
    result.slots = slots
    if corrected:
        result.corrected_key = " ".join(corrected.get(term, term) for term in result.key.split())
    all_terms = tuple(result.key.split())
    if len(slots) >= 2 and 2 <= len(all_terms) <= SYNONYM_SPAN + 2:
        result.phrase = Alternative(all_terms)
    return result
