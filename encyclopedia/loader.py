"""Read the content folder into plain records, collecting every problem.  No database.

``read_content(content_dir)`` returns a :class:`ContentSet`.  Its ``problems`` list is
empty when everything read is valid on its own; checks that need the rendered
entries (cross-links, citations, heading ids) happen in :mod:`encyclopedia.build`.
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from . import yamlnodes as yn
from .bibliography import read_reference
from .errors import Problem
from .history.notes import read_change_notes
from .parse_cache import Known, file_hash, restore
from .normalise import InputProblem, check_limits, decode, find_forbidden, normalise
from .rendering import fold_name
from .records import CategoryRecord, EntryRecord, GlossaryRecord, ReferenceRecord, TimelineStepRecord

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CATEGORIES_FILE = "categories.yaml"
REFERENCES_FILE = "references.yaml"
GLOSSARY_FILE = "glossary.yaml"
TIMELINE_FILE = "timeline.yaml"
IGNORED_NAMES = {"README.md", "readme.md"}
DIAGRAMS = {"car-t"}

REQUIRED_FIELDS = ("title", "summary", "category", "reviewed")
OPTIONAL_FIELDS = ("aliases", "redirect_from", "draft", "timeline", "diagram", "changes")
KNOWN_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS


@dataclass
class ContentSet:
    """Everything read from one content folder."""

    root: Path
    categories: dict[str, CategoryRecord] = field(default_factory=dict)
    references: dict[str, ReferenceRecord] = field(default_factory=dict)
    glossary: list[GlossaryRecord] = field(default_factory=list)
    timeline: list[TimelineStepRecord] = field(default_factory=list)
    entries: dict[str, EntryRecord] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)  # slugs of entry files that failed to read
    file_hashes: dict[str, str] = field(default_factory=dict)  # data file name -> sha256 of its bytes
    scanned_at: int = 0  # time.time_ns() before the first file was read (see encyclopedia.incremental)
    problems: list[Problem] = field(default_factory=list)

    def display_path(self, path: Path) -> str:
        """A path relative to the content folder's parent, as messages show it."""
        if path.is_absolute() and ".." not in path.parts:  # found under the resolved root: no resolve()
            try:
                return path.relative_to(self.root.parent).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(self.root.parent).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path | str, line: int, message: str) -> None:
        shown = path if isinstance(path, str) else self.display_path(path)
        self.problems.append(Problem(shown, line, message))


