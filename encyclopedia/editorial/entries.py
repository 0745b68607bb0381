"""Rules each entry meets on its own: review date, reading level, the clinician heading,
aliases, and no placeholder text left from ``newentry``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from ..dates import add_months
from ..errors import Problem
from ..records import ContentSet
from ..readability import CLINICIAN_HEADING, TARGET_GRADE, patient_reading_grade, split_patient_part

PLACEHOLDER = "TODO"
_PLACEHOLDER = re.compile(rf"(?<![A-Za-z]){PLACEHOLDER}(?![A-Za-z])")
_NEAR_CLINICIAN_HEADING = re.compile(r"^#{1,6}[ \t]*for[ \t]+clinicians?\b.*$", re.IGNORECASE | re.MULTILINE)
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)", re.MULTILINE)


def review_due(content: ContentSet, as_of: dt.date, max_age_months: int) -> Iterator[Problem]:
    """Entries reviewed more than ``max_age_months`` before ``as_of``, or dated after it.

    These depend on the calendar, not on the files: ``--strict`` never turns them into errors.
    """
    for _slug, entry in sorted(content.entries.items()):
        if entry.reviewed is None:
            continue
        line = entry.line_of("reviewed")
        if entry.reviewed > as_of:
            yield Problem(entry.path, line,
                          f"`reviewed` is {entry.reviewed.isoformat()}, after {as_of.isoformat()}: write the day "
                          "the entry was last checked against its sources", "warning")
        elif add_months(entry.reviewed, max_age_months) < as_of:
            yield Problem(entry.path, line,
                          f"due for review: last reviewed {entry.reviewed.isoformat()}, more than {max_age_months} "
                          f"months before {as_of.isoformat()}; check the entry against current sources, then set "
                          "`reviewed` to the day you did", "warning")


def reading_grades(content: ContentSet) -> dict[str, float]:
    """slug -> Flesch-Kincaid grade of the patient part (the figure the content tests use)."""
    return {slug: patient_reading_grade(entry.body) for slug, entry in sorted(content.entries.items())}


def reading_level(content: ContentSet, grades: dict[str, float]) -> Iterator[Problem]:
    for slug, grade in grades.items():
        entry = content.entries[slug]
        if not split_patient_part(entry.body).strip():
            yield Problem(entry.path, entry.body_line,
                          "the entry starts with `## For clinicians`: write the plain-language part for patients "
                          "before that heading", "warning")
        elif grade > TARGET_GRADE:
            yield Problem(entry.path, entry.body_line,
                          f"the part for patients reads at grade {grade:.1f} (Flesch-Kincaid); the target is "
                          f"{TARGET_GRADE:g} or below: use shorter sentences and everyday words, or move technical "
                          "detail under `## For clinicians`", "warning")


def outside_code(body: str) -> str:
    """The body with fenced code blocks blanked out (line numbers kept)."""
    lines = body.split("\n")
    inside = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            inside = not inside
            lines[index] = ""
        elif inside:
            lines[index] = ""
    return "\n".join(lines)


def clinician_heading(content: ContentSet) -> Iterator[Problem]:
    """A heading that was meant to be `## For clinicians` but is written differently."""
    for _slug, entry in sorted(content.entries.items()):
        body = outside_code(entry.body)
        for match in _NEAR_CLINICIAN_HEADING.finditer(body):
            if not CLINICIAN_HEADING.fullmatch(match.group(0)):
                yield Problem(entry.path, entry.body_line + body.count("\n", 0, match.start()),
                              f"write this heading exactly `## For clinicians` (not `{match.group(0).strip()}`): "
                              "everything before it is the part for patients, judged for reading level", "warning")


def missing_aliases(content: ContentSet) -> Iterator[Problem]:
    for _slug, entry in sorted(content.entries.items()):
        if not entry.aliases:
            yield Problem(entry.path, entry.line_of("aliases") if "aliases" in entry.field_lines else 1,
                          "the entry has no `aliases`: add the other names people search for (abbreviations, "
                          "older or everyday names), e.g. `aliases: [CRS, cytokine storm]`", "warning")


def placeholders(content: ContentSet) -> Iterator[Problem]:
    """`TODO` left in the front matter or the body (``newentry`` writes them)."""
    for _slug, entry in sorted(content.entries.items()):
        for field in ("title", "summary"):
            if _PLACEHOLDER.search(getattr(entry, field)):
                yield Problem(entry.path, entry.line_of(field),
                              f"`{field}` still has placeholder text ({PLACEHOLDER}): write the real {field}",
                              "warning")
        for offset, line in enumerate(outside_code(entry.body).split("\n")):
            if _PLACEHOLDER.search(line):
                yield Problem(entry.path, entry.body_line + offset,
                              f"placeholder text ({PLACEHOLDER}) is still here: replace it with the entry's own "
                              "text", "warning")
