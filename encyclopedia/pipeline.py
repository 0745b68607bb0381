"""Where a file becomes a row: the one load pipeline, for ``loadcontent``, ``make dev`` and the tests.

    find what changed  →  prepare  →  write
    (changes.py)          (build.py)   (sync.py, one transaction)

:func:`load_content` runs the three steps under a lock, as Sphinx's builders do: a full
load and a quick reload differ only in the change set they pass on (every file, or the
entry files whose bytes changed).  When the changed files turn out to reach other entries
(a title, alias, draft flag or section id changed, or a problem needs the full messages),
``prepare`` says so and the same steps run again with every file.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from .build import prepare
from .changes import EVERYTHING, file_stamps, find_changes
from .sync import LoadReport, StoredInDatabase, write, write_unchanged


class LoadBusy(Exception):
    """Another load is running."""


_MEMORY_DB_LOCK = threading.Lock()
_BUSY = "another content load is running; wait for it to finish and try again"


@contextlib.contextmanager
def load_lock():
    """One load at a time: a second one is refused with a clear message."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [0x1AAC0DE])
            if not cursor.fetchone()[0]:
                raise LoadBusy(_BUSY)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [0x1AAC0DE])
        return
    name = settings.DATABASES["default"]["NAME"]
    if str(name) in {":memory:", ""} or "mode=memory" in str(name):
        # An in-memory database (the tests') belongs to this process: so does its lock.
        if not _MEMORY_DB_LOCK.acquire(blocking=False):
            raise LoadBusy(_BUSY)
        try:
            yield
        finally:
            _MEMORY_DB_LOCK.release()
        return
    handle = open(Path(f"{name}.load.lock"), "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LoadBusy(_BUSY) from None
        yield
    finally:
        handle.close()


def load_content(content_dir=None, *, processes=None, on_progress=None, force: bool = False) -> LoadReport:
    """Read, check, render and store what changed in the content folder.  Raises ContentError or LoadBusy."""
    started = time.monotonic()
    content_dir = Path(content_dir or settings.CONTENT_DIR)
    with load_lock():
        stored = StoredInDatabase()
        changes = find_changes(content_dir, stored.file_stamps, force=force)
        if changes.nothing:
            write_unchanged(changes.stamps if changes.looked_again else None)
            report = LoadReport(unchanged=stored.entry_count, version=stored.version, everything=False)
        else:
            options = {"processes": processes, "on_progress": on_progress, "force": force}
            prepared = prepare(content_dir, changes, stored, **options)
            if prepared is None:  # the change reaches other entries: prepare every file
                changes = EVERYTHING
                prepared = prepare(content_dir, changes, stored, **options)
            stamps = file_stamps(prepared) if changes.everything else \
                {**changes.stamps, "digests": {**changes.stamps["digests"], **prepared.digests}}
            report = write(prepared, stored, stamps)
    report.seconds = time.monotonic() - started
    return report
