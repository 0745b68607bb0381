"""Read the content folder into plain records, collecting every problem.  No database.

``read_content(content_dir, known)`` reads everything; ``read_changed(content_dir, files)``
reads just the given entry files and the data files they are checked against (a quick reload).

Both return a :class:`~encyclopedia.records.ContentSet` whose
``problems`` list is empty when everything read is valid on its own; checks that need the
rendered entries (cross-links, citations, heading ids) happen in :mod:`encyclopedia.build`.

``known`` is what the last load stored (:class:`~encyclopedia.parse_cache.Known`), passed
in by the caller: a file with exactly the bytes it read is rebuilt from its snapshot
instead of being parsed again.  The front-matter fields are described in
:mod:`encyclopedia.fields`; the data files are read by :mod:`encyclopedia.datafiles`.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from . import yamlnodes as yn
from .datafiles import (
    CATEGORIES_FILE, read_categories, read_glossary, read_references, read_timeline,
)
from .fields import FIELD_NAMES, FRONT_MATTER, REQUIRED
from .names import did_you_mean, fold_name, slug_problem
from .normalise import InputProblem, check_limits, decode, find_forbidden, normalise
from .parse_cache import Known, file_hash, front_matter_of
from .records import ContentSet, EntryRecord

IGNORED_NAMES = {"README.md", "readme.md"}

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, file line of the body) or None when there is none."""
    if not re.match(r"---[ \t]*\n", text):
        return None
    start = text.index("\n") + 1
    end = _FRONT_MATTER_END.search(text, start)
    if not end:
        return None
    front = text[start:end.start()]
    body_start = end.end() + 1 if end.end() < len(text) else end.end()
    return front, text[body_start:], text.count("\n", 0, body_start) + 1


def read_entry(content: ContentSet, path: Path, raw: bytes) -> EntryRecord | None:
    """One entry file into a record; problems are recorded on ``content``."""
    shown = content.display_path(path)
    slug = path.stem
    record = EntryRecord(slug=slug, path=shown, source_hash=file_hash(raw))
    before = len(content.problems)
    problem = slug_problem(slug)
    if problem:
        content.problem(shown, 1, f"{problem}; rename the file")
    try:
        text = normalise(decode(raw))
    except InputProblem as exc:
        content.problem(shown, exc.line, exc.message)
        return None
    for bad in find_forbidden(text) + check_limits(text):
        content.problem(shown, bad.line, bad.message)
    if len(content.problems) > before and len(text) > 200_000:
        return None
    parts = split_front_matter(text)
    if parts is None and re.match(r"---[ \t]*\n", text):
        content.problem(shown, 1, "the front matter that starts on line 1 is never closed: add a line `---` "
                        "after its last field, before the entry's text")
        return None
    if parts is None:
        content.problem(shown, 1, "missing front matter: start the file with a line `---`, then `title:`, "
                        "`summary:`, `category:` and `reviewed:` lines, then a line `---`")
        return None
    front, body, body_line = parts
    record.body, record.body_line = body, body_line
    read_front_matter(content, record, front)
    if not body.strip():
        content.problem(shown, body_line, "the entry has no text after its front matter; write the entry's body")
    return record if len(content.problems) == before else None


def read_front_matter(content: ContentSet, record: EntryRecord, front: str) -> None:
    """Read and check each field of :data:`~encyclopedia.fields.FRONT_MATTER` into ``record``."""
    offset = 1  # front matter starts on file line 2

    def report(line: int, message: str) -> None:
        content.problem(record.path, line + offset, message)

    if not front.strip():
        report(1, "the front matter is empty; add title, summary, category and reviewed")
        return
    try:
        items = yn.mapping_items(yn.compose(front), "front matter")
    except yn.NodeError as exc:
        report(exc.line, exc.message)
        return
    nodes = {}
    for key, key_node, value in items:
        record.field_lines[key] = yn.line(key_node) + offset
        if key not in FIELD_NAMES:
            report(yn.line(key_node), f"unknown field `{key}`{did_you_mean(key, FIELD_NAMES)}; "
                   f"the fields are {', '.join(FIELD_NAMES)}")
            continue
        nodes[key] = value
    for key in REQUIRED:
        if key not in nodes and key not in record.field_lines:
            report(1, f"missing `{key}` in the front matter")
    for item in FRONT_MATTER:
        if item.name not in nodes:
            continue
        try:
            value = item.read(nodes[item.name])
        except yn.NodeError as exc:
            report(exc.line, exc.message)
            continue
        setattr(record, item.name, value)
        for message in item.check(value) if item.check else ():
            report(yn.line(nodes[item.name]), message)


def entry_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if path.name in IGNORED_NAMES or any(part.startswith((".", "_")) for part in relative.parts):
            continue
        files.append(path)
    return files


