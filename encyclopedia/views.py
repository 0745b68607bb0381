"""Pages.  Each is built from stored, pre-rendered HTML with a small, fixed number of queries."""

from __future__ import annotations

from collections import Counter, OrderedDict

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from .handouts import handout_context
from .previews.links import link_previews
from .models import (
    Category, Entry, GlossaryTerm, Link, Redirect, RemovedEntry, TimelineStep, page_fields_of,
)
from .readers import popular

OVERVIEW_SLUG = "immune-cell-infusion"
RELATED_LIMIT = 6
HOME_TOPIC_LIMIT = 12  # entries listed per topic on the home page; the topic's page lists them all


def _entries(request):
    return Entry.objects.visible(include_drafts=settings.DEBUG)


def home(request):
    entries = list(_entries(request).listing().order_by("title"))
    by_category: dict[int, list[Entry]] = {}
    for entry in entries:
        by_category.setdefault(entry.category_id, []).append(entry)
    categories = [(category, by_category.get(category.pk, [])) for category in Category.objects.all()]
    recent = sorted(entries, key=lambda entry: (entry.reviewed, entry.title), reverse=True)[:6]
    overview = next((entry for entry in entries if entry.slug == OVERVIEW_SLUG), None)
    return render(request, "encyclopedia/home.html", {
        "categories": [(category, items[:HOME_TOPIC_LIMIT], len(items)) for category, items in categories if items],
        "recent": recent,
        "most_read": popular.most_read(entries),
        "latest": popular.latest(_entries(request)),
        "overview": overview,
        "entry_count": len(entries),
    })


def _related(entry: Entry, visible, topic: list[Entry]) -> list[Entry]:
    """Same category first, then by the links the entries share.  ``topic``: the entry's category."""
    outgoing = set(Link.objects.filter(source=entry).values_list("target_id", flat=True))
    incoming = set(Link.objects.filter(target=entry).values_list("source_id", flat=True))
    neighbours = outgoing | incoming
    shared = Counter(
        Link.objects.filter(target_id__in=outgoing).exclude(source=entry).values_list("source_id", flat=True)
    )
    for pk in neighbours:
        shared[pk] += 2
    candidates = [other for other in topic if other.pk != entry.pk]
    elsewhere = set(shared) - {other.pk for other in topic}
    if elsewhere:
        candidates += list(visible.listing().filter(pk__in=elsewhere))
    candidates.sort(key=lambda other: (other.category_id != entry.category_id, -shared.get(other.pk, 0), other.title))
    return candidates[:RELATED_LIMIT]


def entry_detail(request, slug):
    visible = _entries(request)
    entry = visible.select_related("category").filter(slug=slug).first()
    if entry is None:
        redirect = (Redirect.objects.select_related("entry").defer(*page_fields_of("entry"))
                    .filter(old_slug=slug).first())
        if redirect and (settings.DEBUG or not redirect.entry.draft):
            return HttpResponsePermanentRedirect(redirect.entry.get_absolute_url())
        removed = RemovedEntry.objects.filter(slug=slug).first()
        if removed:
            return render(request, "encyclopedia/gone.html", {"removed": removed}, status=410)
        raise Http404(f"No entry {slug}")
    # The entry's whole topic, for the pager and related entries (lists read an index, never the HTML).
    topic = list(visible.listing().filter(category_id=entry.category_id).order_by("title"))
    siblings = [(other.slug, other.title) for other in topic]
    position = next(index for index, (other, _title) in enumerate(siblings) if other == entry.slug)
    previous_entry = siblings[position - 1] if position > 0 else None
    next_entry = siblings[position + 1] if position + 1 < len(siblings) else None
    backlinks = list(visible.listing().filter(links_out__target=entry).distinct().order_by("title"))
    timeline = list(TimelineStep.objects.all()) if entry.timeline else []
    hidden = set(Entry.objects.filter(draft=True).values_list("slug", flat=True)) if timeline and not settings.DEBUG \
        else set()
    for step in timeline:
        if step.entry_slug in hidden:  # a step whose entry is a draft has no link on public pages
            step.entry_slug = ""
    return render(request, "encyclopedia/entry_detail.html", {
        "entry": entry,
        "category": entry.category,
        "previous_entry": previous_entry,
        "next_entry": next_entry,
        "backlinks": backlinks,
        "related": _related(entry, visible, topic),
        "timeline": timeline,
        "permalink": settings.BASE_URL + entry.get_absolute_url(),
        "show_toc": len(entry.toc) >= 3,
        "link_previews": link_previews(entry),
    })


def entry_handout(request, slug):
    entry = _entries(request).select_related("category").filter(slug=slug).first()
    if entry is None:
        redirect = Redirect.objects.select_related("entry").only("entry__slug", "entry__draft").filter(old_slug=slug).first()
        if redirect and (settings.DEBUG or not redirect.entry.draft):
            return HttpResponsePermanentRedirect(reverse("entry-handout", args=[redirect.entry.slug]))
        return entry_detail(request, slug)  # the same 410 or 404 as the page itself
    return render(request, "encyclopedia/handout.html", {"entry": entry, **handout_context(entry)})


def glossary(request):
    terms = list(GlossaryTerm.objects.select_related("entry").defer(*page_fields_of("entry")).order_by("term"))
    letters: OrderedDict[str, list] = OrderedDict()
    for term in sorted(terms, key=lambda t: t.term.casefold()):
        letter = term.term[:1].upper()
        letters.setdefault(letter if letter.isalpha() else "#", []).append(term)
    return render(request, "encyclopedia/glossary.html", {"letters": letters, "terms": terms})


def about(request):
    return render(request, "encyclopedia/about.html", {
        "FEEDBACK_DAYS": settings.FEEDBACK_DAYS, "QUERY_MIN_READERS": settings.QUERY_MIN_READERS,
    })


def not_found(request, exception=None):
    return render(request, "encyclopedia/404.html", status=404)


def server_error(request):
    from django.template import loader

    from django.http import HttpResponseServerError
    template = loader.get_template("encyclopedia/500.html")
    return HttpResponseServerError(template.render({"request_id": getattr(request, "request_id", "")}))


def bad_request(request, exception=None):
    return render(request, "encyclopedia/400.html", status=400)
