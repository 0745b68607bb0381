"""checkcontent: citations, figures or sections changed since the last recorded version need a new change note."""

from __future__ import annotations

import pytest

from encyclopedia.editorial import check_content

BODY = "Tocilizumab 8 mg/kg is given [@june2018].\n\n## Grading\n\nFour grades.\n\n[[overview]]\n"


def fever(content, body=BODY, extra=""):
    content.entry("fever", title="Fever", body=body, extra=extra)


def notes_warnings(content, **options):
    report = check_content(content.root, processes=2, **options)
    return [problem for problem in report.problems if "change" in problem.message and "note" in problem.message]


@pytest.mark.django_db
def test_changed_figure_without_a_note_is_a_warning_naming_file_and_line(content, load):
    fever(content)
    load(content)
    fever(content, BODY.replace("8 mg/kg", "12 mg/kg"))
    found = notes_warnings(content)
    assert len(found) == 1
    assert (found[0].path, found[0].line, found[0].severity) == ("content/fever.md", 7, "warning")
    assert "figures (12 mg/kg)" in found[0].message and "since version 1" in found[0].message
    strict = notes_warnings(content, strict=True)
    assert strict[0].severity == "error"


@pytest.mark.django_db
def test_changed_citations_and_sections_are_named(content, load):
    fever(content)
    load(content)
    fever(content, BODY.replace("[@june2018]", "[@hartmann2017]").replace("## Grading", "## Grades"))
    (found,) = notes_warnings(content)
    assert "now cites hartmann2017" in found.message and "no longer cites june2018" in found.message
    assert "sections (added “Grades”; removed “Grading”)" in found.message


@pytest.mark.django_db
def test_a_new_note_or_a_typo_fix_needs_nothing_more(content, load):
    fever(content)
    load(content)
    fever(content, BODY.replace("Four grades.", "Four grades exist."))
    assert notes_warnings(content) == []  # a wording fix
    fever(content, BODY.replace("8 mg/kg", "12 mg/kg"),
          extra="changes:\n  - date: 2026-12-01\n    note: The dose is now 12 mg per kg.")
    assert notes_warnings(content) == []


@pytest.mark.django_db
def test_no_recorded_version_means_nothing_to_compare(content, settings):
    settings.CONTENT_DIR = content.root
    fever(content)
    assert notes_warnings(content) == []
