"""Listing pages that stay small at any size: the A–Z index one page per letter, and long
lists split into numbered pages.

At 10,000 entries a single A–Z page would be several megabytes.  So ``/entries/`` lists
every entry only while the site is small (``FULL_INDEX_LIMIT``); it always links to one
page per letter at ``/a-z/<letter>/``, and a letter, a topic or the sources list longer
than a page continues on ``?page=2`` and so on, with numbered links between them.  Every
entry stays reachable by links (home → A–Z → letter → page) and is in the sitemap; the
letter pages are in the sitemap too (``LetterSitemap``).
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import reference_filter
from .models import Category, Citation, Entry, Reference, page_fields_of
from .sitemaps import PublicSitemap

ENTRIES_PER_PAGE = 200     # with their summaries: about 60 KB of HTML
REFERENCES_PER_PAGE = 50  # with at most CITING_SHOWN entries each: under 200 KB however often they are cited
CITING_SHOWN = 12          # entries named under one source; the rest are counted (all are in A–Z)
FULL_INDEX_LIMIT = 300     # up to this many entries, /entries/ lists them all
OTHER = "other"            # the letter page of titles that start with a digit or a sign


def letter_of(title: str) -> str:
    """The A–Z letter of a title: its first letter without accents, upper case, or "#"."""
    first = unicodedata.normalize("NFKD", title[:1])[:1].upper()
    return first if "A" <= first <= "Z" else "#"


def letter_slug(letter: str) -> str:
    return OTHER if letter == "#" else letter.lower()


def letter_url(letter: str) -> str:
    return reverse("letter-index", args=[letter_slug(letter)])


def _visible():
    return Entry.objects.visible(include_drafts=settings.DEBUG)


def paged(request, items, per_page: int):
    """The page of ``items`` that ``?page=`` names (404 for one that does not exist)."""
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger) as exc:
        raise Http404(f"No page {request.GET.get('page')!r}") from exc


def _letters(entries) -> OrderedDict[str, list]:
    letters: OrderedDict[str, list] = OrderedDict()
    for entry in entries:
        letters.setdefault(letter_of(entry.title), []).append(entry)
    return OrderedDict(sorted(letters.items(), key=lambda item: (item[0] == "#", item[0])))


def entry_index(request):
    entries = list(_visible().listing().select_related("category").order_by("title"))
    letters = _letters(entries)
    return render(request, "encyclopedia/entry_index.html", {
        "letters": letters if len(entries) <= FULL_INDEX_LIMIT else OrderedDict(),
        "letter_links": [(letter, letter_url(letter), len(items)) for letter, items in letters.items()],
        "entry_count": len(entries),
    })


def letter_index(request, letter):
    wanted = "#" if letter == OTHER else letter.upper()
    if letter != letter_slug(wanted) or not (wanted == "#" or "A" <= wanted <= "Z"):
        raise Http404(f"No letter {letter}")
    letters = _letters(_visible().listing().select_related("category").order_by("title"))
    if wanted not in letters:
        raise Http404(f"No entries under {wanted}")
    chosen = letters[wanted]
    page = paged(request, chosen, ENTRIES_PER_PAGE)
    return render(request, "encyclopedia/letter_index.html", {
        "letter": wanted, "page": page, "entries": page.object_list,
        "letter_links": [(other, letter_url(other), len(items)) for other, items in letters.items()],
    })


def category_detail(request, key):
    category = get_object_or_404(Category, key=key)
    entries = list(_visible().listing().filter(category=category).order_by("title"))  # no COUNT query
    page = paged(request, entries, ENTRIES_PER_PAGE)
    return render(request, "encyclopedia/category_detail.html", {
        "category": category, "entries": page.object_list, "page": page})


def reference_index(request):
    visible = _visible()
    chosen = reference_filter.type_filter(request)
    page = paged(request, list(reference_filter.filtered(Reference.objects.all(), chosen)), REFERENCES_PER_PAGE)
    citations = (Citation.objects.filter(entry__in=visible, reference__in=[r.pk for r in page.object_list])
                 .select_related("entry").defer(*page_fields_of("entry")).order_by("entry__title"))
    by_reference: dict[int, list] = {}
    for citation in citations:
        by_reference.setdefault(citation.reference_id, []).append(citation)
    references = []
    for reference in page.object_list:
        citing = by_reference.get(reference.pk, [])
        reference.shown_citations = citing[:CITING_SHOWN]
        reference.more_citations = max(0, len(citing) - CITING_SHOWN)
        references.append(reference)
    return render(request, "encyclopedia/reference_index.html", {"references": references, "page": page,
                                                                 "filter": chosen})


class LetterSitemap(PublicSitemap):
    """The A–Z letter pages (their further pages are linked from each one)."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return list(_letters(Entry.objects.published().only("title").order_by("title")))

    def location(self, letter):
        return letter_url(letter)
