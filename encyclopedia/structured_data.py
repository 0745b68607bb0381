"""schema.org JSON-LD for pages, as inline data blocks that cannot end their own <script>."""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .models import Entry, Reference

SCHOLARLY_TYPES = {"article-journal", "article", "review", "paper-conference", "chapter"}


def json_ld_script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` holding ``data``.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text from the content (a title,
    a summary, a reference) can close the element or open a comment inside it.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def _website() -> dict:
    return {"@type": "WebSite", "name": settings.SITE_NAME, "url": settings.BASE_URL + reverse("home")}


def _reference(reference: Reference) -> dict:
    csl = reference.csl or {}
    item = {
        "@type": "ScholarlyArticle" if csl.get("type") in SCHOLARLY_TYPES else "CreativeWork",
        "name": csl.get("title") or reference.text,
        "description": reference.text,
    }
    if csl.get("year"):
        item["datePublished"] = str(csl["year"])
    if csl.get("authors"):
        item["author"] = [{"@type": "Person" if csl.get("type") != "webpage" else "Organization", "name": name}
                          for name in csl["authors"] if name != "et al."]
    if csl.get("container"):
        item["isPartOf"] = {"@type": "Periodical" if item["@type"] == "ScholarlyArticle" else "WebSite",
                            "name": csl["container"]}
    links = [url for url in (reference.doi_url, reference.pubmed_url, reference.url) if url]
    if links:
        item["url"] = links[0]
        if links[1:]:
            item["sameAs"] = links[1:]
    identifiers = []
    if reference.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": reference.doi})
    if reference.pmid:
        identifiers.append({"@type": "PropertyValue", "propertyID": "PMID", "value": reference.pmid})
    if identifiers:
        item["identifier"] = identifiers
    return item


def entry_data(entry: Entry) -> dict:
    """A MedicalWebPage: what the entry is about, when it was reviewed and what it cites."""
    url = settings.BASE_URL + entry.get_absolute_url()
    references = [citation.reference for citation in
                  entry.citations.select_related("reference").order_by("number")]
    about = {"@type": "MedicalEntity", "name": entry.title}
    if entry.aliases:
        about["alternateName"] = list(entry.aliases)
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": entry.title,
        "headline": entry.title,
        "description": entry.summary,
        "inLanguage": "en-GB",
        "lastReviewed": entry.reviewed.isoformat(),
        "about": about,
        "audience": [{"@type": "PeopleAudience", "audienceType": "Patients and families"},
                     {"@type": "MedicalAudience", "audienceType": "Clinicians"}],
        "isPartOf": _website(),
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.BASE_URL + reverse("home")},
        "citation": [_reference(reference) for reference in references],
    }
    if entry.changed_at:
        data["dateModified"] = entry.changed_at.isoformat()
    if entry.category_id:
        data["keywords"] = [entry.category.title, *entry.aliases]
    return data


def website_data() -> dict:
    """The site itself, with its search (lets a search engine offer a search box)."""
    data = {"@context": "https://schema.org", **_website(), "inLanguage": "en-GB"}
    data["potentialAction"] = {
        "@type": "SearchAction",
        "target": {"@type": "EntryPoint", "urlTemplate": settings.BASE_URL + reverse("search") + "?q={query}"},
        "query-input": "required name=query",
    }
    return data