def _known_entry(slug: str, shown: str, raw: bytes, known: Known | None) -> EntryRecord | None:
    """The record of a file the last load read with exactly these bytes, from its snapshot."""
    if not known or slug not in known.entries:
        return None
    source_hash = file_hash(raw)
    stored_hash, stored = known.entries[slug]
    values = front_matter_of(stored) if source_hash == stored_hash else None
    if values is None:
        return None
    try:
        parts = split_front_matter(normalise(decode(raw)))
    except InputProblem:
        return None
    if parts is None:
        return None
    _front, body, body_line = parts
    return EntryRecord(slug=slug, path=shown, source_hash=source_hash, body=body, body_line=body_line, **values)


def _read_entry_file(content: ContentSet, path: Path, raw: bytes, known: Known | None) -> None:
    slug = path.stem
    shown = content.display_path(path)
    record = _known_entry(slug, shown, raw, known) or read_entry(content, path, raw)
    if record is not None:
        content.entries[slug] = record
    elif not slug_problem(slug):  # a file name that is no valid slug cannot be a link target
        content.broken.add(slug)


def _start(content_dir: Path | str) -> ContentSet | None:
    root = Path(content_dir).resolve()
    content = ContentSet(root=root, scanned_at=time.time_ns())
    if not root.is_dir():
        content.problem(str(content_dir), 1, "the content folder does not exist; check --content-dir or IMMUNOREF_CONTENT_DIR")
    return content


def read_content(content_dir: Path | str, known: Known | None = None) -> ContentSet:
    """Read and check everything in the content folder (no rendering, no database)."""
    content = _start(content_dir)
    if content.problems:
        return content
    root = content.root
    read_categories(content)
    read_references(content, known)
    read_glossary(content)
    read_timeline(content)
    first_path: dict[str, str] = {}
    for path in entry_files(root):
        slug = path.stem
        shown = content.display_path(path)
        if slug in first_path:
            content.problem(shown, 1, f"duplicate slug `{slug}`: {first_path[slug]} has the same file name; "
                            "rename one of them (slugs are unique across folders)")
            continue
        first_path[slug] = shown
        try:
            raw = path.read_bytes()
        except OSError as exc:
            content.problem(shown, 1, f"cannot read the file: {exc.strerror}")
            continue
        _read_entry_file(content, path, raw, known)
    check_entry_set(content)
    return content


def read_changed(content_dir: Path | str, files: dict[str, bytes]) -> ContentSet:
    """Read the given entry files (relative path -> bytes) and the data files they are checked
    against (categories, glossary); the caller adds the references they cite."""
    content = _start(content_dir)
    if content.problems:
        return content
    read_categories(content)
    read_glossary(content)
    for relative, raw in sorted(files.items()):
        _read_entry_file(content, content.root / relative, raw, None)
    for slug, entry in sorted(content.entries.items()):
        if entry.category not in content.categories:
            content.problem(entry.path, entry.line_of("category"), unknown_category(content, entry.category))
    return content


def unknown_category(content: ContentSet, category: str) -> str:
    return (f"unknown category `{category}`{did_you_mean(category, content.categories)}; "
            f"the categories are {', '.join(sorted(content.categories))} (see {CATEGORIES_FILE})")


def check_entry_set(content: ContentSet) -> None:
    """Checks across entries: categories, aliases, redirects."""
    claimed: dict[str, tuple[str, str]] = {}  # folded name -> (slug, what)
    for slug, entry in content.entries.items():
        claimed[fold_name(slug)] = (slug, "slug")
    for slug, entry in sorted(content.entries.items()):
        claimed.setdefault(fold_name(entry.title), (slug, "title"))
    for slug, entry in sorted(content.entries.items()):
        if entry.category and entry.category not in content.categories and content.categories:
            content.problem(entry.path, entry.line_of("category"), unknown_category(content, entry.category))
        for alias in entry.aliases:
            folded = fold_name(alias)
            owner = claimed.get(folded)
            if owner and owner[0] != slug:
                content.problem(entry.path, entry.line_of("aliases"),
                                f"alias `{alias}` is already claimed by entry `{owner[0]}` (as its {owner[1]}); "
                                "an alias must lead to one entry only")
            else:
                claimed.setdefault(folded, (slug, "alias"))
    redirects: dict[str, str] = {}
    for slug, entry in sorted(content.entries.items()):
        for old in entry.redirect_from:
            if old in content.entries:
                content.problem(entry.path, entry.line_of("redirect_from"),
                                f"redirect_from `{old}` is the slug of an existing entry; remove it or rename that entry")
            elif old in redirects and redirects[old] != slug:
                content.problem(entry.path, entry.line_of("redirect_from"),
                                f"redirect_from `{old}` is already claimed by entry `{redirects[old]}`; "
                                "an old address can lead to one entry only")
            else:
                redirects[old] = slug
