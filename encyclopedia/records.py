"""Plain records read from the content folder: no database, picklable for workers."""

from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any

from .errors import Problem
from .fields import FRONT_MATTER


@dataclass(frozen=True)
class CategoryRecord:
    key: str
    title: str
    order: int
    description: str
    line: int = 1


@dataclass(frozen=True)
class ReferenceRecord:
    """One bibliography record (CSL-YAML) with its Vancouver-style text."""

    id: str
    type: str
    title: str
    year: int
    authors: tuple[str, ...] = ()
    container: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    doi: str = ""
    pmid: str = ""
    url: str = ""
    accessed: str = ""
    note: str = ""
    study_type: str = ""  # guideline, randomised-trial, …: encyclopedia.study_types
    line: int = 1

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def fingerprint(self) -> str:
        return repr((self.id, self.type, self.title, self.year, self.authors, self.container, self.volume,
                     self.issue, self.page, self.doi, self.pmid, self.url, self.accessed, self.note, self.study_type))


@dataclass(frozen=True)
class GlossaryRecord:
    key: str  # anchor on /glossary/, e.g. "cytokine-release-syndrome"
    term: str
    definition: str
    abbreviation: str = ""
    entry: str = ""  # slug of the entry that explains it at length
    also: tuple[str, ...] = ()
    pronunciation: str = ""  # "say …", for hard words and product names
    line: int = 1

    def names(self) -> tuple[str, ...]:
        """Every form that marks the term in an entry."""
        forms = [self.term, *self.also]
        if self.abbreviation:
            forms.append(self.abbreviation)
        return tuple(dict.fromkeys(form for form in forms if form))

    def fingerprint(self) -> str:
        return repr((self.key, self.term, self.definition, self.abbreviation, self.entry, self.also))


@dataclass(frozen=True)
class TimelineStepRecord:
    key: str
    title: str
    duration: str
    text: str
    entry: str = ""
    cite: tuple[str, ...] = ()
    line: int = 1


def _line_of(self, key: str) -> int:
    """The file line of a front-matter field (1 when it is not there)."""
    return self.field_lines.get(key, 1)


# An entry file as read: where it is, one attribute per front-matter field (encyclopedia.fields),
# the body text and where things stand in the file.
EntryRecord = make_dataclass("EntryRecord", [
    ("slug", str),
    ("path", str),  # relative to the content folder's parent, for messages
    ("source_hash", str),
    *((item.name, Any, field(default=item.default)) for item in FRONT_MATTER),
    ("body", str, field(default="")),
    ("body_line", int, field(default=1)),  # file line of the body's first line
    ("field_lines", dict, field(default_factory=dict)),  # front-matter field -> file line
], namespace={"line_of": _line_of, "__doc__": "An entry file as read: front matter values, body text and where they stand."})
EntryRecord.__module__ = __name__  # picklable for the render workers


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
    scanned_at: int = 0  # time.time_ns() before the first file was read (see encyclopedia.changes)
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
