"""Quick reloads: find changed files by their stat, and redo only the entries they hold.

A full load (``build.prepare`` then ``sync.write``) looks at every file and every stored
row; at 10,000 entries that is seconds of work even when one file changed.  So every
load also stores an *index* (``ContentState.index``): each file's stat stamp (size,
mtime, ctime, inode) with the hash of the bytes that load read, each entry's digest
(``build.entry_digest``), the data files' digest and the alias table.

The next load (:func:`quick_load`) stats the files.  A file whose stamp is unchanged is
trusted without reading it, as git trusts its index, but only when its ctime is more
than :data:`RACY_NS` before the stored load began: a file written during or just before
a load could change again within the same clock tick, so it is read and hashed instead.
Then:

- nothing changed: done, without touching a row;
- only entry files changed, and in none of them what other entries see (title, aliases,
  redirect_from, draft, timeline flag, section ids): those entries are read, checked,
  rendered and written, with the links, citations and search rows that belong to them,
  and the content version is recomputed from the stored digests;
- anything else (a data file, an added, removed or renamed file, new reading or
  rendering code, another content folder, any problem in a changed file): ``None``,
  and the caller runs the full load, which also gives the complete error messages.

What a quick load stores is what a full load of the same files would store
(``tests/test_incremental_load.py`` compares the two).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import parse_cache, rendering, search
from .bulk import chunks
from .build import (
    DependencyHashes, Prepared, _entry_url_maker, _glossary_names_hash, entry_digest, version_of,
)
from .history.load_hook import record_load
from .loader import (
    CATEGORIES_FILE, GLOSSARY_FILE, REFERENCES_FILE, TIMELINE_FILE, ContentSet, entry_files, read_categories,
    read_entry, read_glossary,
)
from .models import Category, ContentState, Entry, Reference
from .parse_cache import file_hash, reference_record
from .rendering import LinkTarget, PageInfo, RenderContext, fold_name
from .version_watch import announce
from .workers import Job, run_jobs

FORMAT = 1
DATA_FILES = (CATEGORIES_FILE, REFERENCES_FILE, GLOSSARY_FILE, TIMELINE_FILE)
RACY_NS = 2_000_000_000  # a stamp is trusted only if the file was last changed this long before the load began
# What other entries see of an entry: a change here can change their HTML, so it takes the full load.
IDENTITY_FIELDS = ("title", "aliases", "redirect_from", "draft", "timeline")


def stamp(path: Path) -> str:
    """size:mtime:ctime:inode; any write changes the ctime, which no tool can set back."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _trusted(value: str, scanned_at: int) -> bool:
    return int(value.split(":")[2]) < scanned_at - RACY_NS


def content_files(root: Path) -> dict[str, Path]:
    """Every file a load reads, by its path relative to the content folder."""
    files = {path.relative_to(root).as_posix(): path for path in entry_files(root)}
    for name in DATA_FILES:
        if (root / name).is_file():
            files[name] = root / name
    return files


def _code_marks() -> dict[str, str]:
    """What stored HTML was made with: reading code, rendering code, and the addresses it links to."""
    return {"reader": parse_cache.READER_FINGERPRINT, "renderer": rendering.RENDERER_FINGERPRINT,
            "urls": _entry_url_maker()("slug-marker-0") + " " + reverse("glossary")}


def index_of(prepared: Prepared) -> dict:
    """The index a full load stores with what it wrote."""
    content = prepared.content
    root = content.root
    files = {}
    for relative, path in content_files(root).items():
        if relative in DATA_FILES:
            sha = content.file_hashes.get(relative)
        else:
            entry = content.entries.get(path.stem)
            sha = entry.source_hash if entry else None
        if sha is None:  # not read by this load (it cannot be trusted next time)
            continue
        try:
            files[relative] = [stamp(path), sha]
        except OSError:
            continue
    return {"format": FORMAT, **_code_marks(), "root": str(root), "scanned_at": content.scanned_at,
            "files": files, "digests": prepared.digests, "data": prepared.data_digest,
            "aliases": prepared.context.aliases}


