"""Entry versions: kept for good, each with a permanent address; their texts compressed and stored once.

- :class:`EntryHistory`: the life of one entry.  It follows the entry through a rename
  (``redirect_from``; the old slugs become :class:`HistoryAlias` rows) and outlives its
  removal (``removed_at``).  A new entry that reuses a removed slug starts a history of its own.
- :class:`EntryVersion`: version *n* of a history.  Never renumbered or rewritten: only
  withdrawal (``withdrawn_at``, ``withdrawn_reason``) may be set later; the record stays.
- :class:`StoredText`: a text (source Markdown or page body) compressed by the application
  (zlib, so the stored bytes are the same on SQLite and PostgreSQL), keyed by the SHA-256 of
  the text: identical texts are stored once, whatever versions use them.
"""

from __future__ import annotations

import hashlib
import zlib

from django.db import models
from django.urls import reverse

COMPRESSION_LEVEL = 1  # a full load compresses every page it records: speed over the last 15 % of size


class ImmutableVersion(Exception):
    """A recorded version was asked to change (only withdrawal may be set)."""


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoredTextQuerySet(models.QuerySet):
    def ensure(self, texts: list[str]) -> dict[str, int]:
        """The primary keys of these texts by their digest, storing the ones not stored yet."""
        wanted = {text_digest(text): text for text in texts}
        found = dict(self.filter(digest__in=list(wanted)).values_list("digest", "pk"))
        missing = [StoredText(digest=digest, size=len(text.encode("utf-8")),
                              data=zlib.compress(text.encode("utf-8"), COMPRESSION_LEVEL))
                   for digest, text in wanted.items() if digest not in found]
        if missing:
            self.bulk_create(missing, batch_size=200)
            found.update(self.filter(digest__in=[item.digest for item in missing]).values_list("digest", "pk"))
        return found


class StoredText(models.Model):
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the UTF-8 text
    size = models.IntegerField()  # bytes before compression
    data = models.BinaryField()  # zlib

    objects = StoredTextQuerySet.as_manager()

    @property
    def text(self) -> str:
        return zlib.decompress(bytes(self.data)).decode("utf-8")


class EntryHistory(models.Model):
    slug = models.SlugField(max_length=200, db_index=True)  # the entry's slug now (or when it was removed)
    title = models.CharField(max_length=300)
    started_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["slug", "removed_at"])]

    def __str__(self) -> str:
        return self.slug


class HistoryAlias(models.Model):
    """A slug a history had before a rename: its version addresses answer 301 to the new ones."""

    old_slug = models.SlugField(max_length=200, unique=True)
    history = models.ForeignKey(EntryHistory, on_delete=models.CASCADE, related_name="aliases")


class EntryVersionQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-number")


class EntryVersion(models.Model):
    history = models.ForeignKey(EntryHistory, on_delete=models.PROTECT, related_name="versions")
    number = models.IntegerField()
    loaded_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    notes = models.JSONField(default=list)  # [[ISO date, note], …]: the notes new since the version before
    source = models.ForeignKey(StoredText, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey(StoredText, on_delete=models.PROTECT, related_name="+")
    # Of the readable text (history.readable.readable_digest); "" when not needed when recorded.
    readable_digest = models.CharField(max_length=64, blank=True)
    reconstructed = models.BooleanField(default=False)  # rebuilt from the editors' git history
    commit = models.CharField(max_length=40, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    objects = EntryVersionQuerySet.as_manager()

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_reason"})

    class Meta:
        ordering = ["history", "number"]
        constraints = [models.UniqueConstraint(fields=["history", "number"], name="unique_version_number")]
        indexes = [models.Index(fields=["-loaded_at", "-id"], name="version_recent")]

    def __str__(self) -> str:
        return f"{self.history_id} v{self.number}"

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk is not None and (update_fields is None or not set(update_fields) <= self.WITHDRAWAL_FIELDS):
            raise ImmutableVersion("a recorded version is never rewritten; only its withdrawal may be set")
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion("a recorded version is never deleted; withdraw it instead")

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def url_for(self, slug: str) -> str:
        return reverse("entry-version", args=[slug, self.number])
