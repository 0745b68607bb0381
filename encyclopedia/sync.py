"""Write a prepared content set to the database in one transaction.

All or nothing: either every change lands (entries, links, citations, glossary,
timeline, redirects, removals, the search index and the content version) or none
does, and readers keep seeing the previous content until the commit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import search
from .bibliography import vancouver_text
from .bulk import chunks, insert_rows, update_column
from .build import Prepared, StoredEntry, prepare
from .history.load_hook import record_load
from .loader import REFERENCES_FILE
from .parse_cache import READER_FINGERPRINT, Known, reference_record, snapshot
from .version_watch import announce
from .models import (
    Category, Citation, ContentState, Entry, GlossaryTerm, Link, Redirect, Reference, RemovedEntry, TimelineStep,
)


class LoadBusy(Exception):
    """Another load is running."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0
    seconds: float = 0.0
    version: str = ""

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.removed} removed in {self.seconds:.1f} s")


def stored_entries() -> dict[str, StoredEntry]:
    rows = Entry.objects.values_list("slug", "source_hash", "render_hash", "section_ids", "dep_keys", "front_matter")
    return {slug: StoredEntry(source, render, list(ids or []), deps or {}, front or {})
            for slug, source, render, ids, deps, front in rows}


_MEMORY_DB_LOCK = threading.Lock()


def known_content(stored: dict[str, StoredEntry]) -> Known:
    """What the last load stored, for reading only what changed (see parse_cache)."""
    state = ContentState.objects.filter(pk=1).values_list("files", flat=True).first() or {}

    def references() -> dict:
        records = [reference_record(csl) for csl in Reference.objects.values_list("csl", flat=True)]
        return {record.id: record for record in sorted(records, key=lambda record: record.line)}

    return Known(entries={slug: (item.source_hash, item.front_matter) for slug, item in stored.items()},
                 files=state, references=references)