def _changed_files(index: dict, files: dict[str, Path]) -> tuple[dict[str, bytes], dict[str, list]] | None:
    """(changed file -> its bytes, refreshed index rows), or None when the set of files changed."""
    stored = index["files"]
    if files.keys() != stored.keys():
        return None
    changed: dict[str, bytes] = {}
    refreshed: dict[str, list] = {}
    for relative, path in files.items():
        old_stamp, old_hash = stored[relative]
        try:
            now = stamp(path)
            if now == old_stamp and _trusted(old_stamp, index["scanned_at"]):
                continue
            raw = path.read_bytes()
        except OSError:
            return None
        sha = file_hash(raw)
        refreshed[relative] = [now, sha]
        if sha != old_hash:
            changed[relative] = raw
    return changed, refreshed


def quick_load(content_dir: Path | str, *, processes: int | None = None):
    """Reload only what changed; a LoadReport, or None when the full load must run."""
    from .sync import LoadReport

    started = time.monotonic()
    scanned_at = time.time_ns()
    row = ContentState.objects.filter(pk=1).values_list("version", "index", "entry_count").first()
    if not row or not row[1]:
        return None
    version, index, entry_count = row
    root = Path(content_dir).resolve()
    if (index.get("format") != FORMAT or index.get("root") != str(root)
            or any(index.get(key) != value for key, value in _code_marks().items())):
        return None
    if not root.is_dir():
        return None
    found = _changed_files(index, content_files(root))
    if found is None:
        return None
    changed, refreshed = found
    if any(relative in DATA_FILES for relative in changed):
        return None
    new_index = {**index, "scanned_at": scanned_at, "files": {**index["files"], **refreshed}}
    if not changed:
        with transaction.atomic():
            if refreshed:
                ContentState.objects.filter(pk=1).update(index=new_index)
            search.update_index([])  # rebuilds a search index that is missing or from other code
        return LoadReport(unchanged=entry_count, version=version, seconds=time.monotonic() - started)
    prepared = _prepare_changed(root, changed, index, processes)
    if prepared is None:
        return None
    new_index["digests"] = {**index["digests"], **prepared.digests}
    prepared.version = version_of(new_index["digests"], index["data"])
    _write_changed(prepared, new_index)
    return LoadReport(updated=len(prepared.rendered), rendered=len(prepared.rendered),
                      unchanged=entry_count - len(prepared.rendered), version=prepared.version,
                      seconds=time.monotonic() - started)


def _prepare_changed(root: Path, changed: dict[str, bytes], index: dict, processes: int | None) -> Prepared | None:
    """Read, check and render the changed entry files; None when the full load must decide."""
    content = ContentSet(root=root)
    read_categories(content)
    read_glossary(content)
    if content.problems:
        return None
    for relative, raw in changed.items():
        record = read_entry(content, root / relative, raw)
        if record is None or content.problems:
            return None
        if record.category not in content.categories:
            return None
        content.entries[record.slug] = record
    entries = content.entries
    stored = {slug: (pk, front or {}, ids or [])
              for chunk in chunks(list(entries))
              for slug, pk, front, ids in Entry.objects.filter(slug__in=chunk).values_list(
                  "slug", "id", "front_matter", "section_ids")}
    if stored.keys() != entries.keys():
        return None
    for slug, entry in entries.items():
        front = stored[slug][1]
        now = {"title": entry.title, "aliases": list(entry.aliases), "redirect_from": list(entry.redirect_from),
               "draft": entry.draft, "timeline": entry.timeline}
        if any(front.get(name) != now[name] for name in IDENTITY_FIELDS):
            return None

    # Section ids (if they changed, links into this entry elsewhere may change meaning) and
    # what each text names, in the workers, as build.prepare does.
    glossary_hash = _glossary_names_hash(content)
    jobs = [Job(key=slug, body=entry.body, page=PageInfo(slug=slug), sections_only=True, glossary_hash=glossary_hash)
            for slug, entry in entries.items()]
    section_ids, dep_keys = {}, {}
    for slug, outcome in run_jobs(jobs, RenderContext(glossary=tuple(content.glossary)), processes=processes).items():
        if outcome.failure or outcome.sections[1] or outcome.sections[0] != stored[slug][2]:
            return None
        section_ids[slug], dep_keys[slug] = outcome.sections[0], outcome.dependencies

    context = _context_for(content, dep_keys, index["aliases"])
    glossary = {record.key: record for record in content.glossary}
    hashes = DependencyHashes(context, glossary)
    prepared = Prepared(content=content, context=context, section_ids=section_ids, dep_keys=dep_keys)
    for slug, entry in entries.items():
        prepared.render_hashes[slug] = hashes.render_hash(entry, dep_keys[slug])
    render_jobs = [Job(key=slug, body=entry.body, page=PageInfo(slug=slug, draft=entry.draft))
                   for slug, entry in entries.items()]
    for slug, outcome in run_jobs(render_jobs, context, processes=processes).items():
        if outcome.failure or outcome.result.problems:
            return None
        prepared.rendered[slug] = outcome.result
    prepared.digests = {slug: entry_digest(slug, prepared.render_hashes[slug], entry)
                        for slug, entry in entries.items()}
    return prepared


