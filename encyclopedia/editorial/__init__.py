"""Editorial checks: everything the loader refuses (errors), plus what editors should fix (warnings).

``check_content(content_dir)`` reads and renders the content folder with the loader's
own pipeline (:func:`encyclopedia.build.prepare`, which writes nothing), then runs the
editorial rules on the result.  Each rule is a function of the prepared content that
yields :class:`~encyclopedia.errors.Problem` items with severity ``"warning"``; tests
call them through :func:`check_content` or one by one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..build import Prepared, prepare
from ..errors import Problem
from . import abbreviations, changenotes, citations, entries, evidence, links, published

DEFAULT_MAX_AGE_MONTHS = 12


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    grades: dict[str, float] = field(default_factory=dict)  # slug -> reading grade of the patient part
    entry_count: int = 0
    reference_count: int = 0
    glossary_count: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "warning"]


def editorial_problems(prepared: Prepared, grades: dict[str, float], published_now=None) -> list[Problem]:
    """The warnings that do not depend on the calendar."""
    content = prepared.content
    found: list[Problem] = []
    found += citations.uncited_blocks(prepared)
    found += citations.uncited_references(prepared)
    found += links.too_few_links(prepared)
    found += links.orphans(prepared)
    found += links.duplicate_names(prepared)
    found += abbreviations.undefined_abbreviations(prepared)
    found += entries.reading_level(content, grades)
    found += entries.clinician_heading(content)
    found += evidence.weak_clinician_evidence(prepared)
    found += entries.missing_aliases(content)
    found += entries.placeholders(content)
    found += published.vanished_addresses(prepared, published_now)
    found += list(changenotes.unnoted_changes(prepared)) if published_now is not None else []
    return found


def check_content(
    content_dir: Path | str,
    *,
    as_of: dt.date | None = None,
    max_age_months: int = DEFAULT_MAX_AGE_MONTHS,
    strict: bool = False,
    database: bool = True,
    processes: int | None = None,
) -> CheckReport:
    """Every problem in the content folder, without writing anything.

    Errors are what the loader refuses.  Warnings are editorial; ``strict`` makes them
    errors, except "due for review" (and a review date in the future), which depend
    on the day the check runs (``as_of``, default today), not on the files.
    ``database`` compares with what the database serves, when ``content_dir`` is the
    folder the site loads and the database exists and is migrated.
    """
    from django.conf import settings

    as_of = as_of or dt.date.today()
    prepared = prepare(content_dir, processes=processes, raise_problems=False)
    content = prepared.content
    grades = entries.reading_grades(content)
    published_now = None
    if database and content.root == Path(settings.CONTENT_DIR).resolve():
        published_now = published.published_addresses()
    warnings = editorial_problems(prepared, grades, published_now)
    if strict:
        warnings = [replace(problem, severity="error") for problem in warnings]
    warnings += entries.review_due(content, as_of, max_age_months)
    problems = sorted(set(content.problems) | set(warnings), key=lambda p: (p.path, p.line, p.severity, p.message))
    return CheckReport(
        problems=problems,
        grades=grades,
        entry_count=len(content.entries) + len(content.broken),
        reference_count=len(content.references),
        glossary_count=len(content.glossary),
    )
