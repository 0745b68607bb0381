"""Plain records read from the content folder: no database, picklable for workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


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
    study_type: str = ""  # guideline, randomised-trial, … (issue 13 §3)
    line: int = 1

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def fingerprint(self) -> str:
        return repr((self.id, self.type, self.title, self.year, self.authors, self.container, self.volume,
                     self.issue, self.page, self.doi, self.pmid, self.url, self.accessed, self.note))


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


@dataclass
class EntryRecord:
    """An entry file as read: front matter values, body text and where they stand."""

    slug: str
    path: str  # relative to the content folder's parent, for messages
    source_hash: str
    title: str = ""
    summary: str = ""
    category: str = ""
    aliases: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    redirect_from: tuple[str, ...] = ()
    draft: bool = False
    timeline: bool = False
    diagram: str = ""
    changes: tuple[tuple[str, str], ...] = ()  # (ISO date, note): the editors' change notes
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    field_lines: dict[str, int] = field(default_factory=dict)
    section_ids: tuple[str, ...] = ()

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)
