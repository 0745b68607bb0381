"""Titles and aliases a query holds whole, among other words, and the credit they earn.

Readers type an entry's name inside a sentence: "how long does the CAR-T infusion take"
holds the alias "CAR-T infusion", "does car t use my own cells" holds "using my own
cells" (the same terms), "can i travel abroad after car t" holds "can I travel after
CAR T" but for one word.  Names are compared term by term with the common words kept
("own", "can", "I" count here, though they do not rank on their own), in order, whole,
with at most ``MAX_GAP`` other words inside.

An entry holding such a name is credited with the name weight times how telling the name
is: its inverse document frequency as a phrase among titles and aliases.  So "CAR T",
which nearly every entry is named with, adds almost nothing, and "can I have CAR T" a
lot.  Bounded: names of up to ``MAX_NAME_WORDS`` terms, ``MAX_KEYS`` candidate keys, and
the ``MAX_NAMES`` longest names found are weighed (one small query for all of them).

The same statement reads the names for "Go to" (:func:`find_names`): the entries named
exactly by the whole query, so a search asks for names once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from ..addresses import entry_url
from .backends import NAME_WEIGHT
from .models import SearchName
from .query import Alternative, Plan

MAX_NAME_WORDS = 8
MAX_GAP = 1  # other words allowed inside a held name
MAX_KEYS = 400
MAX_NAMES = 4
MAX_EXACT = 20
MAX_HELD = 200


def candidate_keys(plan: Plan) -> list[str]:
    """Runs of the query's terms (common words kept), whole first, then with one word left out."""
    words = [term for unit in plan.units for term in unit.terms]
    keys: dict[str, None] = {}
    for start in range(len(words)):
        for end in range(start + 1, min(len(words), start + MAX_NAME_WORDS) + 1):
            keys.setdefault(" ".join(words[start:end])[:200])
    for start in range(len(words)):
        for end in range(start + 3, min(len(words), start + MAX_NAME_WORDS + MAX_GAP) + 1):
            for left_out in range(start + 1, end - 1):
                keys.setdefault(" ".join(words[start:left_out] + words[left_out + 1:end])[:200])
    return list(keys)[:MAX_KEYS]


@dataclass
class Names:
    exact: list[tuple[int, str, str, str]] = field(default_factory=list)  # (entry id, title, url, name matched)
    held: dict[str, set[int]] = field(default_factory=dict)  # name key → the entries named so


def find_names(plan: Plan, *exact_keys: str) -> Names:
    """The entries named exactly by the first of ``exact_keys`` that names any, titles first; and
    the names the query holds (:func:`candidate_keys`).  One statement for both."""
    exact_keys = tuple(dict.fromkeys(key for key in exact_keys if key))
    held_keys = candidate_keys(plan) if plan.units else []
    keys = list(dict.fromkeys([*exact_keys, *held_keys]))
    if not keys:
        return Names()
    exact_first = [When(key__any_of=exact_keys, then=Value(0))] if exact_keys else []
    rows = list(SearchName.objects.filter(key__any_of=keys, start=True, entry__draft=False)
                .annotate(exact_order=Case(*exact_first, default=Value(1), output_field=IntegerField()),
                          order=Case(When(kind=SearchName.TITLE, then=Value(0)), default=Value(1),
                                     output_field=IntegerField()))
                .order_by("exact_order", "order", "words", "entry__title")
                .values_list("key", "entry_id", "entry__title", "entry__slug", "display")[:MAX_EXACT + MAX_HELD])
    exact_rows = [row for row in rows if row[0] in exact_keys][:MAX_EXACT]
    best = min((exact_keys.index(key) for key, *_ in exact_rows), default=None)
    names = Names()
    seen: dict[int, tuple[int, str, str, str]] = {}
    for key, entry_id, title, slug, display in exact_rows:
        if exact_keys.index(key) == best:
            seen.setdefault(entry_id, (entry_id, title, entry_url(slug), display))
    names.exact = list(seen.values())
    wanted = set(held_keys)
    for key, entry_id, *_ in [row for row in rows if row[0] in wanted][:MAX_HELD]:
        names.held.setdefault(key, set()).add(entry_id)
    return names


def name_credit(plan: Plan, names: dict[str, set[int]], backend) -> dict[int, float]:
    """Entry → the credit for the names of it the query holds (``names``: :attr:`Names.held`);
    the best one counts."""
    credit: dict[int, float] = {}
    documents = max(plan.documents, 1)
    keys = sorted(names, key=lambda key: (-len(key.split()), key))[:MAX_NAMES]
    frequencies = backend.counts_in([[Alternative(tuple(key.split()))] for key in keys], "names")
    for key, frequency in zip(keys, frequencies):
        df = min(documents, frequency)
        idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
        for entry_id in names[key]:
            credit[entry_id] = max(credit.get(entry_id, 0.0), NAME_WEIGHT * idf)
    return credit
