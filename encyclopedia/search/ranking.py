"""Order the entries that match a plan, with bounded work.

An entry's score is the sum, over the query's slots it matches, of the slot's weight
(how telling it is) times the weight of the best place it matches
(``backends.FIELD_WEIGHTS``: a title or alias 8, a heading 4, the summary 2, anywhere
else 1).  So an entry matching more of the words, and rarer ones, comes first, and for
the same words a title match beats a heading, which beats body text.  The whole query as a phrase adds half again,
and a title or alias the query holds whole adds its credit (:mod:`.held_names`).  Ties
go to bm25 (``ts_rank`` on PostgreSQL), then to the order entries were added.

Bounds, so that a large site answers as fast as a small one: a slot more than
``BODY_SCAN_LIMIT`` entries use anywhere (for a phrase ``backend.phrase_limit``, as
checking word positions may read the text) is scored only in titles, aliases, headings
and summaries, and a slot most entries use (``COMMON_SHARE``, once there are more than
``COMMON_MIN_ENTRIES``) only in titles and aliases, where it still tells something.
Entries matching only in those unscored places follow the scored ones, in a stable
order.  Ties are broken by relevance (for the telling slots) over all text when few
enough entries use them (``backend.relevance_limit``), else over titles and aliases.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from .backends import FIELD_WEIGHTS
from .query import Plan

PLACES = tuple(sorted(FIELD_WEIGHTS.items(), key=lambda item: item[1]))  # (field, weight), lightest first
PHRASE_BONUS = 0.5
BODY_SCAN_LIMIT = 3000
COMMON_SHARE = 0.6
COMMON_MIN_ENTRIES = 200


@dataclass
class Ranking:
    ids: list[int]  # the requested window, best first
    total: int
    matched: dict[int, dict[int, float]] = field(default_factory=dict)  # entry → slot index → field weight


def is_common(plan: Plan, df: int) -> bool:
    """Whether most entries use a slot: then it tells something only in a title or alias."""
    return df > COMMON_SHARE * plan.documents and df > COMMON_MIN_ENTRIES


def _fields(plan: Plan, df: int, scan_limit: int = BODY_SCAN_LIMIT):
    """The places worth looking for a slot (or phrase) used by ``df`` entries."""
    if is_common(plan, df):
        return PLACES[-1:]
    return PLACES[1:] if df > scan_limit else PLACES


def _best_fields(plan: Plan, backend) -> tuple[list[dict[int, float]], dict[int, float]]:
    """For each slot, and for the whole query as a phrase: entry → the weight of the best place
    it matches (one backend call for all of them)."""
    asks = []
    for slot in plan.slots:
        # A slot no entry uses asks nothing.
        phrases = any(len(alternative.terms) > 1 for alternative in slot.alternatives)
        places = _fields(plan, slot.df, backend.phrase_limit if phrases else BODY_SCAN_LIMIT) if slot.df else ()
        asks.append((slot.alternatives, places))
    if plan.phrase is not None and all(slot.df for slot in plan.slots):
        asks.append(([plan.phrase], _fields(plan, min(slot.df for slot in plan.slots), backend.phrase_limit)))
    found = backend.best_places_each(asks)
    return found[:len(plan.slots)], (found[len(plan.slots)] if len(found) > len(plan.slots) else {})


def _add_phrase_bonus(plan: Plan, bonus: dict[int, float], scores: dict[int, float]) -> None:
    total_idf = sum(slot.idf for slot in plan.slots)
    for entry_id, weight in bonus.items():
        scores[entry_id] = scores.get(entry_id, 0.0) + PHRASE_BONUS * total_idf * weight


def rank(plan: Plan, backend, *, first: list[int], offset: int, limit: int,
         credit: dict[int, float] | None = None) -> Ranking:
    """The window [offset, offset + limit) of the ordered matches; ``first`` (exact names) lead;
    ``credit`` (entry → score) is added to the entries' scores."""
    if plan.empty or plan.documents == 0:
        return Ranking(first[offset:offset + limit], len(first))
    per_slot, phrase_bonus = _best_fields(plan, backend)
    scores: dict[int, float] = {}
    for slot, best in zip(plan.slots, per_slot):
        idf = slot.idf
        for entry_id, weight in best.items():
            scores[entry_id] = scores.get(entry_id, 0.0) + idf * weight
    _add_phrase_bonus(plan, phrase_bonus, scores)
    for entry_id, extra in (credit or {}).items():
        scores[entry_id] = scores.get(entry_id, 0.0) + extra
    any_of = plan.any_of()
    telling = [slot for slot in plan.slots if not is_common(plan, slot.df)]
    if telling and sum(slot.df for slot in telling) <= backend.relevance_limit:
        relevance = backend.relevance([alternative for slot in telling for alternative in slot.alternatives], "all")
        total = len(relevance) if len(telling) == len(plan.slots) else backend.count(any_of)
    else:  # too many to rank by text: break ties among title and alias matches only
        relevance = backend.relevance(any_of, "names")
        total = backend.count(any_of)
    leading = list(dict.fromkeys(first))
    lead = set(leading)
    ranked = [(-score, -relevance.get(entry_id, 0.0), entry_id) for entry_id, score in scores.items()
              if entry_id not in lead]
    total = max(total, len(leading) + len(ranked))
    ordered = leading + [entry_id for *_, entry_id in heapq.nsmallest(offset + limit, ranked)]
    if offset >= total:
        return Ranking([], total)
    if offset + limit > len(leading) + len(ranked) and total > len(ordered):  # reaching the unscored matches
        known = lead | scores.keys()
        wanted = offset + limit - len(ordered)
        rest = [entry_id for entry_id in backend.matching(any_of, "body", limit=wanted + len(known))
                if entry_id not in known]
        ordered += rest[:wanted]
    window = ordered[offset:offset + limit]
    matched = {entry_id: {index: best[entry_id] for index, best in enumerate(per_slot) if entry_id in best}
               for entry_id in window}
    return Ranking(window, total, matched)
