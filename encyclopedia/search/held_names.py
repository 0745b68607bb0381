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
the ``MAX_NAMES`` longest names found are weighed (one small query each).
"""

from __future__ import annotations

import math

from .backends import NAME_WEIGHT
from .models import SearchName
from .query import Alternative, Plan

MAX_NAME_WORDS = 8
MAX_GAP = 1  # other words allowed inside a held name
MAX_KEYS = 400
MAX_NAMES = 4


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


def held_names(plan: Plan) -> dict[str, set[int]]:
    """Name key → the published entries named so, for the names the query holds."""
    keys = candidate_keys(plan) if plan.units else []
    if not keys:
        return {}
    found: dict[str, set[int]] = {}
    rows = (SearchName.objects.filter(key__in=keys, start=True, entry__draft=False)
            .values_list("key", "entry_id")[:200])
    for key, entry_id in rows:
        found.setdefault(key, set()).add(entry_id)
    return found


def name_credit(plan: Plan, backend) -> dict[int, float]:
    """Entry → the credit for the names of it the query holds (the best one counts)."""
    names = held_names(plan)
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
