"""The data behind previews of an entry's cross-links, embedded once in its page.

Built from the entry's Link rows and their targets in at most two queries (one for the links
with their targets' titles, summaries and review dates; one for the stored section previews of
the targets linked at a section, only when there are such links), deduplicated by address and
truncated, so a page never asks the server anything when a reader hovers a link.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.dateformat import format as format_date

from ..addresses import entry_url
from ..models import Entry, Link
from .sections import first_sentences

SUMMARY_LIMIT = 280
TITLE_LIMIT = 200


def _reviewed(entry: Entry) -> str:
    return format_date(entry.reviewed, "j F Y") if entry.reviewed else ""


def link_previews(entry: Entry) -> dict[str, dict]:
    """{link address as written in the page: {"title", "text", "reviewed"[, "section"]}}."""
    links = (Link.objects.filter(source=entry).select_related("target")
             .only("section", "target__slug", "target__title", "target__summary", "target__reviewed", "target__draft")
             .order_by("target__slug", "section"))
    previews: dict[str, dict] = {}
    wanted_sections: dict[int, list[tuple[str, str]]] = {}
    for link in links:
        target = link.target
        if target.draft and not settings.DEBUG:
            continue
        base = {"title": target.title[:TITLE_LIMIT], "reviewed": _reviewed(target)}
        address = entry_url(target.slug)
        previews.setdefault(address, {**base, "text": first_sentences(target.summary, SUMMARY_LIMIT)})
        if link.section:
            wanted_sections.setdefault(target.pk, []).append((f"{address}#{link.section}", link.section))
            previews[f"{address}#{link.section}"] = {**previews[address]}
    if wanted_sections:
        for pk, stored in Entry.objects.filter(pk__in=list(wanted_sections)).values_list("pk", "section_previews"):
            for address, section in wanted_sections[pk]:
                found = (stored or {}).get(section)
                if found:
                    previews[address].update(section=found["title"][:TITLE_LIMIT],
                                             text=found["text"] or previews[address]["text"])
    return previews
