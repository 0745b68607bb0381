"""What the API says about entries, the glossary and the bibliography, built from stored rows.

Nothing here renders Markdown: the HTML is the stored, sanitized page body, split into its parts
(``encyclopedia/page_parts.py``) and with its site-relative links made absolute.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import strip_tags

from .. import page_parts
from ..clinical.codes import OID_OF
from ..models import Citation, Entry, GlossaryTerm, Reference

LICENCE = ("Text: Creative Commons Attribution 4.0 International (CC BY 4.0), "
           "https://creativecommons.org/licenses/by/4.0/. Attribute as: ImmunoRef, <entry title>, "
           "<entry url>, last reviewed <date>.")


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def visible_entries():
    return Entry.objects.visible(include_drafts=settings.DEBUG)


def entry_summary(entry) -> dict:
    return {
        "slug": entry.slug,
        "title": entry.title,
        "summary": entry.summary,
        "category": entry.category.key,
        "url": absolute(entry.get_absolute_url()),
        "reviewed": entry.reviewed,
        "version": getattr(entry, "current_version_number", None),
    }


def entry_detail(entry) -> dict:
    parts = page_parts.split_body(entry.body_html)
    numbers = {key: number for number, (key, _item) in enumerate(parts.references, start=1)}
    citations = sorted(Citation.objects.filter(entry=entry).select_related("reference"), key=lambda c: c.number)
    terms = {key: (strip_tags(term), strip_tags(definition)) for key, term, definition in parts.terms}
    return {
        **entry_summary(entry),
        "aliases": list(entry.aliases or []),
        "codes": [{"system": item["system"], "oid": OID_OF[item["system"]], "code": item["code"]}
                  for item in entry.codes or ()],
        "sections": [{"id": item["id"], "title": item["title"], "level": item["level"]} for item in entry.toc
                     if item["id"] not in {"words-explained", "references"}],
        "patient_html": html_for_api(parts.patients),
        "clinician_html": html_for_api(parts.clinicians),
        "citations": [reference_fields(citation.reference, number=numbers.get(citation.reference.key, citation.number))
                      for citation in citations],
        "glossary": [{"term": term, "definition": definition, "url": absolute(reverse("glossary") + f"#{key}")}
                     for key, (term, definition) in terms.items()],
        "changes": list(entry.front_matter.get("changes", [])) if isinstance(entry.front_matter, dict) else [],
        "licence": LICENCE,
    }


def html_for_api(html: str) -> str:
    return page_parts.absolute_links(page_parts.without_heading_anchors(html), settings.BASE_URL)


def reference_fields(reference, number: int | None = None) -> dict:
    fields = {
        "key": reference.key,
        "text": reference.text,
        "doi": reference.doi or None,
        "pmid": reference.pmid or None,
        "url": reference.url or None,
        "study_type": reference.study_type or None,
    }
    if number is not None:
        fields["number"] = number
    return fields


def glossary_items() -> list[dict]:
    items = []
    for term in GlossaryTerm.objects.select_related("entry").only(
            "key", "term", "abbreviation", "definition", "also", "entry__slug", "entry__draft").order_by("term"):
        shown = term.entry if term.entry and (settings.DEBUG or not term.entry.draft) else None
        items.append({
            "key": term.key, "term": term.term, "abbreviation": term.abbreviation or None,
            "definition": term.definition, "also": list(term.also or []),
            "url": absolute(reverse("glossary") + f"#{term.key}"),
            "entry_url": absolute(reverse("entry-detail", args=[shown.slug])) if shown else None,
        })
    return items


def bibliography() -> list[dict]:
    citing = Citation.objects.filter(entry__in=visible_entries()).select_related("entry").only(
        "reference_id", "entry__slug").order_by("entry__slug")
    items = []
    for reference in Reference.objects.prefetch_related(Prefetch("citations", queryset=citing)):
        items.append({
            **reference_fields(reference),
            "doi_url": reference.doi_url or None,
            "pubmed_url": reference.pubmed_url or None,
            "cited_by": [citation.entry.slug for citation in reference.citations.all()],
        })
    return items
