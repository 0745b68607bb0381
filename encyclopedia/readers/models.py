"""What reader signals store: daily counts and answers, nothing that identifies a reader.

``DailySalt`` and ``ReaderMark`` hold only today's rows (when no shared cache is configured);
the daily prune deletes every earlier row (``encyclopedia.readers.prune``).
"""

from __future__ import annotations

from django.db import models


class DailySalt(models.Model):
    """Today's random salt for reader hashes; deleted when the day ends."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    class Meta:
        app_label = "encyclopedia"


class ReaderMark(models.Model):
    """A keyed hash seen today ("this reader read this entry") and how often; deleted when the day ends."""

    day = models.DateField()
    key = models.CharField(max_length=80)
    count = models.IntegerField(default=1, db_default=1)

    class Meta:
        app_label = "encyclopedia"
        constraints = [models.UniqueConstraint(fields=["day", "key"], name="reader_mark_day_key")]


class EntryReadDay(models.Model):
    """How many readers read an entry on a day (one read per reader, entry and day)."""

    slug = models.CharField(max_length=200)
    day = models.DateField()
    reads = models.IntegerField(default=0)

    class Meta:
        app_label = "encyclopedia"
        constraints = [models.UniqueConstraint(fields=["slug", "day"], name="entry_read_day")]
        indexes = [models.Index(fields=["day", "slug"])]


class FeedbackAnswer(models.Model):
    """One "Was this page helpful?" answer: the date only, and the text with contact details removed."""

    slug = models.CharField(max_length=200)
    section = models.CharField(max_length=200, blank=True)
    helpful = models.BooleanField()
    text = models.TextField(blank=True)
    day = models.DateField()
    version = models.IntegerField(null=True, blank=True)  # the entry's version, once entries have versions

    class Meta:
        app_label = "encyclopedia"
        indexes = [models.Index(fields=["slug", "day"]), models.Index(fields=["day"])]


class ZeroResultQuery(models.Model):
    """A normalised search that found nothing, counted per day once enough different readers asked it."""

    query = models.CharField(max_length=200)
    day = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        app_label = "encyclopedia"
        constraints = [models.UniqueConstraint(fields=["query", "day"], name="zero_result_query_day")]


class SignalDrop(models.Model):
    """Signals not kept, per day and kind: a full read buffer, feedback texts past an entry's daily cap."""

    day = models.DateField()
    kind = models.CharField(max_length=40)
    slug = models.CharField(max_length=200, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        app_label = "encyclopedia"
        constraints = [models.UniqueConstraint(fields=["day", "kind", "slug"], name="signal_drop_day_kind")]
