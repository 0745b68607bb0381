"""Counting reads without slowing pages: a bounded buffer per worker, written every few seconds.

A read beacon only adds a mark ("this reader read this entry today") to this process's buffer.
A background thread writes the buffer every ``FLUSH_SECONDS`` (and at exit): the marks not yet
seen today (``daystore.first_time``, so a reader counts once per entry and day across every
worker and machine), then every entry's new reads in one upserting statement. A full buffer
drops what does not fit and counts the drops; a database error drops the batch and logs it.
Neither ever reaches a reader.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import Counter

from django.db import close_old_connections, transaction

from . import clock, counting, identity
from .daystore import day_store
from .models import EntryReadDay, SignalDrop

logger = logging.getLogger(__name__)
FLUSH_SECONDS = 5.0  # at most 10 (issue 15)
MAX_PENDING = 10_000


class ReadBuffer:
    def __init__(self, limit: int = MAX_PENDING, interval: float = FLUSH_SECONDS):
        self.limit = limit
        self.interval = interval
        self.pending: dict[tuple, str] = {}  # (day, mark key) -> slug
        self.dropped: Counter = Counter()  # day -> reads dropped because the buffer was full
        self.lock = threading.Lock()
        self.flush_lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def add(self, day, mark: str, slug: str) -> None:
        with self.lock:
            if (day, mark) in self.pending:
                return
            if len(self.pending) >= self.limit:
                self.dropped[day] += 1
                return
            self.pending[(day, mark)] = slug
        self._start()

    def _start(self) -> None:
        if self.interval <= 0:  # no background writer (tests): flush() writes
            return
        if self.thread is None or not self.thread.is_alive():
            with self.lock:
                if self.thread is None or not self.thread.is_alive():
                    self.thread = threading.Thread(target=self._run, name="reader-signals", daemon=True)
                    self.thread.start()

    def _run(self) -> None:
        while not self.stopping.wait(self.interval):
            close_old_connections()  # this thread's own connection: reconnect after an outage
            self.flush()

    def flush(self) -> int:
        """Write what is buffered; the number of new reads counted."""
        with self.flush_lock:
            with self.lock:
                pending, self.pending = self.pending, {}
                dropped, self.dropped = self.dropped, Counter()
            if not pending and not dropped:
                return 0
            try:
                return self._write(pending, dropped)
            except Exception:  # the database or the shared cache: never a reader's problem
                logger.warning("reader signals: %d read(s) not counted; the store is unavailable", len(pending),
                               exc_info=True)
                return 0

    @staticmethod
    def _write(pending: dict, dropped: Counter) -> int:
        by_day: dict = {}
        for (day, mark), slug in pending.items():
            by_day.setdefault(day, {})[mark] = slug
        reads: Counter = Counter()
        store = day_store()
        for day, marks in by_day.items():
            for mark in store.first_time(day, list(marks)):
                reads[(marks[mark], day)] += 1
        with transaction.atomic():
            counting.add_counts(EntryReadDay, ("slug", "day"), "reads",
                                [(slug, day, count) for (slug, day), count in sorted(reads.items())])
            counting.add_counts(SignalDrop, ("day", "kind", "slug"), "count",
                                [(day, "read-buffer-full", "", count) for day, count in sorted(dropped.items())])
        if dropped:
            logger.warning("reader signals: %d read(s) dropped, the buffer was full", sum(dropped.values()))
        return sum(reads.values())

    def stop(self) -> None:
        self.stopping.set()
        self.flush()


buffer = ReadBuffer()
atexit.register(buffer.flush)


def record_read(request, slug: str) -> None:
    """Buffer one read of ``slug`` by this request's reader (counted once per reader and day)."""
    day = clock.today()
    buffer.add(day, "read:" + identity.keyed(identity.todays_salt(day), identity.reader_id(request, day), slug), slug)
