"""The home page's "Most read this month" and "Latest entries".

"Most read" sums the daily reads of the last 30 days, today included, and lists entries with at
least ``IMMUNOREF_MOST_READ_MIN`` reads. It is recomputed at most every
``IMMUNOREF_MOST_READ_MINUTES``: the list belongs to a time bucket, and the home page's ETag and
page-cache key include that bucket (``etag_suffix``), so browsers, nginx and CDNs see a new list
when the bucket turns.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum

from . import clock
from .models import EntryReadDay

WINDOW_DAYS = 30
LIMIT = 6


def bucket() -> int:
    return int(clock.now().timestamp() // (max(1, settings.MOST_READ_MINUTES) * 60))


def etag_suffix(path: str) -> str:
    """What the page at ``path`` depends on besides the content and the code ("" for most pages)."""
    return f".r{bucket()}" if path == "/" else ""


def most_read_counts() -> list[tuple[str, int]]:
    """(slug, reads in the last 30 days), most read first, for this time bucket (kept in the
    page cache, so with a shared cache one worker computes it for every machine)."""
    key = f"most-read:{bucket()}"
    try:
        found = cache.get(key)
    except Exception:  # a shared cache that is down: compute it here
        found = None
    if found is not None:
        return found
    since = clock.today() - dt.timedelta(days=WINDOW_DAYS - 1)
    rows = list(EntryReadDay.objects.filter(day__gte=since).values("slug").annotate(total=Sum("reads"))
                .filter(total__gte=settings.MOST_READ_MIN).order_by("-total", "slug")
                .values_list("slug", "total")[:LIMIT * 4])
    try:
        cache.set(key, rows, max(1, settings.MOST_READ_MINUTES) * 60)
    except Exception:
        pass
    return rows


def most_read(entries) -> list[tuple[object, int]]:
    """The most read of ``entries`` (what the reader may see), with their reads."""
    by_slug = {entry.slug: entry for entry in entries}
    return [(by_slug[slug], reads) for slug, reads in most_read_counts() if slug in by_slug][:LIMIT]


def latest(visible) -> list:
    """The entries (of the ``visible`` queryset) that first appeared most recently in a load; read
    from an index (migration 0008), never from the rows with their stored HTML."""
    return list(visible.only("slug", "title", "created_at", "draft").order_by("-created_at", "-id")[:LIMIT])

