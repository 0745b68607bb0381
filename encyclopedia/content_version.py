"""The content version: one string naming what is loaded, and how pages learn it.

A load computes it (``encyclopedia.build``: a hash of every entry's digest, the data
files and the rendering code) and stores it in ``ContentState.version``, in the same
transaction as everything else.  Every page's ETag and page-cache key start from it
(``encyclopedia.caching``), so pages ask for it on every request:

- :func:`stored`: read from the database, one single-row query;
- :func:`current`: what a page uses: the version announced to this worker, else
  :func:`stored`, optionally remembered for ``CONTENT_VERSION_SECONDS``.

On SQLite reading it costs microseconds; on PostgreSQL it is a round trip per page,
which halved page throughput in ``bench/http.py``.  So on PostgreSQL each worker
process keeps one extra connection that ``LISTEN``s on :data:`CHANNEL`, in a daemon
thread, and holds the latest version in memory.  A load announces its new version
with ``NOTIFY`` inside its transaction (:func:`announce`); PostgreSQL delivers it at
commit, to every machine, in a few milliseconds, so a reload still reaches every worker
at once.

Whenever the watcher is not sure (before its first read, after its connection broke,
while it reconnects) :func:`watched` answers None and the caller reads the version from
the database as before.  Every :data:`RESYNC_SECONDS` the watcher also reads the
version itself, which both checks the connection and catches anything missed.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db import connection as default_connection

from .models import ContentState

logger = logging.getLogger("encyclopedia.content_version")

CHANNEL = "immunoref_content"
RESYNC_SECONDS = 30.0
RETRY_SECONDS = (1, 2, 5, 10, 30)
PROBE = "probe:"
PROBE_SECONDS = 5.0


def announce(version: str) -> None:
    """Tell every listening worker the new version (delivered when the load's transaction commits)."""
    if default_connection.vendor == "postgresql":
        with default_connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, version])


def enabled() -> bool:
    return default_connection.vendor == "postgresql" and settings.WATCH_CONTENT_VERSION


class _Watcher:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: str | None = None
        self.sure = False
        self.pid = 0  # the process the thread runs in: a forked worker starts its own
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def current(self) -> str | None:
        if self.pid != os.getpid():
            self._start()
        return self.version if self.sure else None

    def _start(self) -> None:
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.version, self.sure = os.getpid(), None, False
            params = default_connection.get_connection_params()  # as Django connects: every OPTION honoured
            self.thread = threading.Thread(target=self._run, args=(params,), name="content-version-watch",
                                           daemon=True)
            self.thread.start()

    def stop(self) -> None:
        """Stop listening and close the connection (within RESYNC_SECONDS)."""
        self.stopping.set()
        self.sure = False
        if self.thread is not None:
            self.thread.join(timeout=RESYNC_SECONDS + 10)

    def _set(self, version: str | None) -> None:
        self.version, self.sure = version, True

    def _run(self, params: dict) -> None:
        failures = 0
        while not self.stopping.is_set():
            try:
                with _connect(params) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if not _hears_itself(conn):
                        # A pooler in transaction mode (PgBouncer) accepts LISTEN but never
                        # delivers: stay unsure for good, so pages read the version themselves.
                        logger.warning("content version watch: notifications do not arrive on this connection "
                                       "(a transaction-mode pooler?); pages read the version from the database")
                        self.stopping.wait()
                        return
                    self._set(_read_version(conn))  # after LISTEN: nothing committed later is missed
                    failures = 0
                    while not self.stopping.is_set():
                        for notify in conn.notifies(timeout=RESYNC_SECONDS):
                            if not notify.payload.startswith(PROBE):
                                self._set(notify.payload or None)
                        self._set(_read_version(conn))
            except Exception as exc:  # the connection broke: pages read the version themselves meanwhile
                self.sure = False
                wait = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                logger.warning("content version watch: %s; pages read the version from the database; "
                               "retrying in %s s", exc, wait)
                self.stopping.wait(wait)


def _hears_itself(conn) -> bool:
    """Whether a NOTIFY sent on this connection comes back to it (PostgreSQL delivers a
    session's own notifications to it when it listens)."""
    probe = f"{PROBE}{os.getpid()}"
    conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, probe])
    deadline = time.monotonic() + PROBE_SECONDS
    while time.monotonic() < deadline:
        for notify in conn.notifies(timeout=max(0.01, deadline - time.monotonic())):
            if notify.payload == probe:
                return True
    return False


def _connect(params: dict):
    import psycopg

    return psycopg.connect(**{"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 30, **params,
                              "autocommit": True})


def _read_version(conn) -> str | None:
    row = conn.execute(f"SELECT version FROM {ContentState._meta.db_table} WHERE id = 1").fetchone()
    return row[0] if row and row[0] else None


_watcher = _Watcher()


def watched() -> str | None:
    """The version as last announced, or None when the caller must read it from the database."""
    if not enabled():
        return None
    return _watcher.current()


def stored() -> str | None:
    """The loaded content's version, read with one query; None when nothing is loaded
    or the database cannot answer (the page then is served, uncached)."""
    connection = connections[router.db_for_read(ContentState)]
    table = connection.ops.quote_name(ContentState._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT version FROM {table} WHERE id = 1")
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return row[0] if row and row[0] else None


_remembered: tuple[float, str | None] = (0.0, None)  # (until, version), shared by the threads of a worker


def current() -> str | None:
    """The version a page is built for: as announced to this worker, else :func:`stored`;
    remembered for ``CONTENT_VERSION_SECONDS`` (default 0: asked on every request, so a
    reload shows at once).  A few seconds save a database round trip per page where that
    matters (PostgreSQL on another machine, no watcher), and delay a reload by at most that."""
    global _remembered
    seconds = settings.CONTENT_VERSION_SECONDS
    if seconds <= 0:
        return _latest()
    until, version = _remembered
    now = time.monotonic()
    if now >= until or version is None:
        version = _latest()
        _remembered = (now + seconds, version)
    return version


def _latest() -> str | None:
    version = watched()
    return version if version is not None else stored()
