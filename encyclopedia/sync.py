"""The database side of a load: what the last load stored, and the atomic write.

:class:`StoredInDatabase` answers ``build.prepare``'s questions about the last load (its
entries, references and file stamps).  :func:`write` stores a prepared change set in one
transaction.  All or nothing: either every change lands (entries, links, citations,
glossary, timeline, redirects, removals, the search index, the file stamps and the content
version) or none does, and readers keep seeing the previous content until the commit.  A
prepared set of some entries only (a quick reload) writes those entries and what belongs
to them; one of the whole folder compares every stored row and writes what differs.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import search
from .bibliography import vancouver_text
from .addresses import entry_url_maker
from .build import Prepared, Stored, StoredEntry
from .bulk import chunks, insert_rows, update_column
from .datafiles import REFERENCES_FILE
from .fields import FRONT_MATTER
from .previews.sections import section_previews
from .models import (
    Category, Citation, ContentState, Entry, GlossaryTerm, Link, Redirect, Reference, RemovedEntry, TimelineStep,
)
from . import parse_cache
from .parse_cache import Known, reference_record, snapshot
from .records import ReferenceRecord
from .study_types import label as study_type_label
from .rendering import LinkTarget
from .content_version import announce
from .history.load_hook import record_load


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0
    seconds: float = 0.0
    version: str = ""
    everything: bool = True  # every file was read (False: a quick reload of the changed files only)

    def summary(self) -> str:
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
                f"{self.removed} removed in {self.seconds:.1f} s")


class StoredInDatabase(Stored):
    """What the last load stored, read from the database when ``build.prepare`` asks."""

    def __init__(self) -> None:
        row = ContentState.objects.filter(pk=1).values_list("version", "entry_count", "files", "file_stamps").first()
        self.version, self.entry_count, self.files, self.file_stamps = row or ("", 0, {}, {})
        self._all: dict[str, StoredEntry] | None = None

    def entries(self, slugs: list[str] | None = None) -> dict[str, StoredEntry]:
        if slugs is None and self._all is not None:
            return self._all
        names = ("slug", "source_hash", "render_hash", "section_ids", "dep_keys", "front_matter")
        queries = [Entry.objects.all()] if slugs is None else [Entry.objects.filter(slug__in=part) for part in chunks(slugs)]
        found = {slug: StoredEntry(source, render, list(ids or []), deps or {}, front or {})
                 for query in queries for slug, source, render, ids, deps, front in query.values_list(*names)}
        if slugs is None:
            self._all = found
        return found

    def references(self, keys: list[str] | None = None) -> dict[str, ReferenceRecord]:
        queries = [Reference.objects.all()] if keys is None else [Reference.objects.filter(key__in=part)
                                                                  for part in chunks(keys)]
        records = [reference_record(csl) for query in queries for csl in query.values_list("csl", flat=True)]
        return {record.id: record for record in sorted(records, key=lambda record: record.line)}

    def known(self) -> Known:
        return Known(entries={slug: (item.source_hash, item.front_matter) for slug, item in self.entries().items()},
                     files=self.files, references=self.references())

    def link_targets(self, slugs: list[str]) -> dict[str, LinkTarget]:
        entry_url = entry_url_maker()
        return {slug: LinkTarget(slug=slug, title=title, url=entry_url(slug), section_ids=frozenset(ids or ()),
                                 draft=draft)
                for part in chunks(slugs)
                for slug, title, ids, draft in Entry.objects.filter(slug__in=part).values_list(
                    "slug", "title", "section_ids", "draft")}


def entry_columns(prepared: Prepared, slug: str, categories: dict[str, Category]) -> dict:
    """An entry's row, but its rendered page: every stored front-matter field, and what the load knows."""
    entry = prepared.content.entries[slug]
    columns = {item.name: item.column_value(getattr(entry, item.name)) for item in FRONT_MATTER if item.stored}
    columns["category_id"] = categories[columns.pop("category")].pk
    return {
        **columns,
        "source_path": entry.path,
        "source_hash": entry.source_hash,
        "render_hash": prepared.render_hashes[slug],
        "dep_keys": prepared.dep_keys[slug],
        "section_ids": prepared.section_ids.get(slug, []),
        "front_matter": snapshot(entry),
    }


