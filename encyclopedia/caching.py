"""HTTP caching of pages: ETags, Cache-Control for a CDN, and a page cache shared by workers.

A public page depends on two things only: the content loaded (``ContentState.version``,
written in the same transaction as everything else by every load) and the code that
turns it into HTML (the *release*: ``IMMUNOREF_RELEASE`` when set, else a hash of the
code, templates and static files taken on the first page a process serves).  So:

- the ETag is ``"<content version>.<release>"``: a repeat visit revalidates and gets
  ``304 Not Modified``; a reload or a code-only deploy changes it;
- the rendered page is stored in Django's cache under release + version + path + query,
  so many workers and many machines sharing a cache (``IMMUNOREF_CACHE_URL``) never mix
  versions, and old versions simply expire;
- every request asks for the version (``encyclopedia.content_version``: one tiny query,
  about 10 microseconds on SQLite; on PostgreSQL announced to each worker, no round
  trip; see bench/README.md), so at the origin a page changes the moment a load commits,
  on every worker at once;
- ``Cache-Control`` lets a CDN keep a page ``s-maxage`` seconds and serve it stale while
  it revalidates; browsers revalidate each time (``max-age=0``) and get a 304.

Not cached publicly: anything under DEBUG (drafts show there), error pages, responses that
set a cookie or say ``Vary: Cookie``, non-GET requests, and responses whose view already
chose its own ``Cache-Control``.  Nothing per-request goes into a stored page.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import lru_cache
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags

from . import content_version
from .readers.popular import etag_suffix
from .page_store import last_version, page_store, remember_version

logger = logging.getLogger(__name__)
CACHEABLE_STATUSES = frozenset({200, 301})
STALE_IF_ERROR_SECONDS = 86400
NOT_CACHED = "no-cache"
NEVER_STORED = "no-store"
# What a release hash covers: everything that can change a page's bytes for the same content.
RELEASE_FOLDERS = ("encyclopedia", "immunoref", "templates", "static")
MAX_CACHED_PATH = 2000  # longer addresses (odd query strings) are served but not stored


@lru_cache(maxsize=1)
def release() -> str:
    """The code version: ``IMMUNOREF_RELEASE`` when set, else a hash of code, templates and static files.

    The hash uses file contents and paths relative to the project, never times or absolute
    paths, so every machine running the same code computes the same value.
    """
    configured = os.environ.get("IMMUNOREF_RELEASE", "").strip()
    if configured:
        return "".join(ch for ch in configured if ch.isalnum() or ch in "-_.")[:40] or "release"
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(django.get_version().encode())
    for folder in RELEASE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".pyo"}:
                digest.update(path.relative_to(base).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _page_settings() -> str:
    """Settings that appear in page bytes: part of the ETag so a change of them shows."""
    return hashlib.sha256(repr((settings.BASE_URL, settings.SITE_NAME, settings.REVIEW_INTERVAL_MONTHS,
                                settings.STATIC_URL)).encode()).hexdigest()[:6]


def page_etag(version: str) -> str:
    return f'"{version}.{release()}{_page_settings()}"'


def page_cache_key(request, etag: str) -> str:
    path = request.get_full_path()
    return "page:" + hashlib.sha256(f"{etag} {path}".encode()).hexdigest()


def public_cache_control() -> str:
    return (f"public, max-age=0, s-maxage={settings.CDN_MAX_AGE}, "
            f"stale-while-revalidate={settings.CDN_MAX_AGE}, stale-if-error={STALE_IF_ERROR_SECONDS}")


def _matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    # If-None-Match uses the weak comparison: a proxy that compresses the page marks it W/.
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def _storable(response) -> bool:
    return (
        response.status_code in CACHEABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response
        and "cookie" not in response.get("Vary", "").lower()
    )


def _from_cache(stored) -> HttpResponse:
    status, headers, body = stored
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _mark_uncacheable(response, directive: str):
    if "Cache-Control" not in response:
        response["Cache-Control"] = directive
    return response


class PageCacheMiddleware:
    """ETag, 304, page cache and Cache-Control for every page the views answer.

    Sits last in MIDDLEWARE, so host checks, HTTPS redirects and static files are handled
    before it, and the headers of the middleware above (security, CSP) are added to cached
    pages exactly as to fresh ones.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:  # drafts and the content-problem banner: never stored anywhere
            return _mark_uncacheable(self.get_response(request), NEVER_STORED)
        if request.method not in ("GET", "HEAD"):
            return _mark_uncacheable(self.get_response(request), NEVER_STORED)
        version = content_version.current()
        if version is None or len(request.get_full_path()) > MAX_CACHED_PATH:
            return self._uncached(request)
        remember_version(version)  # pages stored for it are served while the database is down
        etag = page_etag(version + etag_suffix(request.path))
        if _matches(request, etag):
            return self._public(HttpResponseNotModified(), etag)
        key = page_cache_key(request, etag)
        stored = page_store.get(key)
        if stored is not None:
            return self._public(_from_cache(stored), etag)
        response = self.get_response(request)
        if not _storable(response):
            return _mark_uncacheable(response, NOT_CACHED)
        if content_version.stored() != version:
            # A load committed while this page was built: it may mix versions, so it is
            # neither stored nor given a validator; the next request builds it afresh.
            return _mark_uncacheable(response, NOT_CACHED)
        page_store.set(key, (response.status_code, list(response.items()), response.content),
                       settings.PAGE_CACHE_SECONDS)
        return self._public(response, etag)

    def _uncached(self, request):
        response = self.get_response(request)
        return _mark_uncacheable(response, NOT_CACHED)

    @staticmethod
    def _public(response, etag: str):
        response["ETag"] = etag
        response["Cache-Control"] = public_cache_control()
        response["X-Accel-Expires"] = str(settings.PROXY_MAX_AGE)  # nginx's own freshness (deploy/nginx.conf)
        return response


def stored_page(request):
    """While the database is down: the page as stored for the last content version this
    worker knew, if the page cache (shared, or this worker's) has it; else None (the caller
    answers 503).  A cached page needs nothing else from the database."""
    if last_version() is None or request.method not in ("GET", "HEAD") or settings.DEBUG:
        return None
    if len(request.get_full_path()) > MAX_CACHED_PATH:
        return None
    etag = page_etag(last_version() + etag_suffix(request.path))
    stored = page_store.get(page_cache_key(request, etag))
    if stored is None:
        return None
    return PageCacheMiddleware._public(_from_cache(stored), etag)
