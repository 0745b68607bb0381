"""The middle of the one load pipeline: from a change set to checked, rendered entries.  Writes nothing.

    find what changed (encyclopedia.changes) → prepare (here) → write (encyclopedia.sync)

:func:`prepare` reads what the change set names (every file, or only the entry files that
changed), learns every read entry's section ids and what it names, builds the render
context, decides which entries must be rendered again (their file or anything their HTML
depends on changed: see :mod:`encyclopedia.versions`), renders those in parallel under the
CPU limit, and collects every problem as ``path:line``.  A full load and a quick reload run
exactly these steps; a change set of some files that turns out to reach other entries (a
new title, alias, draft flag or section id, or any problem) is answered with ``None``, and
the caller prepares everything instead.  ``preview`` and ``checkcontent`` call it with
nothing stored, and write nothing.

What the last load stored comes in as a :class:`Stored` (``encyclopedia.sync`` answers it
from the database); this module never queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .dependencies import dependencies_of
from .addresses import entry_url_maker, page_url
from .errors import ContentError
from .fields import SEEN_BY_OTHERS
from .loader import read_changed, read_content
from .names import did_you_mean, fold_name
from .parse_cache import Known, front_matter_of
from .records import ContentSet, EntryRecord, ReferenceRecord
from .rendering import LinkTarget, PageInfo, RenderContext, RenderResult
from .versions import DependencyHashes, data_digest, entry_digest, glossary_names_hash, version_of
from .workers import Job, run_jobs


@dataclass
class StoredEntry:
    """What the database holds about an entry, to skip work that is already done."""

    source_hash: str
    render_hash: str
    section_ids: list[str]
    dep_keys: dict
    front_matter: dict = field(default_factory=dict)


class Stored:
    """What the last load stored, as :func:`prepare` asks for it.  This one knows nothing
    (preview, checkcontent, a first load); ``sync.StoredInDatabase`` reads the database."""

    file_stamps: dict = {}  # what the last load stored about the files (encyclopedia.changes)

    def known(self) -> Known:
        """What the loader may reuse: entry snapshots, data-file hashes, references (see parse_cache)."""
        return Known()

    def references(self, keys: list[str] | None = None) -> dict[str, ReferenceRecord]:
        """The stored references (with these keys, or all)."""
        return {}

    def entries(self, slugs: list[str] | None = None) -> dict[str, StoredEntry]:
        """The stored entries (``slugs`` only, or all)."""
        return {}

    def link_targets(self, slugs: list[str]) -> dict[str, LinkTarget]:
        """The stored entries named by ``slugs``, as link targets."""
        return {}


@dataclass
class Prepared:
    content: ContentSet
    context: RenderContext
    everything: bool = True  # the whole folder was read (False: only the changed entry files)
    render_hashes: dict[str, str] = field(default_factory=dict)
    dep_keys: dict[str, dict] = field(default_factory=dict)
    section_ids: dict[str, list[str]] = field(default_factory=dict)
    rendered: dict[str, RenderResult] = field(default_factory=dict)  # only entries that changed
    version: str = ""
    digests: dict[str, str] = field(default_factory=dict)  # slug -> entry_digest, of the entries read
    data_digest: str = ""


def line_of_snippet(entry: EntryRecord, snippet: str) -> int:
    index = entry.body.find(snippet) if snippet else -1
    if index < 0:
        return entry.body_line
    return entry.body_line + entry.body.count("\n", 0, index)


def report_outcome_problems(content: ContentSet, entry: EntryRecord, outcome, problems) -> None:
    """Record a worker's failure or an entry's (snippet, message) problems at their lines."""
    if outcome.failure:
        content.problem(entry.path, entry.body_line, outcome.failure)
    for snippet, message in problems:
        content.problem(entry.path, line_of_snippet(entry, snippet), message)


def check_data_files(content: ContentSet) -> None:
    """The data files' references to entries and references exist; timeline entries have a timeline."""
    glossary_path = content.root / "glossary.yaml"
    slugs = list(content.entries) + sorted(content.broken)
    for record in content.glossary:
        if record.entry and record.entry not in content.entries:
            content.problem(glossary_path, record.line, f"glossary term `{record.term}`: no entry `{record.entry}`"
                            f"{did_you_mean(record.entry, slugs)}")
    timeline_path = content.root / "timeline.yaml"
    for step in content.timeline:
        if step.entry and step.entry not in content.entries:
            content.problem(timeline_path, step.line, f"timeline step `{step.key}`: no entry `{step.entry}`"
                            f"{did_you_mean(step.entry, slugs)}")
        for key in step.cite:
            if key not in content.references:
                content.problem(timeline_path, step.line, f"timeline step `{step.key}`: no reference `{key}` in "
                                f"references.yaml{did_you_mean(key, content.references)}")
    for entry in content.entries.values():
        if entry.timeline and not content.timeline:
            content.problem(entry.path, entry.line_of("timeline"), "`timeline: true` but content/timeline.yaml is "
                            "missing or empty")


