"""What the site serves: entries with their stored, pre-rendered HTML, and what links them.

Nothing here parses Markdown: the loader renders once and stores the result.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse

from .addresses import entry_url
from .dates import add_months
from .study_types import label as study_type_label


class Category(models.Model):
    key = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    order = models.IntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("category-detail", args=[self.key])


# An entry's stored page and text: loaded for its own page only, never for a list or a link to it.
PAGE_FIELDS = ("body_html", "plain_text", "toc", "headings_text", "front_matter", "dep_keys", "section_ids",
               "section_previews")


def page_fields_of(relation: str) -> list[str]:
    """PAGE_FIELDS of the entry reached through ``relation``, for ``defer()``."""
    return [f"{relation}__{name}" for name in PAGE_FIELDS]


class EntryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(draft=False)

    def visible(self, include_drafts: bool = False):
        return self if include_drafts else self.published()

    def listing(self):
        """Only the columns lists of entries need (never the stored HTML: see PAGE_FIELDS)."""
        return self.only("slug", "title", "summary", "category_id", "reviewed", "draft")


class Entry(models.Model):
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="entries")
    aliases = models.JSONField(default=list)
    reviewed = models.DateField()
    draft = models.BooleanField(default=False)
    timeline = models.BooleanField(default=False)
    diagram = models.CharField(max_length=50, blank=True)
    codes = models.JSONField(default=list)  # [{"system": "icd10cm", "code": "D89.831"}]: encyclopedia/clinical

    source_path = models.CharField(max_length=500)
    source_hash = models.CharField(max_length=64)
    render_hash = models.CharField(max_length=64)
    dep_keys = models.JSONField(default=dict)  # names found in the source: links, citations, terms
    front_matter = models.JSONField(default=dict)  # as read, so an unchanged file is not parsed again

    body_html = models.TextField()
    toc = models.JSONField(default=list)
    section_ids = models.JSONField(default=list)
    # {section id: {"title", "text"}}: each section's heading and first sentences, taken from this
    # entry's own HTML at load time (encyclopedia/previews/sections.py), for previews of links to it.
    section_previews = models.JSONField(default=dict)
    plain_text = models.TextField(blank=True)
    headings_text = models.TextField(blank=True)
    word_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField()

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["category", "title"]), models.Index(fields=["-reviewed"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return entry_url(self.slug)

    @property
    def next_review_due(self) -> dt.date:
        return add_months(self.reviewed, settings.REVIEW_INTERVAL_MONTHS)


class Redirect(models.Model):
    """An old slug (``redirect_from``) that answers 301 to its entry."""

    old_slug = models.SlugField(max_length=200, unique=True)
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="redirects")


class RemovedEntry(models.Model):
    """An entry whose file is gone: its URL answers 410 Gone."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    removed_at = models.DateTimeField()


class Reference(models.Model):
    key = models.CharField(max_length=200, unique=True)
    text = models.TextField()  # Vancouver-style plain text
    csl = models.JSONField(default=dict)
    doi = models.CharField(max_length=300, blank=True)
    pmid = models.CharField(max_length=20, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    study_type = models.CharField(max_length=40, blank=True, db_index=True)  # encyclopedia.study_types

    class Meta:
        ordering = ["text"]

    def __str__(self) -> str:
        return self.key

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def study_type_label(self) -> str:
        return study_type_label(self.study_type)


class Citation(models.Model):
    """One reference as cited by one entry: its number there and the sections citing it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="citations")
    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="citations")
    number = models.IntegerField()
    sections = models.JSONField(default=list)

    class Meta:
        ordering = ["entry", "number"]
        constraints = [models.UniqueConstraint(fields=["entry", "reference"], name="unique_citation")]


class Link(models.Model):
    """A cross-link from one entry to another (a section of it)."""

    source = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="links_in")
    section = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target", "section"], name="unique_link")]


class GlossaryTerm(models.Model):
    key = models.SlugField(max_length=200, unique=True)
    term = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=50, blank=True)
    definition = models.TextField()
    entry = models.ForeignKey(Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="glossary_terms")
    also = models.JSONField(default=list)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term


class TimelineStep(models.Model):
    key = models.SlugField(max_length=100, unique=True)
    order = models.IntegerField()
    title = models.CharField(max_length=200)
    duration = models.CharField(max_length=200)
    text = models.TextField()
    entry_slug = models.CharField(max_length=200, blank=True)
    references = models.JSONField(default=list)  # [{"key":…, "text":…, "doi_url":…, "pubmed_url":…}]

    class Meta:
        ordering = ["order"]


class ContentState(models.Model):
    """One row: what the last load stored besides the content (written in its transaction)."""

    version = models.CharField(max_length=64)  # of what is loaded, for ETags and page-cache keys
    loaded_at = models.DateTimeField()
    entry_count = models.IntegerField(default=0)
    files = models.JSONField(default=dict)  # hashes of the data files read, to skip parsing them again
    file_stamps = models.JSONField(default=dict)  # each file's stat stamp and more: see encyclopedia.changes


# Search's own tables (vocabulary, names, synonyms) live with the search package.
from .search.models import SearchName, SearchSynonym, SearchTerm  # noqa: E402,F401
from .readers.models import (  # noqa: E402,F401
    DailySalt, EntryReadDay, FeedbackAnswer, ReaderMark, SignalDrop, ZeroResultQuery,
)
# Entry history's tables (versions, their stored texts) live with the history package.
from .history.models import EntryHistory, EntryVersion, HistoryAlias, StoredText  # noqa: E402,F401
