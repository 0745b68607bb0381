"""Every page is built from one consistent snapshot of the content.

A page reads several tables (the entry, its topic, backlinks, citations…).  Read one by
one, in autocommit, a load that commits between two of those reads would give a page that
mixes two loads.  So page views (GET and HEAD, after the page-cache lookup: this
middleware sits last) read inside one read transaction:

- PostgreSQL: a ``REPEATABLE READ`` transaction on the usual connection; every query of
  the page sees the database as of its first query.  The level rides on the ``BEGIN``
  (:func:`_repeatable_read`), so a page costs no statement more than without it.
- SQLite: a deferred ``BEGIN`` on a second, read-only connection to the same WAL-mode file
  (the ``pages`` database alias in settings): a WAL reader keeps the snapshot of
  its first read until it ends, and waits for no writer.  The default connection's
  ``BEGIN IMMEDIATE`` (what loads use) would queue every page behind a load.  The ORM's
  reads go there through ``SnapshotRouter``; writes (loads, any POST endpoint, a write
  inside a GET) keep the default connection and their own transactions.

Nothing changes when the default connection is already inside a transaction (a test's,
or a caller's ``atomic``: already one snapshot), or for an in-memory SQLite database
(tests: one shared connection).  If the transaction cannot begin because the database is
down, the view runs as before and the readiness middleware answers 503.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

try:
    from psycopg import IsolationLevel

    REPEATABLE_READ = IsolationLevel.REPEATABLE_READ
except ImportError:  # SQLite only: PostgreSQL's level is never asked for
    REPEATABLE_READ = None

SNAPSHOT_ALIAS = "pages"
READ_METHODS = frozenset({"GET", "HEAD"})

_state = threading.local()


def reading_snapshot() -> bool:
    return getattr(_state, "alias", None) == SNAPSHOT_ALIAS


class SnapshotRouter:
    """While a SQLite page view runs, the ORM reads through the read-only ``pages`` connection."""

    def db_for_read(self, model, **hints):
        return SNAPSHOT_ALIAS if reading_snapshot() else None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS  # never the read-only connection, even for a row read through it

    def allow_relation(self, first, second, **hints):
        if {first._state.db, second._state.db} <= {DEFAULT_DB_ALIAS, SNAPSHOT_ALIAS}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == SNAPSHOT_ALIAS else None


def _snapshot_alias() -> str | None:
    """Which connection a page view should read in, or None to leave it as it is."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.in_atomic_block:
        return None
    if default.vendor == "sqlite":
        if default.is_in_memory_db() or SNAPSHOT_ALIAS not in connections.settings:
            return None
        return SNAPSHOT_ALIAS
    return DEFAULT_DB_ALIAS


@contextmanager
def page_snapshot():
    """Run the block inside one read transaction (see the module's docstring)."""
    alias = _snapshot_alias()
    if alias is None:
        yield
        return
    restore = _nothing
    try:
        atomic = transaction.atomic(using=alias)
        atomic.__enter__()
        if connections[alias].vendor == "postgresql":
            restore = _repeatable_read(connections[alias])
    except DatabaseError:
        # Down or unreachable: read as before; the view's own query fails and is answered 503.
        try:
            atomic.__exit__(None, None, None)
        except Exception:
            pass
        restore()
        yield
        return
    _state.alias = alias
    try:
        yield
    except BaseException as exc:
        _state.alias = None
        try:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
        finally:
            restore()
        raise
    _state.alias = None
    try:
        atomic.__exit__(None, None, None)
    except DatabaseError:
        pass  # a read-only transaction has nothing to lose; the page was already built
    finally:
        restore()


def _nothing() -> None:
    pass


def _repeatable_read(connection):
    """Make the transaction just opened (no query sent yet) REPEATABLE READ; return what puts
    the connection back as it was.  With psycopg 3 the level goes on the connection, and so on
    the ``BEGIN`` that psycopg sends before the first query: one round trip fewer on every page
    than a ``SET TRANSACTION`` statement, which remains the way with any other driver."""
    raw = connection.connection
    try:
        previous = raw.isolation_level
        raw.isolation_level = REPEATABLE_READ
    except Exception:  # not psycopg 3, or a query was already sent in this transaction
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        return _nothing

    def restore() -> None:
        try:
            raw.isolation_level = previous  # later transactions (loads, POSTs) keep their own level
        except Exception:  # not idle (broken): never reuse it with this level
            connection.close()

    return restore


class ReadSnapshotMiddleware:
    """GET and HEAD views read one consistent snapshot (last in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_METHODS:
            return self.get_response(request)
        with page_snapshot():
            return self.get_response(request)
