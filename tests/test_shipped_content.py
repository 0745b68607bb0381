"""The shipped content passes `checkcontent --strict`, and each rule of issue 5 that can be checked holds.

The review date is judged as of a pinned day, so the suite never starts failing because the
calendar moved ("due for review" is a warning that --strict does not promote anyway).
Run with ``-s`` to see each entry's reading grade and the counts.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from encyclopedia.build import prepare
from encyclopedia.editorial import abbreviations, check_content, citations, links
from encyclopedia.readability import TARGET_GRADE, patient_reading_grade

AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def shipped():
    return prepare(settings.BASE_DIR / "content", processes=2)


def listing(problems) -> str:
    return "\n".join(str(problem) for problem in problems)


def test_the_shipped_content_passes_checkcontent_strict():
    report = check_content(settings.BASE_DIR / "content", as_of=AS_OF, strict=True, database=False, processes=2)
    print(f"\n{report.entry_count} entries, {report.reference_count} references, "
          f"{report.glossary_count} glossary terms")
    for slug, grade in report.grades.items():
        print(f"{grade:5.1f}  {slug}")
    assert report.errors == [], "\n" + listing(report.errors)


def test_every_entry_has_complete_front_matter(shipped):
    for slug, entry in shipped.content.entries.items():
        assert entry.title and entry.summary and entry.category and entry.reviewed, slug
        assert entry.aliases, f"{slug}: no aliases"
        assert not entry.draft, f"{slug}: a draft is shipped"


def test_every_paragraph_list_and_table_in_factual_parts_cites_a_source(shipped):
    assert list(citations.uncited_blocks(shipped)) == [], "\n" + listing(citations.uncited_blocks(shipped))


def test_every_reference_is_cited(shipped):
    assert list(citations.uncited_references(shipped)) == []


def test_every_entry_links_to_two_others_and_none_is_an_orphan(shipped):
    graph = links.link_graph(shipped)
    assert {slug: len(targets) for slug, targets in graph.items() if len(targets) < 2} == {}
    linked = set().union(*graph.values())
    assert set(shipped.content.entries) - linked == set()


def test_the_glossary_defines_every_abbreviation_used(shipped):
    assert list(abbreviations.undefined_abbreviations(shipped)) == [], \
        "\n" + listing(abbreviations.undefined_abbreviations(shipped))


def test_every_patient_part_reads_at_grade_8_or_below(shipped):
    grades = {slug: patient_reading_grade(entry.body) for slug, entry in shipped.content.entries.items()}
    assert {slug: grade for slug, grade in grades.items() if grade > TARGET_GRADE} == {}


def test_each_entry_with_precise_detail_has_a_clinician_part(shipped):
    """The overview and the procedure and risk entries carry a `## For clinicians` section."""
    without = [slug for slug, entry in shipped.content.entries.items()
               if "\n## For clinicians" not in "\n" + entry.body and entry.category in {"risks", "procedure", "basics"}]
    assert without == []