def build_context(content: ContentSet, section_ids: dict[str, list[str]],
                  others: dict[str, LinkTarget] | None = None, aliases: dict[str, str] | None = None) -> RenderContext:
    """The render context of the entries read, plus ``others`` (stored entries they can reach) and,
    when not every entry was read, the stored alias table (``aliases``)."""
    entry_url = entry_url_maker()
    targets = dict(others or {})
    targets.update({
        slug: LinkTarget(slug=slug, title=entry.title, url=entry_url(slug),
                         section_ids=frozenset(section_ids.get(slug, ())), draft=entry.draft)
        for slug, entry in content.entries.items()
    })
    for slug in content.broken:
        targets.setdefault(slug, LinkTarget(slug=slug, title=slug, url=entry_url(slug), section_ids=frozenset(),
                                            broken=True))
    if aliases is None:
        aliases = {}
        for slug, entry in sorted(content.entries.items()):
            for name in (entry.title, *entry.aliases, *entry.redirect_from):
                aliases.setdefault(fold_name(name), slug)
        for slug in content.entries:  # a slug always wins over another entry's title or alias
            aliases[fold_name(slug)] = slug
    return RenderContext(targets=targets, aliases=aliases, references=dict(content.references),
                         glossary=tuple(content.glossary), glossary_url=page_url("glossary"))


def _scan(content: ContentSet, last: dict[str, StoredEntry], glossary_hash: str, force: bool,
          processes: int | None) -> tuple[dict[str, list[str]], dict[str, dict]]:
    """Section ids (a cheap block parse) and what each entry names, in the workers; reused from
    ``last`` for files that did not change."""
    section_ids: dict[str, list[str]] = {}
    names: dict[str, dict] = {}
    jobs = []
    for slug, entry in content.entries.items():
        known = last.get(slug)
        if known and known.source_hash == entry.source_hash and not force:
            section_ids[slug] = list(known.section_ids)
            if known.dep_keys.get("glossary") == glossary_hash:
                names[slug] = known.dep_keys
        else:
            jobs.append(Job(key=slug, body=entry.body, page=PageInfo(slug=slug), sections_only=True,
                            glossary_hash=glossary_hash))
    for slug, outcome in run_jobs(jobs, RenderContext(glossary=tuple(content.glossary)), processes=processes).items():
        entry = content.entries[slug]
        report_outcome_problems(content, entry, outcome, outcome.sections[1] if outcome.sections else ())
        if not outcome.failure:
            section_ids[slug], names[slug] = outcome.sections[0], outcome.dependencies
    for slug, entry in content.entries.items():  # unchanged files whose glossary names changed, failed scans
        if slug not in names:
            names[slug] = dependencies_of(entry.body, tuple(content.glossary), glossary_hash)
    return section_ids, names


def _stays_inside(content: ContentSet, last: dict[str, StoredEntry], section_ids: dict[str, list[str]]) -> bool:
    """Whether the changed entries changed nothing other entries see (fields, section ids), and read cleanly."""
    if content.problems or content.broken or last.keys() != content.entries.keys():
        return False
    for slug, entry in content.entries.items():
        before = front_matter_of(last[slug].front_matter)
        if before is None or any(before[name] != getattr(entry, name) for name in SEEN_BY_OTHERS):
            return False
        if section_ids.get(slug) != list(last[slug].section_ids):
            return False
    return True