@contextlib.contextmanager
def load_lock():
    """One load at a time: a second one is refused with a clear message."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [0x1AAC0DE])
            if not cursor.fetchone()[0]:
                raise LoadBusy("another content load is running; wait for it to finish and try again")
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
            raise LoadBusy("another content load is running; wait for it to finish and try again")
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
            raise LoadBusy("another content load is running; wait for it to finish and try again") from None
        yield
    finally:
        handle.close()


def load_content(content_dir=None, *, processes=None, on_progress=None, force: bool = False) -> LoadReport:
    """Read, check, render and store the content folder.  Raises ContentError or LoadBusy."""
    started = time.monotonic()
    content_dir = Path(content_dir or settings.CONTENT_DIR)
    with load_lock():
        if not force:
            from .incremental import quick_load

            report = quick_load(content_dir, processes=processes)
            if report is not None:
                report.seconds = time.monotonic() - started
                return report
        stored = stored_entries()
        prepared = prepare(content_dir, stored, processes=processes, on_progress=on_progress, force=force,
                           known=known_content(stored))
        report = write(prepared)
    report.seconds = time.monotonic() - started
    return report


def _entry_fields(prepared: Prepared, slug: str, categories: dict[str, Category]) -> dict:
    entry = prepared.content.entries[slug]
    return {
        "title": entry.title,
        "summary": entry.summary,
        "category_id": categories[entry.category].pk,
        "aliases": list(entry.aliases),
        "reviewed": entry.reviewed,
        "draft": entry.draft,
        "timeline": entry.timeline,
        "diagram": entry.diagram,
        "source_path": entry.path,
        "source_hash": entry.source_hash,
        "render_hash": prepared.render_hashes[slug],
        "dep_keys": prepared.dep_keys[slug],
        "section_ids": prepared.section_ids.get(slug, []),
        "front_matter": snapshot(entry),
    }


def _rendered_fields(prepared: Prepared, slug: str) -> dict:
    result = prepared.rendered[slug]
    return {
        "body_html": result.html,
        "toc": result.toc,
        "plain_text": result.plain_text,
        "headings_text": result.headings_text,
        "word_count": len(result.plain_text.split()),
    }


# What an unchanged entry is compared on (never the stored HTML or text).
_COMPARED_FIELDS = ("id", "slug", "title", "summary", "category_id", "aliases", "reviewed", "draft", "timeline",
                    "diagram", "source_path", "source_hash", "render_hash", "dep_keys", "section_ids", "front_matter")


@transaction.atomic
def write(prepared: Prepared) -> LoadReport:
    from .incremental import index_of

    report = LoadReport(version=prepared.version)
    content = prepared.content
    now = timezone.now()
    fast_compression()
    record_load(prepared, now, full=True)  # entry history (encyclopedia/history/load_hook.py)
    files = {**content.file_hashes, "reader": READER_FINGERPRINT}
    version, stored_files = ContentState.objects.filter(pk=1).values_list("version", "files").first() or ("", {})
    if not prepared.rendered and version == prepared.version and stored_files.get("reader") == READER_FINGERPRINT:
        # The version hashes everything stored (entries, their render hashes, categories,
        # references, glossary, timeline), and the stored snapshots are of this reader: nothing to write.
        report.unchanged = len(content.entries)
        # A data file may have changed in a way no record shows (a comment); stat stamps change anyway.
        ContentState.objects.filter(pk=1).update(files=files, index=index_of(prepared))
        search.update_index([])
        return report

    categories = _sync_categories(content)
    unchanged_references = (stored_files.get("reader") == READER_FINGERPRINT
                            and stored_files.get(REFERENCES_FILE) == files.get(REFERENCES_FILE))
    references = dict(Reference.objects.values_list("key", "pk")) if unchanged_references \
        else _sync_references(content)

    # Plain rows, not model instances: at 10,000 entries building instances costs more than the query.
    existing = {row[1]: dict(zip(_COMPARED_FIELDS, row)) for row in Entry.objects.values_list(*_COMPARED_FIELDS)}
    changed: list[int] = []
    created: list[Entry] = []
    snapshots: list[tuple[dict, int]] = []  # only the parse snapshot differs (new reading code)
    for slug in sorted(content.entries):
        fields = _entry_fields(prepared, slug, categories)
        old = existing.get(slug)
        if old is None:
            created.append(Entry(slug=slug, changed_at=now, **fields, **_rendered_fields(prepared, slug)))
            continue
        metadata_changed = any(old[name] != value for name, value in fields.items() if name != "front_matter")
        if slug in prepared.rendered:
            Entry.objects.filter(pk=old["id"]).update(changed_at=now, **fields, **_rendered_fields(prepared, slug))
        elif metadata_changed:
            Entry.objects.filter(pk=old["id"]).update(**fields)
        else:
            if old["front_matter"] != fields["front_matter"]:
                snapshots.append((fields["front_matter"], old["id"]))
            report.unchanged += 1
            continue
        report.updated += 1
        changed.append(old["id"])
    Entry.objects.bulk_create(created, batch_size=200)
    update_column(Entry, "front_matter", snapshots)
    report.created = len(created)
    changed += [entry.pk for entry in created]
    report.rendered = len(prepared.rendered)

    gone = [old for slug, old in existing.items() if slug not in content.entries]
    if gone:
        search.remove_from_index([old["id"] for old in gone])
        for old in gone:
            RemovedEntry.objects.update_or_create(slug=old["slug"], defaults={"title": old["title"], "removed_at": now})
        Entry.objects.filter(pk__in=[old["id"] for old in gone]).delete()
        report.removed = len(gone)
    back = [pk for pk, slug in RemovedEntry.objects.values_list("pk", "slug") if slug in content.entries]
    RemovedEntry.objects.filter(pk__in=back).delete()

    by_slug = dict(Entry.objects.values_list("slug", "pk"))
    _sync_links_and_citations(prepared, by_slug, references)
    _sync_redirects(content, by_slug)
    _sync_glossary(content, by_slug)
    _sync_timeline(content)
    Category.objects.exclude(key__in=list(content.categories)).delete()
    if not unchanged_references:
        _delete_missing(Reference, content.references)

    search.update_index(changed, rebuild=not existing)
    ContentState.objects.update_or_create(
        pk=1, defaults={"version": prepared.version, "loaded_at": now, "entry_count": len(content.entries),
                        "files": files, "index": index_of(prepared)}
    )
    announce(prepared.version)
    return report


def fast_compression() -> None:
    """PostgreSQL: compress this transaction's long texts (pages of HTML) with lz4, several times
    faster than the default pglz; reading them back is the same.  Servers built without lz4 keep pglz."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL default_toast_compression = 'lz4'")
    except DatabaseError:
        pass


