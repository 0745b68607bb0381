"""The daily prune: what may be kept for a day, or a few months, is deleted when its time is up.

- the salt and the reader marks of every earlier day (so no stored value links to a reader);
- feedback texts older than ``IMMUNOREF_FEEDBACK_DAYS`` (the yes/no answers stay, by date);
- zero-result queries older than ``QUERY_DAYS``.

It runs when a process first needs the new day's salt, and ``manage.py prunesignals`` runs it
on demand (for a cron job).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from . import clock
from .daystore import day_store
from .models import FeedbackAnswer, SignalDrop, ZeroResultQuery

QUERY_DAYS = 90


def prune(today: dt.date | None = None) -> dict[str, int]:
    today = today or clock.today()
    day_store().prune(today)
    texts = (FeedbackAnswer.objects.filter(day__lt=today - dt.timedelta(days=settings.FEEDBACK_DAYS))
             .exclude(text="").update(text=""))
    queries, _ = ZeroResultQuery.objects.filter(day__lt=today - dt.timedelta(days=QUERY_DAYS)).delete()
    drops, _ = SignalDrop.objects.filter(day__lt=today - dt.timedelta(days=QUERY_DAYS)).delete()
    return {"feedback_texts": texts, "queries": queries, "drops": drops}
