"""`checkcontent`: the loader's errors plus the editorial warnings, each at its file and line."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from encyclopedia.editorial import check_content
from encyclopedia.editorial.abbreviations import undefined_in
from encyclopedia.readability import patient_reading_grade
from tests.contentkit import ContentFolder

AS_OF = dt.date(2026, 11, 25)


def clean_folder(root: Path) -> ContentFolder:
    """Three entries that meet every editorial rule."""
    folder = ContentFolder.minimal(root)
    folder.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                 body="Immune cells are given by drip [@june2018]. See [[crs]] and [[grading]].\n\n"
                      "## How it works\n\nThe cells find the target [@hartmann2017].\n")
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body="A fever after the infusion [@june2018]. Back to [[overview]] or [[grading]].\n\n"
                      "## For clinicians\n\nFour grades [@june2018; @hartmann2017].\n")
    folder.entry("grading", title="Grading side effects", category="risks", aliases=["side effect grades"],
                 body="Doctors grade side effects from 1 to 4 [@fda-list]. See [[overview]] and [[crs]].\n")
    return folder


def grading(folder: ContentFolder, **front) -> None:
    """(Re)write the third entry of the clean folder with another body or front matter."""
    front.setdefault("aliases", ["grades"])
    folder.entry("grading", title=front.pop("title", "Grading side effects"), category="risks", **front)


@pytest.fixture
def folder(tmp_path) -> ContentFolder:
    return clean_folder(tmp_path / "content")


def check(folder: ContentFolder, **options):
    options.setdefault("as_of", AS_OF)
    options.setdefault("database", False)
    return check_content(folder.root, processes=2, **options)


def found(folder: ContentFolder, **options) -> list[str]:
    """Problems as `path:line: severity: message` strings."""
    return [f"{p.path}:{p.line}: {p.severity}: {p.message}" for p in check(folder, **options).problems]


def only(folder: ContentFolder, text: str, **options) -> list[str]:
    return [line for line in found(folder, **options) if text in line]


def test_a_clean_folder_has_no_problems_even_when_strict(folder):
    report = check(folder, strict=True)
    assert report.problems == []
    assert (report.entry_count, report.reference_count, report.glossary_count) == (3, 3, 2)
    assert set(report.grades) == {"overview", "crs", "grading"}


# --- what the loader refuses: errors ---------------------------------------------------------

def test_loader_errors_are_errors_with_file_and_line(folder):
    grading(folder,
                 body="Intro [@june2018]. See [[overview]] and [[crs#no-such-part]].\n\n"
                      "Another line [@nobody2020] and [[nowhere]].\n")
    problems = [line for line in found(folder) if ": error: " in line]
    assert problems == [
        "content/grading.md:8: error: cross-link `[[crs#no-such-part]]`: entry `crs` has no section `#no-such-part` "
        "(its sections are: for-clinicians)",
        "content/grading.md:10: error: citation `[@nobody2020]`: no reference with id `nobody2020` in "
        "references.yaml; add the record or fix the id",
        "content/grading.md:10: error: cross-link `[[nowhere]]`: no entry or alias `nowhere`; use an entry's slug "
        "(its file name) or one of its aliases",
    ]


def test_a_broken_file_is_reported_and_the_rest_still_checked(folder):
    folder.write_bytes("broken.md", b"---\ntitle: x\n\xff\xfe\n---\n")
    grading(folder,
                 body="No citation here. See [[overview]] and [[crs]].\n")
    lines = found(folder)
    assert any(line.startswith("content/broken.md:3: error: the file is not valid UTF-8") for line in lines)
    assert any(line.startswith("content/grading.md:8: warning: this paragraph cites no source") for line in lines)


def test_a_missing_folder_is_one_clear_error(tmp_path):
    report = check_content(tmp_path / "nowhere", as_of=AS_OF, database=False)
    assert [p.message for p in report.errors] == [
        "the content folder does not exist; check --content-dir or IMMUNOREF_CONTENT_DIR"]


# --- citations ---------------------------------------------------------------------------------

def test_paragraphs_lists_and_tables_without_a_citation_are_named_by_line(folder):
    grading(folder, body=(
        "Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n"   # line 8
        "\n"
        "A paragraph with no source.\n"                                             # 10
        "\n"
        "- one item\n"                                                              # 12
        "- another\n"
        "\n"
        "| Grade | Sign |\n"                                                        # 15
        "|---|---|\n"
        "| 1 | Fever |\n"
        "\n"
        "> A quotation\n"                                                           # 19
        "\n"
        "- a cited list [@june2018]\n"
        "- second item\n"))
    assert only(folder, "cites no source") == [
        "content/grading.md:10: warning: this paragraph cites no source: add a citation [@id] (an id from "
        "references.yaml) at the end of the sentence it supports; a section that states no facts (such as "
        "questions to ask) can be exempted by ending its heading with {: .no-cite}",
        "content/grading.md:12: warning: this list cites no source: add a citation [@id] (an id from references.yaml) "
        "to the items it supports, or to a sentence ending with a colon that introduces the list; a section that "
        "states no facts (such as questions to ask) can be exempted by ending its heading with {: .no-cite}",
        "content/grading.md:15: warning: this table cites no source: add a citation [@id] (an id from "
        "references.yaml) in the cells it supports, or to a sentence ending with a colon that introduces the table; "
        "a section that states no facts (such as questions to ask) can be exempted by ending its heading with "
        "{: .no-cite}",
        "content/grading.md:19: warning: this quotation cites no source: add a citation [@id] (an id from "
        "references.yaml) inside the quotation; a section that states no facts (such as questions to ask) can be "
        "exempted by ending its heading with {: .no-cite}",
    ]


def test_a_no_cite_heading_exempts_its_section_until_a_heading_of_the_same_level(folder):
    grading(folder, body=(
        "Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n"   # 8
        "\n"
        "## Questions to ask {: .no-cite}\n"                                        # 10
        "\n"
        "- What grade is it?\n"
        "\n"
        "### More questions\n"                                                      # 14
        "\n"
        "Still exempt.\n"
        "\n"
        "## Back to facts\n"                                                        # 18
        "\n"
        "Not exempt any more.\n"))                                                  # 20
    assert [line.split(": warning")[0] for line in only(folder, "cites no source")] == ["content/grading.md:20"]


def test_a_sentence_ending_with_a_colon_carries_the_citation_of_its_list_or_table(folder):
    grading(folder, body=(
        "Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n"
        "\n"
        "The grades are [@june2018]:\n"
        "\n"
        "- grade 1\n"
        "- grade 2\n"
        "\n"
        "Signs to report:\n"
        "\n"
        "- fever [@june2018]\n"
        "\n"
        "A sentence ending with a colon is not a list:\n"                           # 19
        "\n"
        "Nor is this paragraph.\n"))                                                # 21
    assert [line.split(": warning")[0] for line in only(folder, "cites no source")] == [
        "content/grading.md:19", "content/grading.md:21"]


def test_a_citation_inside_code_does_not_count(folder):
    grading(folder,
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n\n"
                      "Write `[@june2018]` to cite.\n")
    assert [line.split(": warning")[0] for line in only(folder, "cites no source")] == ["content/grading.md:10"]


def test_references_cited_nowhere_are_named_at_their_record(folder):
    folder.write_yaml("references.yaml", [*__import__("tests.contentkit", fromlist=["REFERENCES"]).REFERENCES,
                                          {"id": "unused2020", "title": "Never cited", "issued": 2020, "study-type": "laboratory"}])
    lines = only(folder, "unused2020")
    assert len(lines) == 1
    assert lines[0].startswith("content/references.yaml:")
    assert lines[0].endswith("warning: reference `unused2020` is cited by no entry: cite it with [@unused2020] where "
                             "it supports the text, or remove the record")
    line = int(lines[0].split(":")[1])
    assert (folder.root / "references.yaml").read_text().split("\n")[line - 1] == "- id: unused2020"


def test_a_reference_cited_only_by_the_timeline_counts_as_cited(folder):
    grading(folder,
                 body="Doctors grade side effects [@june2018]. See [[overview]] and [[crs]].\n")
    assert only(folder, "fda-list")
    folder.write_yaml("timeline.yaml", [{"key": "collect", "title": "Collecting", "duration": "One day",
                                         "text": "Cells are collected.", "cite": ["fda-list"]}])
    assert not only(folder, "fda-list")


# --- links -------------------------------------------------------------------------------------

def test_fewer_than_two_cross_links_is_a_warning(folder):
    grading(folder,
                 body="Doctors grade side effects [@fda-list]. See [[overview]], [[overview|again]] and [[grading]].\n")
    assert only(folder, "links to") == [
        "content/grading.md:8: warning: the entry links to only one other entry: link to at least 2 related entries "
        "with [[slug]] or [[slug|link text]] so readers can find their way"]


def test_an_entry_no_other_entry_links_to_is_an_orphan(folder):
    folder.entry("lonely", title="A lonely page", category="basics", aliases=["alone"],
                 body="Text [@june2018]. See [[overview]] and [[crs]].\n")
    assert only(folder, "orphan") == [
        "content/lonely.md:1: warning: no other entry links to `lonely` (an orphan): add [[lonely]] where a related "
        "entry mentions its subject, so readers can reach it"]


def test_links_from_a_draft_do_not_save_an_entry_from_being_an_orphan_and_drafts_are_not_orphans(folder):
    folder.entry("lonely", title="A lonely page", category="basics", aliases=["alone"],
                 body="Text [@june2018]. See [[overview]] and [[crs]].\n")
    folder.entry("work", title="Work in progress", category="basics", aliases=["wip"], draft=True,
                 body="Text [@june2018]. See [[lonely]] and [[crs]].\n")
    assert [line.split(":")[0] for line in only(folder, "orphan")] == ["content/lonely.md"]


def test_a_title_claimed_by_two_entries_is_a_warning(folder):
    folder.entry("grading", title="Cytokine Release Syndrome", category="risks", aliases=["grades"],
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    assert only(folder, "lead to one entry only") == [
        "content/grading.md:2: warning: `Cytokine Release Syndrome` (its title) is also the title of entry `crs`: a "
        "title, alias or old address should lead to one entry only; change one of them"]


def test_an_alias_equal_to_another_entry_old_address_is_a_warning(folder):
    folder.entry("grading", title="Grading side effects", category="risks", aliases=["old-overview"],
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    folder.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                 redirect_from=["old-overview"],
                 body="Immune cells are given by drip [@june2018]. See [[crs]] and [[grading]].\n\n"
                      "## How it works\n\nThe cells find the target [@hartmann2017].\n")
    assert only(folder, "lead to one entry only") == [
        "content/overview.md:7: warning: `old-overview` (its old address (redirect_from)) is also the alias of entry "
        "`grading`: a title, alias or old address should lead to one entry only; change one of them"]


# --- abbreviations -----------------------------------------------------------------------------

def test_an_abbreviation_missing_from_the_glossary_is_named_once_at_its_first_use(folder):
    grading(folder,
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n\n"
                      "The HSCT team and CAR T cells, then HSCT again [@june2018].\n")
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body="A fever after HSCT [@june2018]. Back to [[overview]] or [[grading]].\n")
    assert only(folder, "abbreviation") == [
        "content/crs.md:8: warning: `HSCT` looks like an abbreviation but is not in the glossary (also used in 1 "
        "other file): add it to glossary.yaml (a `term` with `abbreviation: HSCT` and a plain definition), or write "
        "it out in full"]


def test_abbreviations_in_summaries_and_glossary_definitions_count(folder):
    grading(folder,
                 summary="How the ICU team grades side effects.",
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    assert [line.split(": warning")[0] for line in only(folder, "`ICU`")] == ["content/grading.md:3"]


def test_an_abbreviation_inside_a_glossary_term_counts_as_defined(folder):
    from tests.contentkit import GLOSSARY

    folder.write_yaml("glossary.yaml", [*GLOSSARY, {"term": "PRIME scheme", "definition": "A scheme for medicines."}])
    grading(folder, body="Supported by the PRIME scheme [@fda-list]. See [[overview]] and [[crs]].\n\n"
                         "Also supported through PRIME [@june2018].\n")
    assert [line.split(": warning")[0] for line in only(folder, "`PRIME`")] == ["content/grading.md:10"]


@pytest.mark.parametrize("text, missing", [
    ("CRS and CARs and CAR-NK-like cells", []),             # defined, plural, compound with a defined part
    ("IL-6 and GM-CSF", ["IL", "GM", "CSF"]),                 # compounds split when the whole is not defined
    ("stage IIIC or IV melanoma, phase II", []),              # roman numerals
    ("leukapheresis (say loo-kuh-fuh-REE-sis)", []),          # a pronunciation guide
    ("approved in the US and the EU", []),                    # ordinary words
    ("the IMPACT trial and the ZUMA-1 study", []),            # named as a trial or study
    ("in ZUMA-1, KTE-X19, CD28 and HLA-A", ["CD28", "HLA"]),  # trial and product codes are names
    ("NOT a Word, A B C, I, CAR-Tx, AbC, ABCDEFG", []),       # too short, too long, mixed case
    ("ÉCRS and CRSé", []),                                    # part of a longer word
])
def test_what_counts_as_an_abbreviation(text, missing):
    assert undefined_in(text, {"CRS", "CAR", "CAR-NK"}) == missing


def test_a_compound_defined_as_a_whole_is_not_split():
    assert undefined_in("IL-6 and GM-CSF, PAP-GM-CSF", {"IL-6", "GM-CSF", "PAP"}) == []


# --- each entry on its own ---------------------------------------------------------------------

def test_review_due_is_judged_as_of_a_date_and_never_made_an_error(folder):
    grading(folder, reviewed="2025-10-31",
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    due = ("content/grading.md:5: warning: due for review: last reviewed 2025-10-31, more than 12 months before "
           "2026-11-25; check the entry against current sources, then set `reviewed` to the day you did")
    assert only(folder, "due for review", strict=True) == [due]
    assert only(folder, "due for review", as_of=dt.date(2026, 10, 31)) == []
    assert only(folder, "due for review", as_of=dt.date(2026, 11, 1)) != []
    assert only(folder, "due for review", max_age_months=24) == []
    assert check(folder, strict=True).errors == []


def test_a_review_date_after_today_is_a_warning_too(folder):
    grading(folder, reviewed="2062-11-25",
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    assert only(folder, "after 2026-11-25", strict=True) == [
        "content/grading.md:5: warning: `reviewed` is 2062-11-25, after 2026-11-25: write the day the entry was last "
        "checked against its sources"]


def test_a_patient_part_above_grade_8_is_a_warning_with_the_same_figure_as_readability(folder):
    body = ("Autologous chimeric antigen receptor lymphocytes demonstrate considerable antineoplastic "
            "effectiveness notwithstanding substantial immunological toxicities [@june2018]. See [[overview]] and "
            "[[crs]].\n\n## For clinicians\n\nShort [@june2018].\n")
    grading(folder, body=body)
    grade = patient_reading_grade(body)
    assert grade > 8
    report = check(folder)
    assert report.grades["grading"] == grade
    assert only(folder, "reads at grade") == [
        f"content/grading.md:8: warning: the part for patients reads at grade {grade:.1f} (Flesch-Kincaid); the "
        "target is 8 or below: use shorter sentences and everyday words, or move technical detail under "
        "`## For clinicians`"]


def test_only_the_part_before_for_clinicians_is_judged(folder):
    grading(folder, body=(
        "Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n\n## For clinicians\n\n"
        "Autologous chimeric antigen receptor lymphocytes demonstrate considerable antineoplastic "
        "effectiveness notwithstanding substantial immunological toxicities [@june2018].\n"))
    assert only(folder, "reads at grade") == []


def test_a_misspelt_clinician_heading_and_a_missing_patient_part_are_warnings(folder):
    grading(folder, body=(
        "## For Clinicians:\n\nDoctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n"))
    assert only(folder, "For clinicians") == [
        "content/grading.md:8: warning: write this heading exactly `## For clinicians` (not `## For Clinicians:`): "
        "everything before it is the part for patients, judged for reading level"]
    grading(folder, body=(
        "## For clinicians\n\nDoctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n"))
    assert only(folder, "starts with") == [
        "content/grading.md:8: warning: the entry starts with `## For clinicians`: write the plain-language part for "
        "patients before that heading"]


def test_missing_aliases_and_placeholders_are_warnings(folder):
    folder.entry("grading", title="Grading side effects", category="risks", summary="TODO: write this",
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n\nTODO: more [@june2018].\n")
    assert [line.split(": ", 2)[2] for line in only(folder, "content/grading.md")] == [
        "the entry has no `aliases`: add the other names people search for (abbreviations, older or everyday "
        "names), e.g. `aliases: [CRS, cytokine storm]`",
        "`summary` still has placeholder text (TODO): write the real summary",
        "placeholder text (TODO) is still here: replace it with the entry's own text",
    ]


# --- strict, and what the database serves ---------------------------------------------------------

def test_strict_turns_editorial_warnings_into_errors(folder):
    grading(folder,
                 body="Doctors grade [@fda-list]. See [[overview]] and [[crs]].\n\nNo source.\n")
    assert [p.severity for p in check(folder).problems] == ["warning"]
    assert [p.severity for p in check(folder, strict=True).problems] == ["error"]


@pytest.mark.django_db
def test_addresses_the_database_serves_that_the_files_lost_are_warnings(folder, load):
    grading(folder,
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs#for-clinicians]].\n\n"
                      "## Grade 1\n\nFever [@june2018].\n")
    load(folder)
    folder.remove("grading.md")
    folder.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                 body="Immune cells are given by drip [@june2018]. See [[crs]].\n\n"
                      "## How it is done\n\nThe cells find the target [@hartmann2017].\n")
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n"
                      "## For clinicians\n\nFour grades [@june2018; @hartmann2017].\n")
    lines = only(folder, "loaded database", database=True)
    assert lines == [
        "content/grading.md:1: warning: entry `grading` is published (in the loaded database) but its file is gone: "
        "shared links to /entries/grading/ will answer \"gone\"; if another entry replaces it, add "
        "`redirect_from: [grading]` to that entry's front matter, or keep the file",
        "content/overview.md:8: warning: section `#how-it-works` is published (in the loaded database) but no longer "
        "in the file: shared links to /entries/overview/#how-it-works will land at the top of the page; keep the id "
        "by ending the heading that replaced it with {: #how-it-works}",
    ]
    folder.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                 redirect_from=["grading"],
                 body="Immune cells are given by drip [@june2018]. See [[crs]].\n\n"
                      "## How it is done {: #how-it-works}\n\nThe cells find the target [@hartmann2017].\n")
    assert only(folder, "loaded database", database=True) == []
    assert only(folder, "loaded database", database=False) == []


@pytest.mark.django_db
def test_an_entry_made_a_draft_again_is_named(folder, load):
    load(folder)
    grading(folder, draft=True,
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    folder.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                 body="Immune cells are given by drip [@june2018]. See [[crs]] and [[cytokine storm]].\n\n"
                      "## How it works\n\nThe cells find the target [@hartmann2017].\n")
    folder.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                 body="A fever after the infusion [@june2018]. Back to [[overview]] or [[cell therapy]].\n\n"
                      "## For clinicians\n\nFour grades [@june2018; @hartmann2017].\n")
    assert only(folder, "loaded database", database=True) == [
        "content/grading.md:6: warning: entry `grading` is published (in the loaded database) but now marked "
        "`draft: true`: its address will answer \"not found\" until it is published again"]


# --- the command -------------------------------------------------------------------------------

def run_command(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("checkcontent", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def test_command_prints_loader_style_lines_with_warnings_marked(folder):
    grading(folder,
                 body="Doctors grade [@fda-list]. See [[overview]] and [[crs]].\n\nNo source here.\n")
    status, output = run_command("--content-dir", str(folder.root), "--as-of", "2026-11-25")
    assert status == 0
    lines = output.splitlines()
    assert lines[0].startswith("content/grading.md:10: warning: this paragraph cites no source")
    assert lines[-1] == "3 entries, 3 references, 2 glossary terms: 0 errors, 1 warning"
    status, output = run_command("--content-dir", str(folder.root), "--as-of", "2026-11-25", "--strict")
    assert status == 1
    assert output.splitlines()[0].startswith("content/grading.md:10: this paragraph cites no source")


def test_command_json_lists_every_problem(folder):
    grading(folder,
                 body="Doctors grade [@fda-list]. See [[overview]] and [[nowhere]].\n\nNo source here.\n")
    status, output = run_command("--content-dir", str(folder.root), "--format", "json")
    assert status == 1
    problems = json.loads(output)
    assert {(p["path"], p["line"], p["severity"]) for p in problems} == {
        ("content/grading.md", 8, "error"), ("content/grading.md", 8, "warning"), ("content/grading.md", 10, "warning")}
    assert set(problems[0]) == {"path", "line", "severity", "message"}


def test_command_exits_0_when_only_review_dates_are_due_even_when_strict(folder):
    grading(folder, reviewed="2020-01-01",
                 body="Doctors grade side effects [@fda-list]. See [[overview]] and [[crs]].\n")
    status, output = run_command("--content-dir", str(folder.root), "--strict", "--as-of", "2026-11-25")
    assert status == 0
    assert "warning: due for review" in output
    status, _output = run_command("--content-dir", str(folder.root), "--strict", "--as-of", "2026-11-25",
                                  "--max-age-months", "120")
    assert status == 0


def test_command_verbose_prints_reading_grades_and_counts(folder):
    status, output = run_command("--content-dir", str(folder.root), "-v", "2")
    assert status == 0
    assert "Reading grade of the part for patients (target 8 or below):" in output
    assert any(line.strip().endswith("grading") for line in output.splitlines())


@pytest.mark.parametrize("args, message", [
    (["--as-of", "25/11/2026"], "--as-of must be a date written YYYY-MM-DD, such as 2026-11-25, not `25/11/2026`"),
    (["--max-age-months", "0"], "--max-age-months must be a whole number of months, 1 or more"),
])
def test_command_refuses_bad_options_with_a_clear_message(folder, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("checkcontent", "--content-dir", str(folder.root), *args)


def test_command_never_creates_a_database_file(folder, tmp_path):
    database = tmp_path / "not-there.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "IMMUNOREF_CONTENT_DIR": str(folder.root)}
    result = subprocess.run([sys.executable, "manage.py", "checkcontent", "--strict"], cwd=settings.BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not database.exists()


# --- hostile content -----------------------------------------------------------------------------

@pytest.mark.slow
def test_hostile_content_gets_file_and_line_problems_never_a_traceback(tmp_path):
    from tests import hostile

    folder = clean_folder(tmp_path / "content")
    # Markdown and extension tricks, bombs and naughty strings (the XSS vectors concern the sanitizer;
    # the bombs the renderer stops at its CPU limit are below, where only the text checks reach them).
    cases = [case for case in hostile.body_cases() if case.group in {"markdown", "extension", "refused"}]
    cases += [case for case in hostile.bomb_cases() if case.name not in TOO_COMPLEX_TO_RENDER]
    cases += hostile.blns_cases(hostile.blns_strings() or [])
    for case in cases:
        case.write(folder.root)
    report = check_content(folder.root, as_of=AS_OF, database=False, strict=True)
    assert report.errors
    lengths = {path.name: path.read_text(encoding="utf-8", errors="replace").count("\n") + 1
               for path in folder.root.iterdir()}
    for problem in report.problems:
        assert problem.path.startswith("content/"), problem
        assert 1 <= problem.line <= lengths[problem.path.removeprefix("content/")], problem
        assert problem.severity in {"error", "warning"} and problem.message, problem
    assert set(report.grades) <= {case.name for case in cases} | {"overview", "crs", "grading"}


TOO_COMPLEX_TO_RENDER = {f"bomb-{name}" for name in (
    "unclosed-links", "unclosed-brackets", "unclosed-wikilinks", "unclosed-citations", "long-table", "wide-table")}


def test_the_text_checks_read_every_bomb_in_one_pass():
    """Reading grade, placeholders and headings are computed on every entry read, rendered or not."""
    from encyclopedia.editorial import entries
    from encyclopedia.records import ContentSet
    from encyclopedia.records import EntryRecord
    from tests import hostile

    content = ContentSet(root=Path("content"))
    for case in hostile.bomb_cases():
        content.entries[case.name] = EntryRecord(slug=case.name, path=f"content/{case.name}.md", source_hash="",
                                                 body=case.body, body_line=7)
    grades = entries.reading_grades(content)
    assert set(grades) == {case.name for case in hostile.bomb_cases()}
    list(entries.reading_level(content, grades))
    list(entries.clinician_heading(content))
    list(entries.placeholders(content))
