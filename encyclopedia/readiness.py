"""Whether the database can serve pages, and what the site says when it cannot.

A database that is missing, unreachable or not migrated is an operator's problem, not a
visitor's: the server says so clearly when it starts (``report_at_startup``, called
from ``immunoref/wsgi.py`` and the ``runserver`` command), and every page answers
``503 Service Unavailable`` with a short, friendly page (no detail) until it is fixed,
instead of a 500 error.  Once the database is ready a process never checks again; while
it is not, it looks again every few seconds, so ``migrate`` and ``loadcontent`` run
after the server started bring the site up without a restart.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.db import DatabaseError, connections
from django.shortcuts import render

from .caching import stored_page

logger = logging.getLogger("encyclopedia.readiness")

RECHECK_SECONDS = 5.0
RETRY_AFTER_SECONDS = 30


class _Readiness:
    def __init__(self) -> None:
        self.ready = False
        self.problem: str | None = None
        self.checked_at = float("-inf")
        self.lock = threading.Lock()

    def current_problem(self, *, force: bool = False) -> str | None:
        """None when pages can be served, else what the operator must do (checked now and then)."""
        if self.ready and not force:
            return None
        with self.lock:
            now = time.monotonic()
            if not force and now - self.checked_at < RECHECK_SECONDS:
                return self.problem
            if force and now - self.checked_at < 1.0:
                return self.problem  # a burst of failing requests checks once a second at most
            from .sync import database_ready

            problem = database_ready()
            self.checked_at = now
            if problem and problem != self.problem:
                logger.error("ImmunoRef cannot serve pages: %s", problem)
            elif problem is None and not self.ready:
                logger.info("the database is ready")
            self.problem, self.ready = problem, problem is None
            return problem


readiness = _Readiness()


def report_at_startup(stream=None) -> str | None:
    """Say at start-up, in one plain line, why pages cannot be served (and close connections,
    since a server may fork workers after this)."""
    stream = stream or sys.stderr
    try:
        problem = readiness.current_problem(force=True)
    finally:
        connections.close_all()
    if problem:
        one_line = " ".join(problem.split())
        stream.write(f"ImmunoRef: {one_line}. Until then every page answers 503 (Service Unavailable).\n")
        stream.flush()
    from .page_store import shared_cache_problem

    if cache_problem := shared_cache_problem():  # pages are still served: said, not fatal
        stream.write(f"ImmunoRef: {cache_problem}.\n")
        stream.flush()
    return problem


def unavailable(request):
    response = render(request, "encyclopedia/503.html", {"request_id": getattr(request, "request_id", "")},
                      status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseReadyMiddleware:
    """503 with a friendly page while the database cannot serve pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if readiness.current_problem():
            return stored_page(request) or unavailable(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A query failed: if the database itself is the trouble, answer 503 (logged), else let
        the error page handle it."""
        if not isinstance(exception, DatabaseError):
            return None
        readiness.ready = False
        if readiness.current_problem(force=True):
            logger.error("a page failed because the database is not available", exc_info=exception)
            return stored_page(request) or unavailable(request)
        return None


def unreachable_database() -> str | None:
    """None when the database answers, else one plain line naming it (password hidden) and what to check."""
    connection = connections["default"]
    try:
        connection.ensure_connection()
    except Exception as exc:  # each driver raises its own errors
        settings = connection.settings_dict
        where = (f"PostgreSQL database `{settings.get('NAME')}` on {settings.get('HOST') or 'the local socket'}"
                 f"{':' + str(settings['PORT']) if settings.get('PORT') else ''}"
                 if connection.vendor == "postgresql" else f"SQLite database {settings.get('NAME')}")
        detail = " ".join(str(exc).split())[:300]
        fix = ("check DATABASE_URL, and that the server is running and accepts this user"
               if connection.vendor == "postgresql" else "check DATABASE_URL, and that its folder exists and is writable")
        return f"cannot reach the {where} ({detail}); {fix}"
    finally:
        connection.close()
    return None
