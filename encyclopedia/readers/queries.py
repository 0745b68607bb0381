"""Searches that found nothing, kept as daily counts only once enough different readers asked.

The search page's script reports a query that showed no result. Until
``IMMUNOREF_QUERY_MIN_READERS`` different readers have asked it on one day, only keyed hashes of
it exist (today's marks, deleted when the day ends), so a name typed once is never stored.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings

from . import clock, counting, identity
from .daystore import day_store
from .models import ZeroResultQuery

MAX_QUERY = 200


def normalise(query: str) -> str:
    """Case, spacing and accents folded: "  Céllules  CAR " → "cellules car"."""
    decomposed = unicodedata.normalize("NFKD", query)
    plain = "".join(" " if unicodedata.category(ch)[0] == "C" else ch
                    for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())[:MAX_QUERY].strip()


def record(request, raw: str) -> bool:
    """Count one reader asking ``raw``; whether the query is now stored."""
    query = normalise(raw)
    if not query:
        return False
    day = clock.today()
    salt = identity.todays_salt(day)
    store = day_store()
    reader = identity.reader_id(request, day)
    if not store.first_time(day, ["q:" + identity.keyed(salt, reader, query)]):
        return False  # this reader asked it already today
    readers = store.increment(day, "qn:" + identity.keyed(salt, "query", query))
    threshold = settings.QUERY_MIN_READERS
    if readers < threshold:
        return False
    counting.add_counts(ZeroResultQuery, ("query", "day"), "count",
                        [(query, day, threshold if readers == threshold else 1)])
    return True
