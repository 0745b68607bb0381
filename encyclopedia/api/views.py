"""The API's documentation page: plain HTML, nothing loaded from other sites, no script."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from .content import LICENCE


def api_documentation(request):
    return render(request, "encyclopedia/api_docs.html", {"licence": LICENCE, "origin": settings.BASE_URL})
