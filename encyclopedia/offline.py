"""Reading offline: the service worker at /sw.js, the web app manifest, and the "Reading offline"
page whose button saves a small core set of pages (static/encyclopedia/sw.js does the keeping).

The worker is served from the site's root so that its scope is the whole site, with
``Cache-Control: no-cache`` so that browsers check for a new one on every visit. Under DEBUG the
retiring worker (static/encyclopedia/sw-retire.js) is served instead: development never keeps pages.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from .models import Entry

SIGNS_SECTION = "signs-to-report-at-once"
CORE_SLUGS = ("infusion-day", "questions-to-ask")
BUDGET_PAGES = 100  # visited pages kept, besides the core set (static/encyclopedia/sw.js, MAX_VISITED)


@lru_cache(maxsize=2)
def _worker_source(name: str) -> bytes:
    path = finders.find(f"encyclopedia/{name}")
    with open(path, "rb") as handle:
        return handle.read()


def service_worker(request):
    name = "sw-retire.js" if settings.DEBUG else "sw.js"
    response = HttpResponse(_worker_source(name), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request):
    data = {
        "name": settings.SITE_NAME + ": immune cell infusion explained",
        "short_name": settings.SITE_NAME,
        "description": "Plain-language reference on immune cell infusion and CAR T-cell therapy, with sources.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#005eb8",
        "lang": "en-GB",
        "icons": [
            {"src": static("encyclopedia/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("encyclopedia/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("encyclopedia/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


def core_pages() -> list[tuple[str, str]]:
    """(address, title) of the pages "Save for offline reading" keeps: home, glossary, infusion
    day, questions to ask, and every entry with "Signs to report at once"."""
    entries = [(entry.slug, entry.title, entry.section_ids) for entry in
               Entry.objects.published().only("slug", "title", "section_ids").order_by("title")]
    chosen = [(reverse("entry-detail", args=[slug]), title) for slug, title, sections in entries
              if slug in CORE_SLUGS or SIGNS_SECTION in (sections or ())]
    return [(reverse("home"), "Home"), (reverse("glossary"), "Glossary"), *chosen]


def offline_page(request):
    pages = core_pages()
    return render(request, "encyclopedia/offline.html", {
        "pages": pages,
        "core_addresses": [address for address, _title in pages],
        "budget_pages": BUDGET_PAGES,
    })
