"""Request ids for logs, and reloading content as editors save it (``make dev``, DEBUG only)."""

from __future__ import annotations

import logging
import threading
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


class DevelopmentReload:
    """``make dev``: Django's autoreloader watches ``content/`` and this loads it when a file changes.

    :meth:`watch` (on ``autoreload_started``) adds the content folder to what the
    autoreloader watches: its entry and data files, and its folders, whose times change
    when a file is added, removed or renamed.  It loads once at the start, so the banner
    shows the problems of what is there.  :meth:`changed` (on ``file_changed``) runs
    :func:`encyclopedia.pipeline.load_content` for a file under the content folder (the same
    change detection as ``loadcontent``: a quick reload of what changed) and tells the
    autoreloader not to restart the server; any other file restarts it as usual.  Loads are
    all or nothing: with problems, the last good content stays served and
    :class:`ContentReloadMiddleware` shows the problems in a banner on every page.
    Nothing happens unless ``DEBUG`` and ``CONTENT_AUTORELOAD`` are on.
    """

    PATTERNS = ("**/*.md", "**/*.yaml", "**")

    def __init__(self) -> None:
        self.problems: list = []
        self.lock = threading.Lock()

    @staticmethod
    def enabled() -> bool:
        return bool(settings.DEBUG and getattr(settings, "CONTENT_AUTORELOAD", True))

    def watch(self, sender, **kwargs) -> None:
        if not self.enabled():
            return
        root = Path(settings.CONTENT_DIR).resolve()
        for pattern in self.PATTERNS:
            sender.watch_dir(root, pattern)
        self.load()

    def changed(self, sender, file_path, **kwargs) -> bool | None:
        if not self.enabled():
            return None
        root = Path(settings.CONTENT_DIR).resolve()
        if not Path(file_path).resolve().is_relative_to(root):
            return None  # code or templates: the autoreloader restarts the server
        self.load()
        return True

    def load(self) -> None:
        """Load the folder; remember its problems (none when it loaded)."""
        from .errors import ContentError, Problem
        from .pipeline import LoadBusy, load_content

        with self.lock:
            try:
                report = load_content(settings.CONTENT_DIR)
            except ContentError as exc:
                logger.warning("content has %d problem(s); keeping the last good content", len(exc.problems))
                self.problems = exc.problems
            except LoadBusy:
                pass  # another load (``loadcontent``) is running; the next save loads again
            except Exception as exc:  # the database, not the content: say so instead of failing every page
                logger.exception("content reload failed")
                self.problems = [Problem(Path(settings.CONTENT_DIR).name, 1, "the content could not be reloaded "
                                         f"({type(exc).__name__}: {exc}); the last good content is still shown. If "
                                         "the database is new, run `python manage.py migrate`; then save a file to "
                                         "try again")]
            else:
                self.problems = []
                if report.created or report.updated or report.removed:
                    logger.warning("content reloaded: %s", report.summary())


development_reload = DevelopmentReload()


class ContentReloadMiddleware:
    """With DEBUG on (``make dev``), every page shows the problems of the last content reload
    in a banner (see :class:`DevelopmentReload`); it never loads anything itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.content_problems = development_reload.problems if development_reload.enabled() else []
        return self.get_response(request)