def page_columns(prepared: Prepared, slug: str) -> dict:
    """An entry's rendered page."""
    result = prepared.rendered[slug]
    return {
        "body_html": result.html,
        "toc": result.toc,
        "plain_text": result.plain_text,
        "headings_text": result.headings_text,
        "word_count": len(result.plain_text.split()),
        "section_previews": section_previews(result.html),
    }


# What an unchanged entry is compared on (never the stored HTML or text).
COMPARED_FIELDS = ("id", "slug", *(item.name if item.name != "category" else "category_id"
                                   for item in FRONT_MATTER if item.stored),
                   "source_path", "source_hash", "render_hash", "dep_keys", "section_ids", "front_matter")


def write_unchanged(stamps: dict | None) -> None:
    """Nothing to write but, when files were looked at again, their refreshed stamps."""
    with transaction.atomic():
        if stamps:
            ContentState.objects.filter(pk=1).update(file_stamps=stamps)
        search.update_index([])  # rebuilds a search index that is missing or from other code


@transaction.atomic
def write(prepared: Prepared, stored: StoredInDatabase, stamps: dict) -> LoadReport:
    """Store a prepared change set and its file stamps (see encyclopedia.changes) in one transaction."""
    report = LoadReport(version=prepared.version, rendered=len(prepared.rendered), everything=prepared.everything)
    record_load(prepared, timezone.now(), full=prepared.everything)  # entry history (not under DEBUG)
    content = prepared.content
    fast_compression()
    files = {**content.file_hashes, "reader": parse_cache.reader_fingerprint()} if prepared.everything else stored.files
    same_reader = stored.files.get("reader") == parse_cache.reader_fingerprint()
    if prepared.everything and not prepared.rendered and stored.version == prepared.version and same_reader:
        # The version hashes everything stored (entries, their render hashes, categories,
        # references, glossary, timeline), and the stored snapshots are of this reader: nothing to write.
        report.unchanged = len(content.entries)
        # A data file may have changed in a way no record shows (a comment); stat stamps change anyway.
        ContentState.objects.filter(pk=1).update(files=files, file_stamps=stamps)
        search.update_index([])
        return report
    now = timezone.now()
    same_references = not prepared.everything or (same_reader and stored.files.get(REFERENCES_FILE) == files.get(REFERENCES_FILE))
    categories = _sync_categories(content) if prepared.everything else {c.key: c for c in Category.objects.all()}
    references = _reference_ids(prepared) if same_references else _sync_references(content)
    existing, changed = _write_entries(prepared, categories, now, report)
    if prepared.everything:
        _remove_missing_entries(content, existing, now, report)
    by_slug = _entry_ids(prepared)
    _sync_links_and_citations(prepared, by_slug, references)
    if prepared.everything:
        _sync_redirects(content, by_slug)
        changed += sorted(_sync_glossary(content, by_slug) - set(changed))  # their definitions are indexed
        _sync_timeline(content)
        Category.objects.exclude(key__in=list(content.categories)).delete()
        if not same_references:
            _delete_missing(Reference, content.references)
    search.update_index(changed, rebuild=not existing)
    if prepared.everything:
        ContentState.objects.update_or_create(pk=1, defaults={
            "version": prepared.version, "loaded_at": now, "entry_count": len(content.entries), "files": files,
            "file_stamps": stamps})
    else:
        report.unchanged = stored.entry_count - report.updated
        ContentState.objects.filter(pk=1).update(version=prepared.version, loaded_at=now, file_stamps=stamps)
    announce(prepared.version)
    return report


def _reference_ids(prepared: Prepared) -> dict[str, int]:
    """Reference keys -> row ids, of the references unchanged since the last load (all, or those cited)."""
    if prepared.everything:
        return dict(Reference.objects.values_list("key", "pk"))
    return {key: pk for part in chunks(sorted(prepared.content.references))
            for key, pk in Reference.objects.filter(key__in=part).values_list("key", "pk")}


