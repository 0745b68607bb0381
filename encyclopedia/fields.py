"""An entry's front-matter fields, each described once.

Every place that handles front matter loops over :data:`FRONT_MATTER`: the loader reads
and checks each field with it (:mod:`encyclopedia.loader`), the entry record has one
attribute per field (:mod:`encyclopedia.records`), the parse cache stores and restores
them (:mod:`encyclopedia.parse_cache`), the write copies the stored ones to their columns
(:mod:`encyclopedia.sync`), the content version hashes them (``build.entry_digest``), and
a change to one that other entries can see takes the full load (``build``).

To add a field: add a :class:`Field` here (and a column with a migration when it is
``stored``); nothing else lists the fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from yaml.nodes import Node

from . import yamlnodes as yn
from .clinical.codes import codes_from_json, codes_to_json, read_codes
from .history.notes import read_change_notes
from .names import slug_problem

DIAGRAMS = {"car-t"}

# How a kind of value is read from YAML, its empty value, and its JSON form (for the parse cache).
KINDS: dict[str, tuple[Callable[[Node, str, int | None], Any], Any, Callable, Callable]] = {
    "text": (lambda node, name, limit: yn.text(node, name, max_length=limit), "", str, str),
    "date": (lambda node, name, limit: yn.date(node, name), None,
             lambda value: value.isoformat() if value else None,
             lambda value: dt.date.fromisoformat(value) if value else None),
    "list": (lambda node, name, limit: tuple(yn.text_list(node, name)), (), list, tuple),
    "flag": (lambda node, name, limit: yn.flag(node, name), False, bool, bool),
    # changes: ((ISO date, note), …), read and checked by encyclopedia.history.notes
    "notes": (lambda node, name, limit: read_change_notes(node), (),
              lambda value: [list(item) for item in value], lambda value: tuple(tuple(item) for item in value or ())),
    "codes": (read_codes, (), codes_to_json, codes_from_json),  # ((system, code), …): encyclopedia/clinical
}


@dataclass(frozen=True)
class Field:
    """One front-matter field."""

    name: str
    kind: str  # a key of KINDS: how it is read and stored in JSON
    required: bool = False
    max_length: int | None = None
    stored: bool = True  # an Entry column of the same name (``category`` is the category's key)
    seen_by_others: bool = False  # other entries' HTML can change with it: a change takes the full load
    check: Callable[[Any], list[str]] | None = None  # problems beyond reading (messages)

    @property
    def default(self) -> Any:
        return KINDS[self.kind][1]

    def read(self, node: Node) -> Any:
        """The value of ``node``; ``yamlnodes.NodeError`` names its line when it is wrong."""
        return KINDS[self.kind][0](node, self.name, self.max_length)

    def to_json(self, value: Any) -> Any:
        return KINDS[self.kind][2](value)

    def from_json(self, value: Any) -> Any:
        return KINDS[self.kind][3](value)

    def column_value(self, value: Any) -> Any:
        """The value as its Entry column holds it (lists for tuples)."""
        if self.kind == "codes":
            return self.to_json(value)
        return list(value) if self.kind == "list" else value


def _one_line(title: str) -> list[str]:
    return ["`title` must be one line"] if "\n" in title else []


def _known_diagram(diagram: str) -> list[str]:
    if diagram and diagram not in DIAGRAMS:
        return [f"unknown diagram `{diagram}`; the diagrams are {', '.join(sorted(DIAGRAMS))}"]
    return []


def _old_slugs(olds: tuple[str, ...]) -> list[str]:
    return [f"redirect_from: {problem}" for problem in map(slug_problem, olds) if problem]


FRONT_MATTER: tuple[Field, ...] = (
    Field("title", "text", required=True, max_length=200, seen_by_others=True, check=_one_line),
    Field("summary", "text", required=True, max_length=600),
    Field("category", "text", required=True),
    Field("reviewed", "date", required=True),
    Field("aliases", "list", seen_by_others=True),
    Field("redirect_from", "list", stored=False, seen_by_others=True, check=_old_slugs),  # Redirect rows
    Field("draft", "flag", seen_by_others=True),
    Field("timeline", "flag", seen_by_others=True),  # checked against timeline.yaml, with the data files
    Field("diagram", "text", check=_known_diagram),
    Field("changes", "notes", stored=False),  # editors' dated change notes: kept with the entry's history
    # The clinical codes the entry explains, [{system: icd10cm | snomedct, code: D89.831}]: checked
    # (known system, well-formed code, none twice), shown to clinicians, found by /infobutton/.
    Field("codes", "codes"),
)
FIELD_NAMES = tuple(field.name for field in FRONT_MATTER)
REQUIRED = tuple(field.name for field in FRONT_MATTER if field.required)
SEEN_BY_OTHERS = tuple(field.name for field in FRONT_MATTER if field.seen_by_others)


def values_of(record) -> tuple:
    """The record's front-matter values, in FRONT_MATTER order (for hashing and comparing)."""
    return tuple(getattr(record, field.name) for field in FRONT_MATTER)
