"""The one gate of the reader-signal endpoints (no cookies, so no CSRF token: the origin instead).

Accepted: a ``POST`` whose ``Sec-Fetch-Site`` is ``same-origin``, or, from a browser that sends
no ``Sec-Fetch-Site``, whose ``Origin`` is the origin of ``IMMUNOREF_BASE_URL`` or of an allowed
host; with a body of ``application/x-www-form-urlencoded`` no larger than the endpoint's limit.
Everything else gets a short page with its status: 403, 405, 413, 415 or 400.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost, TooManyFieldsSent
from django.http import QueryDict
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

FORM_TYPE = "application/x-www-form-urlencoded"
REASONS = {
    400: "The request could not be read.",
    403: "This address only accepts answers sent from this website's own pages.",
    405: "This address only accepts answers sent from a form (POST).",
    413: "That was too long to accept.",
    415: "This address only accepts plain form answers.",
    429: "We have received many answers from you today, so we cannot take more until tomorrow. Thank you.",
}


def refused(request, status: int, reason: str = ""):
    response = render(request, "encyclopedia/signal_refused.html",
                      {"status": status, "reason": reason or REASONS[status]}, status=status)
    if status == 405:
        response["Allow"] = "POST"
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(request) -> set[str]:
    origins = {_origin(settings.BASE_URL)}
    hosts = [host for host in settings.ALLOWED_HOSTS if host and "*" not in host and not host.startswith(".")]
    try:
        hosts.append(request.get_host())
    except DisallowedHost:
        pass
    origins.update(f"{scheme}://{host.lower()}" for host in hosts for scheme in ("http", "https"))
    return origins


def same_origin(request) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site.strip().lower() == "same-origin"
    origin = request.META.get("HTTP_ORIGIN", "").strip()
    if not origin or origin == "null":
        return False
    return origin.rstrip("/").lower() in allowed_origins(request)


def read_form(request, max_bytes: int):
    """The form fields, or the status to refuse with."""
    media_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if media_type != FORM_TYPE:
        return 415
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400
    if declared > max_bytes:
        return 413
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        return 413
    try:
        return QueryDict(body.decode("utf-8"), encoding="utf-8")
    except (UnicodeDecodeError, TooManyFieldsSent, ValueError):
        return 400


def signal_endpoint(max_bytes: int):
    """Decorate a view ``view(request, form, …)`` with the checks above."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if request.method != "POST":
                return refused(request, 405)
            if not same_origin(request):
                return refused(request, 403)
            form = read_form(request, max_bytes)
            if isinstance(form, int):
                return refused(request, form)
            return view(request, form, *args, **kwargs)

        return guarded

    return decorate