def slug_problem(slug: str) -> str | None:
    if not SLUG_PATTERN.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-entry"
        return (
            f"`{slug}` is not a valid slug: use lowercase ASCII letters, digits and single hyphens, "
            f"such as `{suggestion}`"
        )
    return None


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _read_yaml_file(content: ContentSet, path: Path):
    """The node tree of a YAML data file, or None after recording a problem."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    content.file_hashes[path.name] = file_hash(raw)
    shown = content.display_path(path)
    try:
        text = normalise(decode(raw))
    except InputProblem as problem:
        content.problem(shown, problem.line, problem.message)
        return None
    bad = find_forbidden(text)
    for problem in bad:
        content.problem(shown, problem.line, problem.message)
    if bad:
        return None
    try:
        return yn.compose(text)
    except yn.NodeError as exc:
        content.problem(shown, exc.line, exc.message)
        return None


def read_categories(content: ContentSet) -> None:
    path = content.root / CATEGORIES_FILE
    if not path.exists():
        content.problem(path, 1, f"{CATEGORIES_FILE} is missing: every entry needs a category defined there")
        return
    node = _read_yaml_file(content, path)
    if node is None:
        return
    shown = content.display_path(path)
    try:
        items = yn.mapping_items(node, CATEGORIES_FILE)
    except yn.NodeError as exc:
        content.problem(shown, exc.line, exc.message)
        return
    for key, key_node, value in items:
        try:
            if not SLUG_PATTERN.match(key):
                raise yn.NodeError(yn.line(key_node), slug_problem(key).replace("slug", "category key"))
            fields = {name: (name_node, val) for name, name_node, val in yn.mapping_items(value, f"category `{key}`")}
            for name, (name_node, _val) in fields.items():
                if name not in {"title", "order", "description"}:
                    raise yn.NodeError(yn.line(name_node), f"category `{key}`: unknown field `{name}`; "
                                       "use title, order and description")
            for name in ("title", "order", "description"):
                if name not in fields:
                    raise yn.NodeError(yn.line(key_node), f"category `{key}` needs `{name}`")
            content.categories[key] = CategoryRecord(
                key=key,
                title=yn.text(fields["title"][1], "title", max_length=120),
                order=yn.integer(fields["order"][1], "order"),
                description=yn.text(fields["description"][1], "description", max_length=300),
                line=yn.line(key_node),
            )
        except yn.NodeError as exc:
            content.problem(shown, exc.line, exc.message)


def read_references(content: ContentSet, known: Known | None = None) -> None:
    path = content.root / REFERENCES_FILE
    if known is not None and path.is_file():
        raw = path.read_bytes()
        if known.unchanged(REFERENCES_FILE, raw):  # the records the last load stored
            content.file_hashes[REFERENCES_FILE] = file_hash(raw)
            content.references.update(known.references())
            return
    node = _read_yaml_file(content, path)
    if node is None:
        return
    shown = content.display_path(path)
    if isinstance(node, MappingNode):  # pandoc also writes {references: [...]}
        for key, _key_node, value in yn.mapping_items(node, REFERENCES_FILE):
            if key == "references":
                node = value
    if not isinstance(node, SequenceNode):
        content.problem(shown, yn.line(node), f"{REFERENCES_FILE} must be a list of records, each starting `- id: …`")
        return
    for item in node.value:
        try:
            record = read_reference(item)
        except yn.NodeError as exc:
            content.problem(shown, exc.line, exc.message)
            continue
        if record.id in content.references:
            first = content.references[record.id].line
            content.problem(shown, record.line, f"reference id `{record.id}` is used twice (first on line {first}); "
                            "give each record its own id")
            continue
        content.references[record.id] = record


def glossary_key(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(term).lower().encode("ascii", "ignore").decode()).strip("-") or "term"


GLOSSARY_FIELDS = ("term", "definition", "abbreviation", "entry", "also", "pronunciation")


def read_glossary(content: ContentSet) -> None:
    path = content.root / GLOSSARY_FILE
    node = _read_yaml_file(content, path)
    if node is None:
        return
    shown = content.display_path(path)
    if not isinstance(node, SequenceNode):
        content.problem(shown, yn.line(node), f"{GLOSSARY_FILE} must be a list of terms, each starting `- term: …`")
        return
    names: dict[str, tuple[str, int]] = {}
    keys: set[str] = set()
    for item in node.value:
        try:
            fields = {name: (name_node, value) for name, name_node, value in yn.mapping_items(item, "a glossary term")}
            for name, (name_node, _value) in fields.items():
                if name not in GLOSSARY_FIELDS:
                    raise yn.NodeError(yn.line(name_node), f"unknown glossary field `{name}`{did_you_mean(name, GLOSSARY_FIELDS)}")
            for name in ("term", "definition"):
                if name not in fields:
                    raise yn.NodeError(yn.line(item), f"a glossary term needs `{name}`")
            term = yn.text(fields["term"][1], "term", max_length=120)
            key = glossary_key(term)
            if key in keys:
                key = f"{key}-{len(keys)}"
            keys.add(key)
            record = GlossaryRecord(
                key=key,
                term=term,
                definition=yn.text(fields["definition"][1], "definition", max_length=600),
                abbreviation=yn.text(fields["abbreviation"][1], "abbreviation", max_length=40) if "abbreviation" in fields else "",
                entry=yn.text(fields["entry"][1], "entry") if "entry" in fields else "",
                also=tuple(yn.text_list(fields["also"][1], "also")) if "also" in fields else (),
                pronunciation=yn.text(fields["pronunciation"][1], "pronunciation", max_length=120) if "pronunciation" in fields else "",
                line=yn.line(item),
            )
            for name in record.names():
                folded = name.casefold()
                if folded in names and names[folded][0] != key:
                    raise yn.NodeError(record.line, f"`{name}` is already defined on line {names[folded][1]}; "
                                       "define each term or abbreviation once")
                names[folded] = (key, record.line)
            content.glossary.append(record)
        except yn.NodeError as exc:
            content.problem(shown, exc.line, exc.message)


def read_timeline(content: ContentSet) -> None:
    path = content.root / TIMELINE_FILE
    node = _read_yaml_file(content, path)
    if node is None:
        return
    shown = content.display_path(path)
    if not isinstance(node, SequenceNode):
        content.problem(shown, yn.line(node), f"{TIMELINE_FILE} must be a list of steps, each starting `- key: …`")
        return
    allowed = {"key", "title", "duration", "text", "entry", "cite"}
    for item in node.value:
        try:
            fields = {name: (name_node, value) for name, name_node, value in yn.mapping_items(item, "a timeline step")}
            for name, (name_node, _value) in fields.items():
                if name not in allowed:
                    raise yn.NodeError(yn.line(name_node), f"unknown timeline field `{name}`{did_you_mean(name, allowed)}")
            for name in ("key", "title", "duration", "text", "cite"):
                if name not in fields:
                    raise yn.NodeError(yn.line(item), f"a timeline step needs `{name}`")
            content.timeline.append(
                TimelineStepRecord(
                    key=yn.text(fields["key"][1], "key"),
                    title=yn.text(fields["title"][1], "title", max_length=120),
                    duration=yn.text(fields["duration"][1], "duration", max_length=120),
                    text=yn.text(fields["text"][1], "text", max_length=600),
                    entry=yn.text(fields["entry"][1], "entry") if "entry" in fields else "",
                    cite=tuple(yn.text_list(fields["cite"][1], "cite")),
                    line=yn.line(item),
                )
            )
        except yn.NodeError as exc:
            content.problem(shown, exc.line, exc.message)


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
    _read_front_matter(content, record, front)
    if not body.strip():
        content.problem(shown, body_line, "the entry has no text after its front matter; write the entry's body")
    return record if len(content.problems) == before else None


def _read_front_matter(content: ContentSet, record: EntryRecord, front: str) -> None:
    shown = record.path
    offset = 1  # front matter starts on file line 2

    def report(line: int, message: str) -> None:
        content.problem(shown, line + offset, message)

    if not front.strip():
        report(1, "the front matter is empty; add title, summary, category and reviewed")
        return
    try:
        node = yn.compose(front)
        items = yn.mapping_items(node, "front matter")
    except yn.NodeError as exc:
        report(exc.line, exc.message)
        return
    values = {}
    for key, key_node, value in items:
        record.field_lines[key] = yn.line(key_node) + offset
        if key not in KNOWN_FIELDS:
            report(yn.line(key_node), f"unknown field `{key}`{did_you_mean(key, KNOWN_FIELDS)}; "
                   f"the fields are {', '.join(KNOWN_FIELDS)}")
            continue
        values[key] = value
    for key in REQUIRED_FIELDS:
        if key not in values and key not in record.field_lines:
            report(1, f"missing `{key}` in the front matter")
    readers = {
        "title": lambda n: yn.text(n, "title", max_length=200),
        "summary": lambda n: yn.text(n, "summary", max_length=600),
        "category": lambda n: yn.text(n, "category"),
        "reviewed": lambda n: yn.date(n, "reviewed"),
        "aliases": lambda n: tuple(yn.text_list(n, "aliases")),
        "redirect_from": lambda n: tuple(yn.text_list(n, "redirect_from")),
        "draft": lambda n: yn.flag(n, "draft"),
        "timeline": lambda n: yn.flag(n, "timeline"),
        "diagram": lambda n: yn.text(n, "diagram"),
        "changes": read_change_notes,
    }
    for key, value in values.items():
        try:
            setattr(record, key, readers[key](value))
        except yn.NodeError as exc:
            report(exc.line, exc.message)
    if "\n" in record.title:
        report(yn.line(values["title"]), "`title` must be one line")
    if record.diagram and record.diagram not in DIAGRAMS:
        report(yn.line(values["diagram"]), f"unknown diagram `{record.diagram}`; the diagrams are {', '.join(sorted(DIAGRAMS))}")
    for old in record.redirect_from:
        problem = slug_problem(old)
        if problem:
            report(yn.line(values["redirect_from"]), f"redirect_from: {problem}")


def entry_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.md")):
        relative = path.relative_to(root)
        if path.name in IGNORED_NAMES or any(part.startswith((".", "_")) for part in relative.parts):
            continue
        files.append(path)
    return files


def read_content(content_dir: Path | str, known: Known | None = None) -> ContentSet:
    """Read and check everything in the content folder (no rendering, no database).

    ``known`` is what the last load stored: files with exactly the bytes it read are not
    parsed again (see parse_cache).
    """
    root = Path(content_dir).resolve()
    content = ContentSet(root=root, scanned_at=time.time_ns())
    if not root.is_dir():
        content.problem(str(content_dir), 1, "the content folder does not exist; check --content-dir or IMMUNOREF_CONTENT_DIR")
        return content
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
        record = None
        if known and slug in known.entries:
            source_hash = file_hash(raw)
            if source_hash == known.entries[slug][0]:
                record = restore(slug, shown, raw, source_hash, known.entries[slug][1])
        if record is None:
            record = read_entry(content, path, raw)
        if record is not None:
            content.entries[slug] = record
        elif not slug_problem(slug):  # a file name that is no valid slug cannot be a link target
            content.broken.add(slug)
    check_entry_set(content)
    return content


def check_entry_set(content: ContentSet) -> None:
    """Checks across entries: categories, aliases, redirects."""
    claimed: dict[str, tuple[str, str]] = {}  # folded name -> (slug, what)
    for slug, entry in content.entries.items():
        claimed[fold_name(slug)] = (slug, "slug")
    for slug, entry in sorted(content.entries.items()):
        claimed.setdefault(fold_name(entry.title), (slug, "title"))
    for slug, entry in sorted(content.entries.items()):
        if entry.category and entry.category not in content.categories and content.categories:
            content.problem(entry.path, entry.line_of("category"),
                            f"unknown category `{entry.category}`{did_you_mean(entry.category, content.categories)}; "
                            f"the categories are {', '.join(sorted(content.categories))} (see {CATEGORIES_FILE})")
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
