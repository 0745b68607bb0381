"""The home page's "Most read this month" and "Latest entries".

"Most read" sums the daily reads of the last 30 days, today included, and lists entries with at
least ``IMMUNOREF_MOST_READ_MIN`` reads. It is recomputed at most every
``IMMUNOREF_MOST_READ_MINUTES``: the list belongs to a time bucket, and the home page's ETag and
page-cache key include that bucket (``etag_suffix``), so browsers, nginx and CDNs see a new list
when the bucket turns.
"""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings
from django.db.models import Sum

from . import clock
from .models import EntryReadDay

WINDOW_DAYS = 30
LIMIT = 6
_computed: dict = {}  # bucket -> [(slug, reads)]
_lock = threading.Lock()


def bucket() -> int:
    return int(clock.now().timestamp() // (max(1, settings.MOST_READ_MINUTES) * 60))


def etag_suffix(path: str) -> str:
    """What the page at ``path`` depends on besides the content and the code ("" for most pages)."""
    return f".r{bucket()}" if path == "/" else ""


def most_read_counts() -> list[tuple[str, int]]:
    """(slug, reads in the last 30 days), most read first, for this time bucket."""
    current = bucket()
    with _lock:
        if current in _computed:
            return _computed[current]
    since = clock.today() - dt.timedelta(days=WINDOW_DAYS - 1)
    rows = list(EntryReadDay.objects.filter(day__gte=since).values("slug").annotate(total=Sum("reads"))
                .filter(total__gte=settings.MOST_READ_MIN).order_by("-total", "slug")
                .values_list("slug", "total")[:LIMIT * 4])
    with _lock:
        _computed.clear()
        _computed[current] = rows
    return rows


def most_read(entries) -> list[tuple[object, int]]:
    """The most read of ``entries`` (what the reader may see), with their reads."""
    by_slug = {entry.slug: entry for entry in entries}
    return [(by_slug[slug], reads) for slug, reads in most_read_counts() if slug in by_slug][:LIMIT]


def latest(entries) -> list:
    """The entries that first appeared most recently in a load."""
    return sorted(entries, key=lambda entry: (entry.created_at, entry.title), reverse=True)[:LIMIT]


def forget() -> None:
    with _lock:
        _computed.clear()
