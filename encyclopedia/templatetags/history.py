"""Template tags for entry history: change notes and "Cite this page" on the entry page, citations in comparisons."""

from __future__ import annotations

from django import template
from django.conf import settings

from ..history.compare import shown
from ..history.notes import newest_first

register = template.Library()
NOTES_ON_ENTRY_PAGE = 2


@register.filter
def cited(text: str, labels: dict) -> str:
    """Citation keys as the references' short names (the template escapes the result)."""
    return shown(text, labels or {})


@register.simple_tag
def latest_change_notes(entry) -> list[dict]:
    """The entry's newest change notes (from its front matter as loaded), at most two."""
    notes = (entry.front_matter or {}).get("changes") or ()
    return newest_first(tuple(tuple(item) for item in notes))[:NOTES_ON_ENTRY_PAGE]


@register.simple_tag
def cited_version(entry) -> dict | None:
    """The version a reader of the entry page reads ({"number", "url", "date"}), or None before any."""
    from ..history.models import EntryVersion

    row = (EntryVersion.objects.filter(history__slug=entry.slug, history__removed_at=None)
           .order_by("-number").values_list("number", "loaded_at").first())
    if row is None:
        return None
    from django.urls import reverse

    return {"number": row[0], "date": row[1],
            "url": settings.BASE_URL + reverse("entry-version", args=[entry.slug, row[0]])}


@register.simple_tag
def removed_history_url(slug: str) -> str:
    """The history page of a removed entry, or "" when none was recorded."""
    from django.urls import reverse

    from ..history.models import EntryHistory

    if EntryHistory.objects.filter(slug=slug).exists():
        return reverse("entry-history", args=[slug])
    return ""
