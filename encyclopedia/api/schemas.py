"""The shapes the API answers with; django-ninja turns them into the OpenAPI description."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class EntrySummary(Schema):
    slug: str
    title: str
    summary: str
    category: str
    url: str  # absolute
    reviewed: dt.date
    version: int | None = None  # the current version number, once entries keep versions


class EntryPage(Schema):
    count: int
    next: str | None
    previous: str | None
    licence: str
    entries: list[EntrySummary]


class Section(Schema):
    id: str
    title: str
    level: int


class Citation(Schema):
    number: int
    key: str
    text: str
    doi: str | None
    pmid: str | None
    url: str | None
    study_type: str | None = None


class TermUsed(Schema):
    term: str
    definition: str
    url: str


class ChangeNote(Schema):
    date: dt.date
    note: str


class ClinicalCode(Schema):
    system: str  # "icd10cm" or "snomedct"
    oid: str  # the code system's OID, as /infobutton/ reads it in mainSearchCriteria.v.cs
    code: str  # ICD-10-CM in its dotted form (D89.831)


class EntryDetail(EntrySummary):
    aliases: list[str]
    codes: list[ClinicalCode]  # the clinical codes the entry explains
    sections: list[Section]
    patient_html: str  # sanitized HTML, links absolute
    clinician_html: str  # "" when the entry has no part for clinicians
    citations: list[Citation]
    glossary: list[TermUsed]
    changes: list[ChangeNote]
    licence: str


class GlossaryItem(Schema):
    key: str
    term: str
    abbreviation: str | None
    definition: str
    also: list[str]
    url: str  # the term on /glossary/
    entry_url: str | None  # the entry that explains it at length


class GlossaryList(Schema):
    count: int
    licence: str
    terms: list[GlossaryItem]


class Reference(Schema):
    key: str
    text: str
    doi: str | None
    pmid: str | None
    url: str | None
    doi_url: str | None
    pubmed_url: str | None
    study_type: str | None = None
    cited_by: list[str]  # slugs of the entries citing it


class ReferenceList(Schema):
    count: int
    licence: str
    references: list[Reference]


class SearchHit(Schema):
    slug: str
    title: str
    url: str
    snippet: str


class SearchAnswer(Schema):
    query: str
    count: int
    go_to: list[SearchHit]
    results: list[SearchHit]


class Problem(Schema):
    detail: str
