"""From records to rendered entries: cross-entry checks, dependency hashes, rendering.

``prepare`` does everything that can fail, without writing anything: it reads the
content folder, learns every entry's section ids, builds the render context, decides
which entries must be re-rendered (their file or anything their HTML depends on
changed), renders those in parallel under the CPU limit, and raises
:class:`ContentError` with every problem found.  ``encyclopedia.sync`` then writes
the result in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from django.urls import reverse

from .addresses import entry_url_maker
from .dependencies import dependencies_of
from .errors import ContentError, Problem
from .loader import ContentSet, read_content
from .parse_cache import Known
from .records import EntryRecord
from .rendering import LinkTarget, PageInfo, RenderContext, RenderResult, fold_name, renderer_fingerprint
from .workers import Job, run_jobs


@dataclass
class StoredEntry:
    """What the database holds about an entry, to skip work that is already done."""

    source_hash: str
    render_hash: str
    section_ids: list[str]
    dep_keys: dict
    front_matter: dict = field(default_factory=dict)


@dataclass
class Prepared:
    content: ContentSet
    context: RenderContext
    render_hashes: dict[str, str] = field(default_factory=dict)
    dep_keys: dict[str, dict] = field(default_factory=dict)
    section_ids: dict[str, list[str]] = field(default_factory=dict)
    rendered: dict[str, RenderResult] = field(default_factory=dict)  # only entries that changed
    version: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # slug -> entry_digest
    data_digest: str = ""


def line_of_snippet(entry: EntryRecord, snippet: str) -> int:
    index = entry.body.find(snippet) if snippet else -1
    if index < 0:
        return entry.body_line
    return entry.body_line + entry.body.count("\n", 0, index)


def _glossary_names_hash(content: ContentSet) -> str:
    names = sorted((record.key, name) for record in content.glossary for name in record.names())
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()[:16]


def scan_dependencies(entry: EntryRecord, content: ContentSet, glossary_hash: str, stored: StoredEntry | None) -> dict:
    """Names the entry's source mentions (see encyclopedia.dependencies); the stored ones when still valid."""
    if stored and stored.source_hash == entry.source_hash and stored.dep_keys.get("glossary") == glossary_hash:
        return stored.dep_keys
    return dependencies_of(entry.body, tuple(content.glossary), glossary_hash)


def render_hash(entry: EntryRecord, deps: dict, context: RenderContext, glossary: dict) -> str:
    """Hash of everything the entry's HTML depends on."""
    return DependencyHashes(context, glossary).render_hash(entry, deps)


class DependencyHashes:
    """render_hash for every entry of a load, each link target, reference and term described once."""

    def __init__(self, context: RenderContext, glossary: dict):
        self.context, self.glossary = context, glossary
        self.links: dict[str, bytes] = {}
        self.cites: dict[str, bytes] = {}
        self.terms: dict[str, bytes] = {}

    def _link(self, name: str) -> bytes:
        target = self.context.resolve(name)
        return repr((name, target and (target.slug, target.title, sorted(target.section_ids), target.draft,
                                       target.url))).encode()

    def _cite(self, key: str) -> bytes:
        reference = self.context.references.get(key)
        return repr((key, reference and reference.fingerprint())).encode()

    def _term(self, key: str) -> bytes:
        record = self.glossary.get(key)
        target = self.context.targets.get(record.entry) if record and record.entry else None
        return repr((key, record and record.fingerprint(), target and (target.url, target.draft))).encode()

    def render_hash(self, entry: EntryRecord, deps: dict) -> str:
        digest = hashlib.sha256()
        digest.update(renderer_fingerprint().encode())
        digest.update(entry.source_hash.encode())
        digest.update(b"draft" if entry.draft else b"public")
        for names, memo, describe in ((deps["links"], self.links, self._link), (deps["cites"], self.cites, self._cite),
                                      (deps["terms"], self.terms, self._term)):
            for name in names:
                part = memo.get(name)
                if part is None:
                    part = memo[name] = describe(name)
                digest.update(part)
        return digest.hexdigest()


def _check_data_files(content: ContentSet, context: RenderContext) -> None:
    glossary_path = (content.root / "glossary.yaml")
    for record in content.glossary:
        if record.entry and record.entry not in content.entries:
            content.problem(glossary_path, record.line, f"glossary term `{record.term}`: no entry `{record.entry}`"
                            f"{context.suggest(record.entry)}")
    timeline_path = content.root / "timeline.yaml"
    for step in content.timeline:
        if step.entry and step.entry not in content.entries:
            content.problem(timeline_path, step.line, f"timeline step `{step.key}`: no entry `{step.entry}`"
                            f"{context.suggest(step.entry)}")
        for key in step.cite:
            if key not in content.references:
                content.problem(timeline_path, step.line, f"timeline step `{step.key}`: no reference `{key}` in "
                                f"references.yaml{context.suggest_reference(key)}")
    for slug, entry in content.entries.items():
        if entry.timeline and not content.timeline:
            content.problem(entry.path, entry.line_of("timeline"), "`timeline: true` but content/timeline.yaml is "
                            "missing or empty")