def _entry_ids(prepared: Prepared) -> dict[str, int]:
    """Entry slugs -> row ids: all of them, or those the written entries can reach."""
    if prepared.everything:
        return dict(Entry.objects.values_list("slug", "pk"))
    slugs = sorted(set(prepared.rendered) | set(prepared.context.targets))
    return {slug: pk for part in chunks(slugs) for slug, pk in Entry.objects.filter(slug__in=part).values_list("slug", "pk")}


def _write_entries(prepared: Prepared, categories: dict[str, Category], now, report: LoadReport):
    """Create, update or leave each entry read; (the stored rows compared, ids of rows written)."""
    content = prepared.content
    # Plain rows, not model instances: at 10,000 entries building instances costs more than the query.
    queries = [Entry.objects.all()] if prepared.everything else \
        [Entry.objects.filter(slug__in=part) for part in chunks(sorted(content.entries))]
    existing = {row[1]: dict(zip(COMPARED_FIELDS, row)) for query in queries
                for row in query.values_list(*COMPARED_FIELDS)}
    changed: list[int] = []
    created: list[Entry] = []
    snapshots: list[tuple[dict, int]] = []  # only the parse snapshot differs (new reading code)
    for slug in sorted(content.entries):
        fields = entry_columns(prepared, slug, categories)
        old = existing.get(slug)
        if old is None:
            created.append(Entry(slug=slug, changed_at=now, **fields, **page_columns(prepared, slug)))
            continue
        if slug in prepared.rendered:
            Entry.objects.filter(pk=old["id"]).update(changed_at=now, **fields, **page_columns(prepared, slug))
        elif any(old[name] != value for name, value in fields.items() if name != "front_matter"):
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
    return existing, changed + [entry.pk for entry in created]


def _remove_missing_entries(content, existing: dict[str, dict], now, report: LoadReport) -> None:
    """Entries whose file is gone answer 410 from now on; a file that is back again, 200."""
    gone = [old for slug, old in existing.items() if slug not in content.entries]
    if gone:
        search.remove_from_index([old["id"] for old in gone])
        for old in gone:
            RemovedEntry.objects.update_or_create(slug=old["slug"], defaults={"title": old["title"], "removed_at": now})
        Entry.objects.filter(pk__in=[old["id"] for old in gone]).delete()
        report.removed = len(gone)
    back = [pk for pk, slug in RemovedEntry.objects.values_list("pk", "slug") if slug in content.entries]
    RemovedEntry.objects.filter(pk__in=back).delete()


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
                  "doi": record.doi, "pmid": record.pmid, "url": record.url, "study_type": record.study_type}
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
    """The links and citations of the rendered entries, replaced."""
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


def _sync_glossary(content, by_slug) -> set[int]:
    """Store the glossary; returns the ids of the entries whose glossary terms changed."""
    wanted = [
        (record.key, record.term, record.abbreviation, record.definition,
         by_slug.get(record.entry), list(record.also))
        for record in content.glossary
    ]
    current = list(GlossaryTerm.objects.order_by("id").values_list("key", "term", "abbreviation", "definition",
                                                                    "entry_id", "also"))
    if current == wanted:
        return set()
    GlossaryTerm.objects.all().delete()
    GlossaryTerm.objects.bulk_create([
        GlossaryTerm(key=key, term=term, abbreviation=abbreviation, definition=definition, entry_id=entry_id, also=also)
        for key, term, abbreviation, definition, entry_id, also in wanted
    ])
    differ = {repr(row) for row in current} ^ {repr(row) for row in wanted}
    return {row[4] for row in [*current, *wanted] if row[4] is not None and repr(row) in differ}


def _sync_timeline(content) -> None:
    references = content.references
    wanted = [
        (step.key, order, step.title, step.duration, step.text, step.entry,
         [{"key": key, "text": vancouver_text(references[key]), "doi_url": references[key].doi_url,
           "pubmed_url": references[key].pubmed_url, "url": references[key].url,
           "study_type_label": study_type_label(references[key].study_type)} for key in step.cite])
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