def _sync_categories(content) -> dict[str, Category]:
    categories = {category.key: category for category in Category.objects.all()}
    for key, record in content.categories.items():
        values = {"title": record.title, "order": record.order, "description": record.description}
        category = categories.get(key)
        if category is None:
            categories[key] = Category.objects.create(key=key, **values)
        elif any(getattr(category, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(category, name, value)
            category.save()
    return categories


def _sync_references(content) -> dict[str, int]:
    """Write the references; their primary keys by reference id."""
    references = {reference.key: reference for reference in Reference.objects.all()}
    created = []
    for key, record in content.references.items():
        # Through JSON, as stored (tuples become lists), so an unchanged record compares equal.
        values = {"text": vancouver_text(record), "csl": json.loads(json.dumps(dataclasses.asdict(record))),
                  "doi": record.doi, "pmid": record.pmid, "url": record.url}
        reference = references.get(key)
        if reference is None:
            created.append(Reference(key=key, **values))
        elif any(getattr(reference, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(reference, name, value)
            reference.save()
    for reference in Reference.objects.bulk_create(created, batch_size=500):
        references[reference.key] = reference
    return {key: reference.pk for key, reference in references.items()}


def _delete_missing(model, wanted) -> None:
    """Delete the rows whose key is not wanted (compared here: no query with every key in it)."""
    gone = [pk for pk, key in model.objects.values_list("pk", "key") if key not in wanted]
    if gone:
        model.objects.filter(pk__in=gone).delete()


def _sync_links_and_citations(prepared: Prepared, by_slug: dict[str, int], references: dict[str, int]) -> None:
    rendered = [by_slug[slug] for slug in prepared.rendered]
    for part in chunks(rendered):
        Link.objects.filter(source_id__in=part).delete()
        Citation.objects.filter(entry_id__in=part).delete()
    links, citations = [], []
    for slug, result in prepared.rendered.items():
        source = by_slug[slug]
        for target_slug, section in result.links:
            if target_slug in by_slug:
                links.append((source, by_slug[target_slug], section))
        numbers: dict[str, int] = {}
        sections: dict[str, list[str]] = {}
        for key, number, section in result.citations:
            numbers.setdefault(key, number)
            places = sections.setdefault(key, [])
            if section not in places:
                places.append(section)
        for key, number in numbers.items():
            citations.append((source, references[key], number, sections[key]))
    insert_rows(Link, ("source", "target", "section"), links)
    insert_rows(Citation, ("entry", "reference", "number", "sections"), citations)


def _sync_redirects(content, by_slug) -> None:
    wanted = {old: by_slug[slug] for slug, entry in content.entries.items() for old in entry.redirect_from}
    current = dict(Redirect.objects.values_list("old_slug", "entry_id"))
    if current == wanted:
        return
    Redirect.objects.all().delete()
    Redirect.objects.bulk_create([Redirect(old_slug=old, entry_id=pk) for old, pk in sorted(wanted.items())])
    RemovedEntry.objects.filter(slug__in=list(wanted)).delete()


def _sync_glossary(content, by_slug) -> None:
    wanted = [
        (record.key, record.term, record.abbreviation, record.definition,
         by_slug.get(record.entry), list(record.also))
        for record in content.glossary
    ]
    current = list(GlossaryTerm.objects.order_by("id").values_list("key", "term", "abbreviation", "definition",
                                                                    "entry_id", "also"))
    if current == wanted:
        return
    GlossaryTerm.objects.all().delete()
    GlossaryTerm.objects.bulk_create([
        GlossaryTerm(key=key, term=term, abbreviation=abbreviation, definition=definition, entry_id=entry_id, also=also)
        for key, term, abbreviation, definition, entry_id, also in wanted
    ])


def _sync_timeline(content) -> None:
    references = content.references
    wanted = [
        (step.key, order, step.title, step.duration, step.text, step.entry,
         [{"key": key, "text": vancouver_text(references[key]), "doi_url": references[key].doi_url,
           "pubmed_url": references[key].pubmed_url, "url": references[key].url} for key in step.cite])
        for order, step in enumerate(content.timeline, start=1)
    ]
    current = list(TimelineStep.objects.order_by("order").values_list("key", "order", "title", "duration", "text",
                                                                       "entry_slug", "references"))
    if current == wanted:
        return
    TimelineStep.objects.all().delete()
    TimelineStep.objects.bulk_create([
        TimelineStep(key=key, order=order, title=title, duration=duration, text=text, entry_slug=entry_slug,
                     references=refs)
        for key, order, title, duration, text, entry_slug, refs in wanted
    ])


def database_ready() -> str | None:
    """None when the database is there and migrated, else a message saying what to do."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # the database itself cannot be reached
        return f"the database cannot be opened ({exc}); check DATABASE_URL"
    if plan:
        return "the database is not migrated; run `python manage.py migrate` (or `make run`)"
    return None



