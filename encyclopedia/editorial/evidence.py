"""Evidence rule: a `## For clinicians` section should not rest only on case reports or
laboratory studies (the ``study-type`` of the references it cites, see encyclopedia.study_types)."""

from __future__ import annotations

from typing import Iterator

from ..build import Prepared
from ..errors import Problem
from ..readability import CLINICIAN_HEADING
from ..study_types import STUDY_TYPES, WEAK_STUDY_TYPES
from .entries import outside_code

CLINICIAN_TITLE = "For clinicians"


def clinician_sections(toc: list[dict]) -> set[str]:
    """The ids of the `For clinicians` heading and of every heading after it (the part for clinicians)."""
    start = next((index for index, item in enumerate(toc)
                  if item["level"] == 2 and item["title"].strip() == CLINICIAN_TITLE), None)
    return set() if start is None else {item["id"] for item in toc[start:]}


def clinician_heading_line(entry) -> int:
    body = outside_code(entry.body)
    match = CLINICIAN_HEADING.search(body)
    return entry.body_line + body.count("\n", 0, match.start()) if match else entry.body_line


def weak_clinician_evidence(prepared: Prepared) -> Iterator[Problem]:
    """A warning for each clinician section whose every citation is a case report or a laboratory study."""
    references = prepared.content.references
    for slug, result in sorted(prepared.rendered.items()):
        sections = clinician_sections(result.toc)
        if not sections:
            continue
        keys = list(dict.fromkeys(key for key, _number, section in result.citations if section in sections))
        if not keys or any(references[key].study_type not in WEAK_STUDY_TYPES for key in keys if key in references):
            continue
        entry = prepared.content.entries[slug]
        cited = ", ".join(f"`{key}` ({STUDY_TYPES.get(references[key].study_type, '?')})" for key in keys)
        yield Problem(entry.path, clinician_heading_line(entry),
                      f"the `## {CLINICIAN_TITLE}` section rests only on case reports and laboratory studies "
                      f"({cited}): cite stronger evidence for it too (a guideline, trial, cohort or registry "
                      "study, or systematic review), or say in the text how thin the evidence is", "warning")
