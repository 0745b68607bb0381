"""Request ids for logs, and live content reload for editors (DEBUG only)."""

from __future__ import annotations

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
    """Reloads the content folder when a file in it changes; remembers the last problems."""

    def __init__(self, content_dir: Path):
        self.content_dir = Path(content_dir)
        self.fingerprint = None
        self.problems: list = []
        self.checked_at = 0.0
        self.lock = threading.Lock()

    def snapshot(self):
        state = []
        for root, dirs, files in os.walk(self.content_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                try:
                    stat = os.stat(os.path.join(root, name))
                except FileNotFoundError:
                    continue
                state.append((root, name, stat.st_mtime_ns, stat.st_size))
        return tuple(state)

    def check(self) -> None:
        now = time.monotonic()
        if now - self.checked_at < 0.3:
            return
        with self.lock:
            self.checked_at = now
            snapshot = self.snapshot()
            if snapshot == self.fingerprint:
                return
            from .errors import ContentError
            from .sync import LoadBusy, load_content

            try:
                report = load_content(self.content_dir)
            except ContentError as exc:
                self.problems = exc.problems
                logger.warning("content has %d problem(s); keeping the last good content", len(exc.problems))
            except LoadBusy:
                return  # try again on the next request
            else:
                self.problems = []
                if report.created or report.updated or report.removed:
                    logger.warning("content reloaded: %s", report.summary())
            self.fingerprint = snapshot


_watcher: ContentWatcher | None = None


def content_watcher() -> ContentWatcher:
    global _watcher
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