def build_context(content: ContentSet, section_ids: dict[str, list[str]]) -> RenderContext:
    entry_url = entry_url_maker()
    targets = {
        slug: LinkTarget(slug=slug, title=entry.title, url=entry_url(slug),
                         section_ids=frozenset(section_ids.get(slug, ())), draft=entry.draft)
        for slug, entry in content.entries.items()
    }
    for slug in content.broken:
        targets.setdefault(slug, LinkTarget(slug=slug, title=slug, url=entry_url(slug), section_ids=frozenset(),
                                            broken=True))
    aliases: dict[str, str] = {}
    for slug, entry in sorted(content.entries.items()):
        aliases.setdefault(fold_name(entry.title), slug)
        for alias in entry.aliases:
            aliases.setdefault(fold_name(alias), slug)
        for old in entry.redirect_from:
            aliases.setdefault(fold_name(old), slug)
    for slug in content.entries:  # a slug always wins over another entry's title or alias
        aliases[fold_name(slug)] = slug
    return RenderContext(targets=targets, aliases=aliases, references=dict(content.references),
                         glossary=tuple(content.glossary), glossary_url=reverse("glossary"))


def prepare(
    content_dir: Path | str,
    stored: dict[str, StoredEntry] | None = None,
    *,
    processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    force: bool = False,
    raise_problems: bool = True,
    known: Known | None = None,
) -> Prepared:
    """Read, check and render; raises ContentError listing every problem.

    With ``raise_problems=False`` (``checkcontent``) the problems stay in
    ``prepared.content.problems`` and whatever could be rendered is returned.
    ``known`` (what the last load stored) lets unchanged files skip parsing; ``force`` ignores it.
    """
    stored = stored or {}
    content = read_content(content_dir, None if force else known)
    entries = content.entries

    # 1. Section ids (a cheap block parse), reused for files that did not change.
    #    The same workers list what each changed file names (links, citations, glossary terms).
    glossary_hash = _glossary_names_hash(content)
    section_ids: dict[str, list[str]] = {}
    scanned: dict[str, dict] = {}
    jobs = []
    for slug, entry in entries.items():
        known = stored.get(slug)
        if known and known.source_hash == entry.source_hash and not force:
            section_ids[slug] = list(known.section_ids)
        else:
            jobs.append(Job(key=slug, body=entry.body, page=PageInfo(slug=slug), sections_only=True,
                            glossary_hash=glossary_hash))
    glossary_context = RenderContext(glossary=tuple(content.glossary))
    for slug, outcome in run_jobs(jobs, glossary_context, processes=processes).items():
        entry = entries[slug]
        if outcome.failure:
            content.problem(entry.path, entry.body_line, outcome.failure)
            continue
        ids, problems = outcome.sections
        section_ids[slug] = ids
        scanned[slug] = outcome.dependencies
        for snippet, message in problems:
            content.problem(entry.path, line_of_snippet(entry, snippet), message)

    context = build_context(content, section_ids)
    _check_data_files(content, context)

    # 2. What each entry depends on, and which entries must be rendered again.
    glossary = {record.key: record for record in content.glossary}
    prepared = Prepared(content=content, context=context, section_ids=section_ids)
    hashes = DependencyHashes(context, glossary)
    render_jobs = []
    for slug, entry in entries.items():
        deps = scanned.get(slug) or scan_dependencies(entry, content, glossary_hash, stored.get(slug))
        prepared.dep_keys[slug] = deps
        prepared.render_hashes[slug] = hashes.render_hash(entry, deps)
        known = stored.get(slug)
        if force or not known or known.render_hash != prepared.render_hashes[slug]:
            render_jobs.append(Job(key=slug, body=entry.body, page=PageInfo(slug=slug, draft=entry.draft)))

    # 3. Render what changed, on every core.
    for slug, outcome in run_jobs(render_jobs, context, processes=processes, on_progress=on_progress).items():
        entry = entries[slug]
        if outcome.failure:
            content.problem(entry.path, entry.body_line, outcome.failure)
            continue
        result = outcome.result
        for snippet, message in result.problems:
            content.problem(entry.path, line_of_snippet(entry, snippet), message)
        prepared.rendered[slug] = result

    if content.problems and raise_problems:
        raise ContentError(content.problems)
    prepared.version = compute_version(prepared)
    return prepared


def entry_digest(slug: str, render_hash: str, entry: EntryRecord) -> str:
    """What one entry adds to the content version: its render hash and every stored field."""
    return hashlib.sha256(repr((slug, render_hash, entry.title, entry.summary, entry.category, entry.aliases,
                                str(entry.reviewed), entry.redirect_from, entry.draft, entry.timeline,
                                entry.diagram, entry.path)).encode()).hexdigest()[:24]


def data_digest(content: ContentSet) -> str:
    """What the data files (categories, references, glossary, timeline) add to the content version."""
    digest = hashlib.sha256()
    for key in sorted(content.categories):
        digest.update(repr(content.categories[key]).encode())
    for key in sorted(content.references):
        digest.update(content.references[key].fingerprint().encode())
    for record in content.glossary:
        digest.update(record.fingerprint().encode())
    for step in content.timeline:
        digest.update(repr(step).encode())
    return digest.hexdigest()[:24]


def version_of(digests: dict[str, str], data: str) -> str:
    """The content version from per-entry digests and the data digest (an incremental load
    recomputes it from the stored digests of the entries it did not touch)."""
    digest = hashlib.sha256(renderer_fingerprint().encode())
    for slug in sorted(digests):
        digest.update(f"{slug}\0{digests[slug]}\0".encode())
    digest.update(data.encode())
    return digest.hexdigest()[:20]


def compute_version(prepared: Prepared) -> str:
    content = prepared.content
    prepared.digests = {slug: entry_digest(slug, render_hash, content.entries[slug])
                        for slug, render_hash in prepared.render_hashes.items()}
    prepared.data_digest = data_digest(content)
    return version_of(prepared.digests, prepared.data_digest)


def problems_of(exc: ContentError) -> list[Problem]:
    return exc.problems
