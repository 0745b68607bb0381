"""Today's salt and today's marks, kept only for the day.

With a shared cache configured (``IMMUNOREF_CACHE_URL``: Redis or Memcached, shared by every
worker and machine) they live there and expire at midnight UTC; otherwise in two small tables
(``DailySalt``, ``ReaderMark``) that the daily prune empties of every earlier day. Either way
counts are right across worker processes and machines.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction

from . import clock, counting
from .models import DailySalt, ReaderMark


class TableDayStore:
    """Salt and marks in the database (the default: no shared cache)."""

    def salt(self, day: dt.date) -> str:
        found = DailySalt.objects.filter(day=day).values_list("salt", flat=True).first()
        if found:
            return found
        try:
            with transaction.atomic():
                return DailySalt.objects.create(day=day, salt=secrets.token_hex(32)).salt
        except IntegrityError:  # another worker made today's salt first
            return DailySalt.objects.get(day=day).salt

    def first_time(self, day: dt.date, keys: list[str]) -> list[str]:
        return counting.insert_new(ReaderMark, {"day": day}, "key", sorted(set(keys)))

    def increment(self, day: dt.date, key: str) -> int:
        return counting.increment(ReaderMark, ("day", "key"), (day, key), "count")

    def prune(self, today: dt.date) -> None:
        DailySalt.objects.filter(day__lt=today).delete()
        ReaderMark.objects.filter(day__lt=today).delete()


class CacheDayStore:
    """Salt and marks in the shared cache, expiring when the day ends."""

    @staticmethod
    def _key(day: dt.date, name: str) -> str:
        return f"readers:{day.isoformat()}:{name}"

    def salt(self, day: dt.date) -> str:
        key = self._key(day, "salt")
        cache.add(key, secrets.token_hex(32), clock.seconds_left_today())
        found = cache.get(key)
        if not found:
            raise ConnectionError("the shared cache did not keep today's salt")
        return found

    def first_time(self, day: dt.date, keys: list[str]) -> list[str]:
        seconds = clock.seconds_left_today()
        return [key for key in sorted(set(keys)) if cache.add(self._key(day, key), 1, seconds)]

    def increment(self, day: dt.date, key: str) -> int:
        full = self._key(day, key)
        cache.add(full, 0, clock.seconds_left_today())
        return cache.incr(full)

    def prune(self, today: dt.date) -> None:
        cache.delete(self._key(today - dt.timedelta(days=1), "salt"))  # expired already; never kept longer


def day_store():
    return CacheDayStore() if settings.SHARED_CACHE else TableDayStore()
