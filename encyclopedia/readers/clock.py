"""Today's date for reader signals, in UTC (the day a salt lives and counts are kept by)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    return now().astimezone(dt.timezone.utc).date()


def seconds_left_today() -> int:
    current = now().astimezone(dt.timezone.utc)
    midnight = dt.datetime.combine(current.date() + dt.timedelta(days=1), dt.time(), tzinfo=dt.timezone.utc)
    return max(1, int((midnight - current).total_seconds()))
