"""The /api/v1/ routes (django-ninja). Read-only; every list is complete or paged, never truncated."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import strip_tags
from ninja import NinjaAPI, Status

from ..search.engine import search as run_search
from . import content, schemas

PAGE_SIZE = 100
MAX_QUERY = 200

api = NinjaAPI(
    title="ImmunoRef API",
    version="1",
    description=("Read-only access to ImmunoRef, an open reference on immune cell infusion: entries, the glossary, "
                 "the bibliography and search. " + content.LICENCE),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)


def _page_number(raw: str | None) -> int | None:
    if raw in (None, ""):
        return 1
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else None


def _page_url(request: HttpRequest, number: int) -> str:
    return content.absolute(reverse("api-v1:entry-list") + f"?page={number}")


@api.get("/entries/", response={200: schemas.EntryPage, 400: schemas.Problem, 404: schemas.Problem},
         url_name="entry-list", summary="Entries, 100 a page, by title")
def entry_list(request, page: str | None = None):
    number = _page_number(page)
    if number is None:
        return Status(400, {"detail": f"`page` must be a whole number, 1 or more, not `{page}`"})
    entries = content.visible_entries().select_related("category").only(
        "slug", "title", "summary", "reviewed", "draft", "category__key").order_by("title", "slug")
    count = entries.count()
    last = max(1, -(-count // PAGE_SIZE))
    if number > last:
        return Status(404, {"detail": f"there are {last} page(s) of entries; page {number} does not exist"})
    start = (number - 1) * PAGE_SIZE
    return Status(200, {
        "count": count,
        "next": _page_url(request, number + 1) if number < last else None,
        "previous": _page_url(request, number - 1) if number > 1 else None,
        "licence": content.LICENCE,
        "entries": [content.entry_summary(entry) for entry in entries[start:start + PAGE_SIZE]],
    })


@api.get("/entries/{slug}/", response={200: schemas.EntryDetail, 404: schemas.Problem},
         url_name="entry-detail", summary="One entry: its parts as sanitized HTML, citations, terms, change notes")
def entry_detail(request, slug: str):
    entry = content.visible_entries().select_related("category").filter(slug=slug).first()
    if entry is None:
        return Status(404, {"detail": f"no entry `{slug}`"})
    return Status(200, content.entry_detail(entry))


@api.get("/glossary/", response=schemas.GlossaryList, url_name="glossary", summary="Every glossary term")
def glossary(request):
    items = content.glossary_items()
    return {"count": len(items), "licence": content.LICENCE, "terms": items}


@api.get("/references/", response=schemas.ReferenceList, url_name="references",
         summary="The bibliography, with the entries citing each reference")
def references(request):
    items = content.bibliography()
    return {"count": len(items), "licence": content.LICENCE, "references": items}


@api.get("/search/", response={200: schemas.SearchAnswer, 400: schemas.Problem}, url_name="search",
         summary="Search, ranked as on the site (first 20 results)")
def search(request, q: str = ""):
    if len(q) > MAX_QUERY:
        return Status(400, {"detail": f"`q` is at most {MAX_QUERY} characters"})
    results = run_search(q, 1)

    def hit(slug, title, url, snippet=""):
        return {"slug": slug, "title": strip_tags(title), "url": content.absolute(url), "snippet": strip_tags(snippet)}

    return Status(200, {
        "query": results.query,
        "count": results.total,
        "go_to": [hit(item["url"].strip("/").split("/")[-1], item["title"], item["url"]) for item in results.go_to],
        "results": [hit(item.slug, item.title, item.url, item.snippet) for item in results.hits],
    })
