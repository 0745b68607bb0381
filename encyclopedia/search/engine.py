"""``search(query, page)``: the results page's data, the same on every database.

A few small queries per search: the vocabulary and synonyms for the words typed
(:mod:`.query`), the names for "Go to" and the names a query holds, in one
(:mod:`.held_names`), the matches per field and a count (:mod:`.ranking`), and one
query for the entries shown (plus their body text only when their summary cannot show
why they matched).  Nothing about the person searching is kept or logged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.safestring import SafeString

from ..addresses import entry_url_maker, slug_url_maker
from ..models import Entry
from .backends import NAME_WEIGHT, get_backend
from .held_names import find_names, name_credit
from .query import Plan, plan as make_plan
from .ranking import is_common, rank
from .snippets import Highlighter, Snippet, body_snippet, marked, summary_snippet
from .text import terms
from .typos import corrections

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
MAX_PAGE = 1000
FEW_RESULTS = 3
FRAGMENT_TERMS = 10
FRAGMENT_KEY = "search"  # results link to /entries/<slug>/#search=<words>, read by search.js


@dataclass
class Hit:
    slug: str
    title: SafeString
    url: str
    category: str
    category_url: str
    snippet: SafeString
    also_called: SafeString | str = ""
    words: list[str] = field(default_factory=list)  # to mark on the entry page

    @property
    def link(self) -> str:
        if not self.words:
            return self.url
        return f"{self.url}#{FRAGMENT_KEY}=" + quote("|".join(self.words), safe="")


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    go_to: list[dict] = field(default_factory=list)
    did_you_mean: str = ""
    showing_instead: str = ""  # nothing matched the query: these are the results for this correction
    searchable: bool = True  # False when the query has no words at all ("***")

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    def page_numbers(self, around: int = 2) -> list[int | None]:
        """Page numbers to offer: the first, the last and a few around the current; None for a gap."""
        wanted = {1, self.pages} | set(range(max(1, self.page - around), min(self.pages, self.page + around) + 1))
        numbers: list[int | None] = []
        for number in sorted(wanted):
            if numbers and number - (numbers[-1] or 0) > 1:
                numbers.append(None)
            numbers.append(number)
        return numbers


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value).strip()[:12])
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def _slot_terms(plan: Plan) -> list[tuple[int, tuple[str, ...], bool]]:
    return [(index, alternative.terms, alternative.phrase)
            for index, slot in enumerate(plan.slots) for alternative in slot.alternatives]


def _few_results_correction(plan: Plan, backend) -> str:
    """For a query with few results: a better-known word close to a rarely used one typed."""
    rare: dict[int, str] = {}
    for slot in plan.slots:
        if len(slot.units) == 1 and len(plan.units[slot.units[0]].terms) == 1:
            rare[slot.units[0]] = plan.units[slot.units[0]].terms[0]
    for index, term in rare.items():
        used = plan.counts.get(term, (0, 0))[0]
        if index in plan.tried or used > 1 or plan.lookups <= 0:
            continue
        plan.lookups -= 1
        better = [c for c in corrections(plan.units[index].raw, backend) if c.entries >= 5 * (used + 1)]
        if better:
            plan.corrections[index] = better[0]
    return plan.did_you_mean()


@dataclass
class _Shown:
    pk: int
    slug: str
    title: str
    summary: str
    aliases: list
    category_key: str
    category_title: str


def _also_called(highlighter: Highlighter, entry: _Shown, covered: int) -> SafeString | str:
    """The alias that holds more of the searched words than the title does, marked."""
    best, best_count = "", covered
    for alias in entry.aliases or []:
        if len(highlighter.reachable(terms(str(alias)))) <= best_count:
            continue  # cannot hold more of the searched words than the best so far
        spans = highlighter.spans(str(alias))
        count = len(frozenset().union(*(span.slots for span in spans))) if spans else 0
        if count > best_count:
            best, best_count = marked(str(alias), spans), count
    return best


def _hits(plan: Plan, ids: list[int], matched: dict[int, dict[int, float]]) -> list[Hit]:
    columns = ("pk", "slug", "title", "summary", "aliases", "category__key", "category__title")
    entries = {row[0]: _Shown(*row) for row in Entry.objects.published().filter(pk__in=ids).values_list(*columns)}
    highlighter = Highlighter(_slot_terms(plan))
    summaries: dict[int, Snippet] = {}
    wanted: dict[int, frozenset[int]] = {}
    need_body = []
    # Words most entries use do not choose the snippet (as they do not rank): they are marked
    # where they appear, but the body is read only for the telling ones.
    telling = frozenset(index for index, slot in enumerate(plan.slots) if not is_common(plan, slot.df))
    for entry_id, entry in entries.items():
        snippet = summaries[entry_id] = summary_snippet(highlighter, entry.summary)
        wanted[entry_id] = (frozenset(matched.get(entry_id, {})) or frozenset(range(len(plan.slots)))) & telling
        if not wanted[entry_id] <= snippet.slots:
            need_body.append(entry_id)
    bodies = dict(Entry.objects.filter(pk__in=need_body).values_list("pk", "plain_text")) if need_body else {}
    typed = [unit.raw for unit in plan.units if not unit.stop] or [unit.raw for unit in plan.units]
    url_of_entry, url_of_category = entry_url_maker(), slug_url_maker("category-detail")
    hits = []
    for entry_id in ids:
        entry = entries.get(entry_id)
        if entry is None:  # unpublished or removed since the index was read: never shown
            continue
        snippet = summaries[entry_id]
        if entry_id in bodies:
            from_body = body_snippet(highlighter, bodies[entry_id], wanted[entry_id])
            if from_body and len(from_body.slots) > len(snippet.slots):
                snippet = from_body
        title_spans = highlighter.spans(entry.title)
        in_names = {slot for slot, weight in matched.get(entry_id, {}).items() if weight >= NAME_WEIGHT}
        title_slots = frozenset().union(*(span.slots for span in title_spans)) if title_spans else frozenset()
        also = _also_called(highlighter, entry, len(title_slots)) if in_names - title_slots else ""
        surfaces = [entry.title[span.start:span.end] for span in title_spans] + snippet.surfaces
        words = list(dict.fromkeys(word.casefold() for word in [*typed, *surfaces] if word))[:FRAGMENT_TERMS]
        hits.append(Hit(
            slug=entry.slug,
            title=marked(entry.title, title_spans),
            url=url_of_entry(entry.slug),
            category=entry.category_title,
            category_url=url_of_category(entry.category_key),
            snippet=snippet.html,
            also_called=also,
            words=[word[:60] for word in words],
        ))
    return hits


def search(query: str, page=1, page_size=PAGE_SIZE, *, _correcting: bool = False) -> SearchResults:
    """Ranked, highlighted results for what someone typed; never raises on odd input."""
    page_size = _int(page_size, PAGE_SIZE, 1, MAX_PAGE_SIZE)
    page = _int(page, 1, 1, MAX_PAGE)
    backend = get_backend()
    plan = make_plan(query, backend)
    results = SearchResults(plan.text, page=page, page_size=page_size)
    if plan.empty:
        results.searchable = False
        return results
    names = find_names(plan, plan.key, plan.corrected_key, plan.telling_key)
    results.go_to = [{"title": title, "url": url, "name": name} for _, title, url, name in names.exact[:3]]
    first = [entry_id for entry_id, *_ in names.exact]
    credit = name_credit(plan, names.held, backend)
    ranking = rank(plan, backend, first=first, offset=(page - 1) * page_size, limit=page_size, credit=credit)
    if not ranking.ids and ranking.total and page > 1:
        results.page = page = max(1, math.ceil(ranking.total / page_size))
        ranking = rank(plan, backend, first=first, offset=(page - 1) * page_size, limit=page_size, credit=credit)
    results.total = ranking.total
    results.hits = _hits(plan, ranking.ids, ranking.matched)
    if plan.corrections or results.total < FEW_RESULTS:
        results.did_you_mean = _few_results_correction(plan, backend) if results.total < FEW_RESULTS \
            else plan.did_you_mean()
    if results.did_you_mean.casefold() == plan.text.casefold():
        results.did_you_mean = ""
    if results.total == 0 and results.did_you_mean and not _correcting:
        instead = search(results.did_you_mean, 1, page_size, _correcting=True)
        if instead.total:
            instead.query = plan.text
            instead.showing_instead = results.did_you_mean
            instead.did_you_mean = results.did_you_mean
            return instead
    return results
