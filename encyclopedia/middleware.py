"""Request ids for logs, and live content reload for editors (DEBUG only)."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings

_local = threading.local()
logger = logging.getLogger("encyclopedia")


class RequestIdLogFilter(logging.Filter):
    """Adds the current request id to every log record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(_local, "request_id", "-")
        return True


def current_request_id() -> str:
    return getattr(_local, "request_id", "-")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _local.request_id = uuid.uuid4().hex[:12]
        request.request_id = _local.request_id
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            return response
        finally:
            _local.request_id = "-"


class ContentWatcher:
    """Reloads the content folder when a file the loader reads changes; remembers the last problems.

    Used by ``make dev`` (runserver, one thread per request): every request compares the
    folder's file list and ``stat`` figures with the last look, under a lock, so a change
    is loaded exactly once and a request that arrives during a load waits for it and then
    sees the new text.  A file written within ``RACY_SECONDS`` of a look is also compared
    by content, because a second save in the same clock tick can leave size and
    modification time unchanged.  The load runs in this process (rendering in worker
    processes, as ``loadcontent`` does) and is all or nothing: with problems, the last
    good content stays served and the problems are shown in the page banner.
    """

    WATCHED_SUFFIXES = (".md", ".yaml")
    RACY_SECONDS = 2.0

    def __init__(self, content_dir: Path):
        self.content_dir = Path(content_dir)
        self.stats: dict[str, tuple] | None = None
        self.racy: dict[str, bytes] = {}  # files written just before the last look -> their digest
        self.problems: list = []
        self.lock = threading.Lock()

    def file_stats(self) -> dict[str, tuple]:
        stats = {}
        for root, dirs, files in os.walk(self.content_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith(".") or not name.endswith(self.WATCHED_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                stats[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return stats

    @staticmethod
    def digest(path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return hashlib.sha1(handle.read()).digest()
        except OSError:
            return b""

    def _racy_files(self, stats: dict[str, tuple]) -> dict[str, bytes]:
        recent = (time.time() - self.RACY_SECONDS) * 1e9
        return {path: self.digest(path) for path, (mtime, _size, _ino) in stats.items() if mtime >= recent}

    def changed(self) -> bool:
        """Whether anything changed since the last look (which this call then becomes)."""
        stats = self.file_stats()
        changed = stats != self.stats or any(self.digest(path) != digest for path, digest in self.racy.items())
        self.stats, self.racy = stats, self._racy_files(stats)
        return changed

    def check(self) -> None:
        with self.lock:
            if not self.changed():
                return
            self.problems = self.reload()

    def reload(self) -> list:
        """Load the folder; the problems to show (none when it loaded)."""
        from .errors import ContentError, Problem
        from .sync import LoadBusy, load_content

        try:
            report = load_content(self.content_dir)
        except ContentError as exc:
            logger.warning("content has %d problem(s); keeping the last good content", len(exc.problems))
            return exc.problems
        except LoadBusy:
            self.stats = None  # another load is running: look again on the next request
            return self.problems
        except Exception as exc:  # the database, not the content: say so instead of failing every page
            logger.exception("content reload failed")
            return [Problem(self.content_dir.name, 1, f"the content could not be reloaded ({type(exc).__name__}: "
                            f"{exc}); the last good content is still shown. If the database is new, run "
                            "`python manage.py migrate`; then save a file to try again")]
        if report.created or report.updated or report.removed:
            logger.warning("content reloaded: %s", report.summary())
        return []


_watcher: ContentWatcher | None = None
_watcher_lock = threading.Lock()


def content_watcher() -> ContentWatcher:
    global _watcher
    with _watcher_lock:
        if _watcher is None or _watcher.content_dir != Path(settings.CONTENT_DIR):
            _watcher = ContentWatcher(settings.CONTENT_DIR)
        return _watcher


class ContentReloadMiddleware:
    """With DEBUG on (``make dev``), a changed content file is loaded on the next request,
    and its problems are shown in a banner while the last good content stays served."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.content_problems = []
        if settings.DEBUG and getattr(settings, "CONTENT_AUTORELOAD", True) and not request.path.startswith(
            settings.STATIC_URL
        ):
            watcher = content_watcher()
            watcher.check()
            request.content_problems = watcher.problems
        return self.get_response(request)
