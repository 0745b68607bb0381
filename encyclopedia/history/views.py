"""History pages: an entry's versions, one version, a comparison of two, and recent changes."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from ..models import Entry
from .compare import citation_labels, compare
from .models import EntryHistory, EntryVersion, HistoryAlias
from .readable import readable

CHANGES_PER_PAGE = 50


def find_history(slug: str) -> tuple[EntryHistory | None, str | None]:
    """(the history served at this slug, or None; the slug to redirect to when it was renamed).

    The present entry's history first, then the latest removed one, then a rename's old slug."""
    history = EntryHistory.objects.filter(slug=slug).order_by(F("removed_at").desc(nulls_first=True)).first()
    if history is not None:
        if history.removed_at is None and not settings.DEBUG and \
                Entry.objects.filter(slug=slug, draft=True).exists():
            return None, None  # a published entry made a draft again: not public now
        return history, None
    alias = HistoryAlias.objects.select_related("history").filter(old_slug=slug).first()
    if alias is not None:
        return None, alias.history.slug
    return None, None


def _history_or_redirect(request, slug: str, url_name: str, *args):
    history, moved_to = find_history(slug)
    if moved_to:
        target = reverse(url_name, args=[moved_to, *args])
        query = request.META.get("QUERY_STRING", "")
        return None, HttpResponsePermanentRedirect(f"{target}?{query}" if query else target)
    if history is None:
        raise Http404(f"No history for {slug}")
    return history, None


def _versions(history: EntryHistory) -> list[EntryVersion]:
    return list(history.versions.order_by("-number").only(
        "number", "loaded_at", "title", "notes", "reconstructed", "withdrawn_at", "withdrawn_reason", "history_id"))


def entry_history(request, slug):
    history, response = _history_or_redirect(request, slug, "entry-history")
    if response:
        return response
    versions = _versions(history)
    for version in versions:
        version.note_items = _note_items(version.notes)
    readable_versions = [version for version in versions if not version.withdrawn]
    return render(request, "encyclopedia/history/history.html", {
        "history": history,
        "slug": history.slug,
        "versions": versions,
        "choices": readable_versions,
        "default_from": readable_versions[1].number if len(readable_versions) > 1 else None,
        "default_to": readable_versions[0].number if readable_versions else None,
        "removed": history.removed_at is not None,
    })


def _note_items(notes) -> list[dict]:
    import datetime as dt

    items = []
    for day, note in notes or ():
        try:
            items.append({"date": dt.date.fromisoformat(day), "note": note})
        except (TypeError, ValueError):
            continue
    return sorted(items, key=lambda item: item["date"], reverse=True)


def _latest_number(history: EntryHistory) -> int | None:
    return history.versions.order_by("-number").values_list("number", flat=True).first()


def _withdrawn(request, history, version, latest):
    previous = (history.versions.filter(number__lt=version.number, withdrawn_at=None)
                .order_by("-number").values_list("number", flat=True).first())
    return render(request, "encyclopedia/history/withdrawn.html", {
        "history": history, "slug": history.slug, "version": version, "latest": latest,
        "compare_from": previous, "removed": history.removed_at is not None,
    }, status=410)


def entry_version(request, slug, number):
    history, response = _history_or_redirect(request, slug, "entry-version", number)
    if response:
        return response
    version = (history.versions.select_related("body").filter(number=number).first())
    if version is None:
        raise Http404(f"No version {number} of {slug}")
    latest = _latest_number(history)
    if version.withdrawn:
        return _withdrawn(request, history, version, latest)
    body_html = version.body.text
    return render(request, "encyclopedia/history/version.html", {
        "history": history,
        "slug": history.slug,
        "version": version,
        "latest": latest,
        "is_latest": version.number == latest,
        "page_title": f"{version.title} (version {version.number})",
        "removed": history.removed_at is not None,
        "body_html": body_html,
        "note_items": _note_items(version.notes),
        "permalink": settings.BASE_URL + version.url_for(history.slug),
        "current_url": settings.BASE_URL + reverse("entry-detail", args=[history.slug]),
    })


class BadComparison(Exception):
    pass


def _version_number(value: str | None, name: str) -> int:
    if value is None or not value.strip():
        raise BadComparison(f"Choose the {name} version to compare: the address needs “{name}=” and a version number.")
    value = value.strip()
    if not value.isdigit() or len(value) > 9:
        raise BadComparison(f"“{value[:40]}” is not a version number: versions are numbered 1, 2, 3 and so on.")
    return int(value)


def entry_compare(request, slug):
    history, response = _history_or_redirect(request, slug, "entry-compare")
    if response:
        return response
    try:
        first = _version_number(request.GET.get("from"), "from")
        second = _version_number(request.GET.get("to"), "to")
        if first == second:
            raise BadComparison(f"Both versions are {first}: choose two different versions to see what changed.")
        older, newer = sorted((first, second))
        found = {version.number: version for version in
                 history.versions.select_related("body").filter(number__in=[older, newer])}
        missing = [str(number) for number in (older, newer) if number not in found]
        if missing:
            latest = _latest_number(history)
            raise BadComparison(f"There is no version {' or '.join(missing)} of this entry; its versions are "
                                f"numbered 1 to {latest}." if latest else "This entry has no versions yet.")
    except BadComparison as problem:
        return render(request, "encyclopedia/history/bad_compare.html",
                      {"history": history, "slug": history.slug, "message": str(problem)}, status=400)
    old, new = found[older], found[newer]
    withdrawn = next((version for version in (old, new) if version.withdrawn), None)
    if withdrawn is not None:
        return _withdrawn(request, history, withdrawn, _latest_number(history))
    before, after = readable(old.body.text), readable(new.body.text)
    comparison = compare(before, after, old_title=old.title, new_title=new.title)
    return render(request, "encyclopedia/history/compare.html", {
        "history": history,
        "slug": history.slug,
        "old": old,
        "new": new,
        "comparison": comparison,
        "labels": citation_labels(after, before),
        "latest": _latest_number(history),
        "removed": history.removed_at is not None,
        "new_notes": _note_items([note for version in history.versions.filter(number__gt=older, number__lte=newer)
                                  .values_list("notes", flat=True) for note in version]),
    })


def recent_versions():
    """Every recorded version, newest first, with its entry's history (public: never a draft's)."""
    return (EntryVersion.objects.select_related("history")
            .only("number", "loaded_at", "title", "notes", "withdrawn_at", "reconstructed",
                  "history__slug", "history__removed_at", "history__title")
            .order_by("-loaded_at", "-id"))


def changes(request):
    paginator = Paginator(recent_versions(), CHANGES_PER_PAGE)
    page_number = request.GET.get("page") or "1"
    if not page_number.isdigit() or not 1 <= int(page_number) <= max(paginator.num_pages, 1):
        raise Http404("No such page of changes")
    page = paginator.page(int(page_number))
    for version in page.object_list:
        version.note_items = _note_items(version.notes)
    return render(request, "encyclopedia/history/changes.html", {"page": page})