def _context_for(content: ContentSet, dep_keys: dict[str, dict], aliases: dict[str, str]) -> RenderContext:
    """A render context holding just what the changed entries can reach: the entries their links name
    (by slug or alias) and that glossary terms point to, and the references they cite."""
    names = {name for deps in dep_keys.values() for name in deps["links"]}
    wanted = set(content.entries) | names | {record.entry for record in content.glossary if record.entry}
    wanted |= {aliases[fold_name(name)] for name in names if fold_name(name) in aliases}
    entry_url = _entry_url_maker()
    targets = {}
    for chunk in chunks(sorted(wanted)):
        for slug, title, ids, draft in Entry.objects.filter(slug__in=chunk).values_list(
                "slug", "title", "section_ids", "draft"):
            targets[slug] = LinkTarget(slug=slug, title=title, url=entry_url(slug), section_ids=frozenset(ids or ()),
                                       draft=draft)
    cites = sorted({key for deps in dep_keys.values() for key in deps["cites"]})
    references = {}
    for chunk in chunks(cites):
        for csl in Reference.objects.filter(key__in=chunk).values_list("csl", flat=True):
            record = reference_record(csl)
            references[record.id] = record
    return RenderContext(targets=targets, aliases=aliases, references=references, glossary=tuple(content.glossary),
                         glossary_url=reverse("glossary"))


@transaction.atomic
def _write_changed(prepared: Prepared, index: dict) -> None:
    from .sync import _entry_fields, _rendered_fields, _sync_links_and_citations, fast_compression

    now = timezone.now()
    fast_compression()
    record_load(prepared, now, full=False)  # entry history (encyclopedia/history/load_hook.py)
    categories = {category.key: category for category in Category.objects.all()}
    slugs = sorted(set(prepared.rendered) | set(prepared.context.targets))
    by_slug = {slug: pk for chunk in chunks(slugs)
               for slug, pk in Entry.objects.filter(slug__in=chunk).values_list("slug", "id")}
    for slug in prepared.rendered:
        Entry.objects.filter(pk=by_slug[slug]).update(changed_at=now, **_entry_fields(prepared, slug, categories),
                                                       **_rendered_fields(prepared, slug))
    references = {key: pk for chunk in chunks(sorted(prepared.context.references))
                  for key, pk in Reference.objects.filter(key__in=chunk).values_list("key", "id")}
    _sync_links_and_citations(prepared, by_slug, references)
    search.update_index([by_slug[slug] for slug in prepared.rendered])
    ContentState.objects.filter(pk=1).update(version=prepared.version, loaded_at=now, index=index)
    announce(prepared.version)
