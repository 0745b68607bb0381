"""The three reader-signal endpoints; each answers quickly and never fails a reader."""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from .. import content_version
from ..models import Entry
from . import feedback, queries, reads
from .guard import refused, signal_endpoint

logger = logging.getLogger(__name__)
SIGNAL_BYTES = 2 * 1024
FEEDBACK_BYTES = 8 * 1024
_crawlers = CrawlerDetect()


def _visible_entry(slug: str, *fields: str):
    return Entry.objects.visible(include_drafts=settings.DEBUG).filter(slug=slug).only("slug", *fields).first()


_slugs: dict = {}  # content version -> the slugs of published entries (read beacons name one)
_slugs_lock = threading.Lock()


def is_published(slug: str) -> bool:
    """Whether ``slug`` is a published entry: one query per content version, not per beacon."""
    version = content_version.current()
    if version is None or settings.DEBUG:
        return _visible_entry(slug) is not None
    with _slugs_lock:
        known = _slugs.get(version)
    if known is None:
        known = frozenset(Entry.objects.published().values_list("slug", flat=True))
        with _slugs_lock:
            _slugs.clear()
            _slugs[version] = known
    return slug in known


@lru_cache(maxsize=2048)
def _crawler_agent(agent: str) -> bool:
    return _crawlers.isCrawler(agent)  # about half a millisecond; browsers' user agents repeat


def is_crawler(request) -> bool:
    agent = request.META.get("HTTP_USER_AGENT", "").strip()[:512]
    return not agent or _crawler_agent(agent)


def _accepted() -> HttpResponse:
    return HttpResponse(status=204)


@signal_endpoint(SIGNAL_BYTES)
def read_signal(request, form):
    slug = form.get("slug", "").strip()
    if not slug or not is_published(slug):
        return refused(request, 404, "There is no such entry.")
    if not is_crawler(request):
        try:
            reads.record_read(request, slug)
        except Exception:  # the store behind the day's salt is down: the read is not counted
            logger.warning("reader signals: a read was not counted", exc_info=True)
    return _accepted()


@signal_endpoint(SIGNAL_BYTES)
def no_results_signal(request, form):
    if not is_crawler(request):
        try:
            queries.record(request, form.get("q", ""))
        except Exception:
            logger.warning("reader signals: a zero-result query was not counted", exc_info=True)
    return _accepted()


@signal_endpoint(FEEDBACK_BYTES)
def entry_feedback(request, form, slug):
    entry = _visible_entry(slug, "title", "section_ids")
    if entry is None:
        return refused(request, 404, "There is no such entry.")
    try:
        outcome = feedback.record(request, entry, form)
    except feedback.Refused as exc:
        return refused(request, exc.status, exc.reason)
    except Exception:
        logger.warning("reader signals: feedback was not stored", exc_info=True)
        return refused(request, 503, "Your answer could not be saved just now. Please try again later.")
    if "application/json" in request.META.get("HTTP_ACCEPT", ""):
        return JsonResponse({"ok": True, "text_kept": outcome.text_kept})
    return render(request, "encyclopedia/feedback_thanks.html", {"entry": entry, "text_kept": outcome.text_kept})
