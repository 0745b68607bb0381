"""The search page and the suggestions endpoint.  Both work with scripts off; nothing is logged."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from .engine import search as run_search
from .suggest import suggest

MAX_SUGGEST_CHARS = 200


def search(request):
    results = run_search(request.GET.get("q", ""), request.GET.get("page", 1))
    return render(request, "encyclopedia/search.html", {
        "query": results.query,
        "results": results,
    })


def search_suggest(request):
    query = request.GET.get("q", "")[:MAX_SUGGEST_CHARS]
    return JsonResponse({"results": suggest(query)})