def _render(prepared: Prepared, last: dict[str, StoredEntry], force: bool, only: set[str] | None,
            processes: int | None, on_progress: Callable[[int, int], None] | None) -> None:
    """Hash what each entry depends on; render, on every core, the entries whose hash changed (or ``only``)."""
    content = prepared.content
    hashes = DependencyHashes(prepared.context)
    jobs = []
    for slug, entry in content.entries.items():
        prepared.render_hashes[slug] = hashes.render_hash(entry, prepared.dep_keys[slug])
        known = last.get(slug)
        if only is not None and slug not in only:
            continue
        if force or not known or known.render_hash != prepared.render_hashes[slug]:
            jobs.append(Job(key=slug, body=entry.body, page=PageInfo(slug=slug, draft=entry.draft)))
    for slug, outcome in run_jobs(jobs, prepared.context, processes=processes, on_progress=on_progress).items():
        report_outcome_problems(content, content.entries[slug], outcome, outcome.result.problems if outcome.result else ())
        if not outcome.failure:
            prepared.rendered[slug] = outcome.result


def prepare(
    content_dir: Path | str,
    changes=None,
    stored: Stored | None = None,
    *,
    force: bool = False,
    **options,
) -> Prepared | None:
    """Read what ``changes`` names (``None``: everything), then :func:`check_and_render` it.

    ``None`` when a change set of some files must become everything; ``force`` reads and
    renders everything again, trusting nothing stored.
    """
    stored = stored or Stored()
    everything = changes is None or changes.everything
    if everything:
        content = read_content(content_dir, None if force else stored.known())
    else:
        content = read_changed(content_dir, changes.files)
    return check_and_render(content, stored, everything=everything, force=force, **options)


def check_and_render(
    content: ContentSet,
    stored: Stored,
    *,
    everything: bool = True,
    only: set[str] | None = None,
    force: bool = False,
    processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    raise_problems: bool = True,
) -> Prepared | None:
    """Check the entries read and render those that changed (or just ``only``: a preview);
    raises ContentError listing every problem, or with ``raise_problems=False``
    (``checkcontent``, preview) leaves them in ``prepared.content.problems``."""
    last = {} if force else stored.entries(None if everything else sorted(content.entries))
    glossary_hash = glossary_names_hash(content)
    section_ids, dep_keys = _scan(content, last, glossary_hash, force, processes)
    if everything:
        context = build_context(content, section_ids)
        check_data_files(content)
    elif _stays_inside(content, last, section_ids):
        context = _context_of_some(content, stored, section_ids, dep_keys)
    else:
        return None
    prepared = Prepared(content=content, context=context, everything=everything, section_ids=section_ids,
                        dep_keys=dep_keys)
    _render(prepared, last, force or only is not None, only, processes, on_progress)
    if content.problems and not everything:
        return None
    if content.problems and raise_problems:
        raise ContentError(content.problems)
    prepared.digests = {slug: entry_digest(slug, prepared.render_hashes[slug], entry)
                        for slug, entry in content.entries.items()}
    if everything:
        prepared.data_digest = data_digest(content)
        prepared.version = version_of(prepared.digests, prepared.data_digest)
    else:
        prepared.data_digest = stored.file_stamps["data"]
        prepared.version = version_of({**stored.file_stamps["digests"], **prepared.digests}, prepared.data_digest)
    return prepared


def _context_of_some(content: ContentSet, stored: Stored, section_ids: dict[str, list[str]],
                     dep_keys: dict[str, dict]) -> RenderContext:
    """The render context of some changed entries: the stored entries and references they can reach."""
    content.references.update(stored.references(sorted({key for deps in dep_keys.values() for key in deps["cites"]})))
    reachable = {name for deps in dep_keys.values() for name in deps["links"]}
    reachable |= {record.entry for record in content.glossary if record.entry}
    aliases = stored.file_stamps["aliases"]
    reachable |= {aliases[fold_name(name)] for name in reachable if fold_name(name) in aliases}
    others = stored.link_targets(sorted(reachable - set(content.entries)))
    return build_context(content, section_ids, others, aliases)
