"""The content folder's data files, read into records: categories, references, glossary, timeline.

Each reader records every problem on the :class:`~encyclopedia.records.ContentSet` as
``path:line: message`` and keeps going.  No database.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, SequenceNode

from . import yamlnodes as yn
from .bibliography import read_reference
from .names import SLUG_PATTERN, did_you_mean, glossary_key, slug_problem
from .normalise import InputProblem, decode, find_forbidden, normalise
from .parse_cache import Known, file_hash
from .records import CategoryRecord, ContentSet, GlossaryRecord, TimelineStepRecord

CATEGORIES_FILE = "categories.yaml"
REFERENCES_FILE = "references.yaml"
GLOSSARY_FILE = "glossary.yaml"
TIMELINE_FILE = "timeline.yaml"
DATA_FILES = (CATEGORIES_FILE, REFERENCES_FILE, GLOSSARY_FILE, TIMELINE_FILE)


def read_yaml_file(content: ContentSet, path: Path):
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
    node = read_yaml_file(content, path)
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
            content.references.update(known.references)
            return
    node = read_yaml_file(content, path)
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


GLOSSARY_FIELDS = ("term", "definition", "abbreviation", "entry", "also", "pronunciation")
TIMELINE_FIELDS = ("key", "title", "duration", "text", "entry", "cite")


def _list_file(content: ContentSet, name: str, example: str) -> tuple[str, list] | None:
    """(shown path, items) of a data file that is a list of records, or None after recording a problem."""
    path = content.root / name
    node = read_yaml_file(content, path)
    if node is None:
        return None
    shown = content.display_path(path)
    if not isinstance(node, SequenceNode):
        content.problem(shown, yn.line(node), f"{name} must be a list of {example}")
        return None
    return shown, node.value


def _item_fields(item, what: str, kind: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    """The fields of one record of a list file by name; NodeError for an unknown or missing one."""
    fields = {name: (name_node, value) for name, name_node, value in yn.mapping_items(item, what)}
    for name, (name_node, _value) in fields.items():
        if name not in allowed:
            raise yn.NodeError(yn.line(name_node), f"unknown {kind} field `{name}`{did_you_mean(name, allowed)}")
    for name in required:
        if name not in fields:
            raise yn.NodeError(yn.line(item), f"{what} needs `{name}`")
    return {name: value for name, (_name_node, value) in fields.items()}


def read_glossary(content: ContentSet) -> None:
    found = _list_file(content, GLOSSARY_FILE, "terms, each starting `- term: …`")
    if found is None:
        return
    shown, items = found
    names: dict[str, tuple[str, int]] = {}
    keys: set[str] = set()
    for item in items:
        try:
            fields = _item_fields(item, "a glossary term", "glossary", GLOSSARY_FIELDS, ("term", "definition"))
            term = yn.text(fields["term"], "term", max_length=120)
            key = glossary_key(term)
            if key in keys:
                key = f"{key}-{len(keys)}"
            keys.add(key)
            record = GlossaryRecord(
                key=key,
                term=term,
                definition=yn.text(fields["definition"], "definition", max_length=600),
                abbreviation=yn.text(fields["abbreviation"], "abbreviation", max_length=40) if "abbreviation" in fields else "",
                entry=yn.text(fields["entry"], "entry") if "entry" in fields else "",
                also=tuple(yn.text_list(fields["also"], "also")) if "also" in fields else (),
                pronunciation=yn.text(fields["pronunciation"], "pronunciation", max_length=120) if "pronunciation" in fields else "",
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
    found = _list_file(content, TIMELINE_FILE, "steps, each starting `- key: …`")
    if found is None:
        return
    shown, items = found
    for item in items:
        try:
            fields = _item_fields(item, "a timeline step", "timeline", TIMELINE_FIELDS,
                                  ("key", "title", "duration", "text", "cite"))
            content.timeline.append(
                TimelineStepRecord(
                    key=yn.text(fields["key"], "key"),
                    title=yn.text(fields["title"], "title", max_length=120),
                    duration=yn.text(fields["duration"], "duration", max_length=120),
                    text=yn.text(fields["text"], "text", max_length=600),
                    entry=yn.text(fields["entry"], "entry") if "entry" in fields else "",
                    cite=tuple(yn.text_list(fields["cite"], "cite")),
                    line=yn.line(item),
                )
            )
        except yn.NodeError as exc:
            content.problem(shown, exc.line, exc.message)
