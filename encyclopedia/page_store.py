"""Where rendered pages are kept: the shared cache (Redis or Memcached) while it answers,
else each worker's own memory, and the shared cache again as soon as it is back.

A configured shared cache that cannot be reached is an operator's problem, not a reader's:
it is said in one line at start-up and by ``manage.py checkdatabase`` (``shared_cache_problem``),
logged once when it goes away and once when it returns, and meanwhile pages are served
from a small per-worker memory cache, or built.  While it is down a worker asks it again at
most every ``RETRY_SECONDS``, so readers do not each wait for a timeout, and no restart is
needed when it returns.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
PROBE_KEY = "immunoref:probe"


def shared_cache_location() -> str | None:
    """The configured shared cache (``redis://…``, ``memcached://…``), or None for local memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return None
    return getattr(settings, "PAGE_CACHE_URL", "") or str(settings.CACHES["default"].get("LOCATION"))


def shared_cache_problem() -> str | None:
    """None when there is no shared cache or it answers; else one plain line naming it."""
    where = shared_cache_location()
    if where is None:
        return None
    try:
        cache.set(PROBE_KEY, "1", 30)
        if cache.get(PROBE_KEY) != "1":
            raise ConnectionError("a value written could not be read back")
    except Exception as exc:  # each client raises its own errors
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        return (f"the page cache at {where} cannot be reached ({detail}); pages are served from each "
                "worker's memory until it answers (check IMMUNOREF_CACHE_URL and that the server runs)")
    return None


class PageStore:
    """get/set of rendered pages, falling back to the worker's memory while the shared cache is down."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.lock = threading.Lock()
        self._local: LocMemCache | None = None

    @property
    def local(self) -> LocMemCache:
        if self._local is None:
            entries = int(getattr(settings, "PAGE_CACHE_FALLBACK_ENTRIES", 200))
            self._local = LocMemCache("immunoref-fallback", {"OPTIONS": {"MAX_ENTRIES": entries}})
        return self._local

    def _shared_usable(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def _failed(self, exc: Exception) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.warning("the page cache is unavailable (%s: %s); serving pages from this worker's memory "
                               "and trying it again every %.0f s", type(exc).__name__,
                               " ".join(str(exc).split())[:200], RETRY_SECONDS)

    def _answered(self) -> None:
        if self.down_since is not None:
            with self.lock:
                if self.down_since is not None:
                    logger.warning("the page cache answers again after %.0f s; using it",
                                   time.monotonic() - self.down_since)
                    self.down_since = None
                    if self._local is not None:
                        self._local.clear()

    def get(self, key: str):
        if not self._shared_usable():
            return self.local.get(key)
        try:
            value = cache.get(key)
        except Exception as exc:  # redis/memcached clients raise their own connection errors
            self._failed(exc)
            return self.local.get(key)
        self._answered()
        return value

    def set(self, key: str, value, timeout: float) -> None:
        if not self._shared_usable():
            self.local.set(key, value, timeout)
            return
        try:
            cache.set(key, value, timeout)
        except Exception as exc:
            self._failed(exc)
            self.local.set(key, value, timeout)
            return
        self._answered()

    @property
    def is_down(self) -> bool:
        return self.down_since is not None


page_store = PageStore()


_last_version: str | None = None  # the content version this worker last read (or was told of)


def remember_version(version: str) -> None:
    global _last_version
    _last_version = version


def last_version() -> str | None:
    return _last_version
