"""The kind of study behind each reference (`study-type`): required, shown on every reference list
and in /references/ (which filters by it), and checked by `checkcontent` for clinician sections."""

from __future__ import annotations

import re

import pytest

from encyclopedia.editorial import check_content
from encyclopedia.errors import ContentError
from encyclopedia.models import Reference
from encyclopedia.study_types import STUDY_TYPES
from tests.contentkit import REFERENCES

LABELS = {
    "guideline": "Guideline or consensus", "systematic-review": "Systematic review",
    "randomised-trial": "Randomised trial", "single-arm-trial": "Single-arm trial",
    "cohort-registry": "Cohort or registry study", "case-report": "Case report or series",
    "narrative-review": "Narrative review", "laboratory": "Laboratory or animal study",
    "regulatory": "Regulatory document or label",
}
STUDY_TYPE = re.compile(r'<span class="study-type">([^<]*)</span>')


def problems(folder) -> list[str]:
    from encyclopedia.build import prepare

    try:
        prepare(folder.root, processes=1)
    except ContentError as exc:
        return [str(problem) for problem in exc.problems]
    return []


def with_types(**types) -> list[dict]:
    """The test references, with some study types changed (None: the field left out)."""
    records = []
    for record in REFERENCES:
        record = dict(record)
        if record["id"] in types:
            record.pop("study-type")
            if types[record["id"]] is not None:
                record["study-type"] = types[record["id"]]
        records.append(record)
    return records


def line_of(folder, text: str) -> int:
    return next(number for number, line in enumerate(folder.path("references.yaml").read_text().split("\n"), 1)
                if text in line)


def test_the_vocabulary_and_its_labels_are_exactly_the_agreed_ones():
    assert dict(STUDY_TYPES) == LABELS


@pytest.mark.django_db
def test_a_missing_study_type_is_a_load_error_at_the_record_with_the_allowed_values(content):
    content.write_yaml("references.yaml", with_types(hartmann2017=None))
    [message] = [line for line in problems(content) if "study-type" in line]
    assert message.startswith(f"content/references.yaml:{line_of(content, 'id: hartmann2017')}: ")
    assert "reference `hartmann2017` has no `study-type`" in message
    assert ", ".join(LABELS) in message


@pytest.mark.django_db
def test_an_unknown_study_type_is_a_load_error_at_its_line_with_a_suggestion(content):
    content.write_yaml("references.yaml", with_types(june2018="randomized-trial"))
    [message] = [line for line in problems(content) if "study-type" in line]
    assert message.startswith(f"content/references.yaml:{line_of(content, 'study-type: randomized-trial')}: ")
    assert "(did you mean `randomised-trial`?)" in message
    assert ", ".join(LABELS) in message


@pytest.mark.django_db
def test_a_misspelt_field_name_suggests_study_type(content):
    records = with_types(june2018=None)
    records[0]["study_type"] = "guideline"
    content.write_yaml("references.yaml", records)
    assert any("unknown reference field `study_type`" in line and "did you mean `study-type`" in line
               for line in problems(content))


@pytest.mark.django_db
def test_a_bad_study_type_leaves_the_loaded_site_as_it_was(content, load, client):
    load(content)
    before = client.get("/references/").content
    content.write_yaml("references.yaml", with_types(june2018="trial"))
    with pytest.raises(ContentError):
        load(content)
    assert client.get("/references/").content == before


@pytest.mark.django_db
def test_the_csl_type_stays_as_it_is(content, load):
    load(content)
    june = Reference.objects.get(key="june2018")
    assert (june.csl["type"], june.study_type) == ("article-journal", "narrative-review")


@pytest.mark.django_db
def test_each_reference_on_an_entry_page_shows_its_label(content, load, client):
    content.write_yaml("references.yaml", with_types(june2018="randomised-trial"))
    load(content)
    page = client.get("/entries/crs/").content.decode()
    items = re.findall(r'<li id="ref-([^"]+)">(.*?)</li>', page, re.S)
    assert [(key, STUDY_TYPE.findall(item)) for key, item in items] == [
        ("june2018", ["Randomised trial"]), ("hartmann2017", ["Narrative review"])]
    assert 'aria-label="Reference 1 (Randomised trial): June CH' in page


@pytest.mark.django_db
def test_the_handout_sources_show_the_label(content, load, client):
    load(content)
    handout = client.get("/entries/crs/handout/").content.decode()
    sources = handout.split('id="handout-references-title"')[1]
    assert STUDY_TYPE.findall(sources) == ["Narrative review", "Narrative review"]


@pytest.mark.django_db
def test_the_timeline_sources_show_the_label(content, load, client):
    content.write_yaml("timeline.yaml", [{"key": "collect", "title": "Collecting", "duration": "One day",
                                          "text": "Cells are collected.", "cite": ["fda-list", "june2018"]}])
    content.entry("infusion-day", title="Infusion day", timeline=True, body="The day [@june2018].\n")
    load(content)
    page = client.get("/entries/infusion-day/").content.decode()
    sources = page.split('class="timeline-sources"')[1].split("</details>")[0]
    assert STUDY_TYPE.findall(sources) == ["Regulatory document or label", "Narrative review"]


@pytest.mark.django_db
def test_the_references_page_shows_every_label_and_filters_by_type(content, load, client):
    load(content)
    page = client.get("/references/").content.decode()
    assert sorted(STUDY_TYPE.findall(page)) == ["Narrative review", "Narrative review", "Regulatory document or label"]
    assert '<form class="study-type-filter" method="get" action="/references/">' in page
    assert '<option value="regulatory">Regulatory document or label (1)</option>' in page
    filtered = client.get("/references/?type=regulatory")
    assert filtered.status_code == 200
    text = filtered.content.decode()
    assert re.findall(r'<li id="ref-([^"]+)">', text) == ["fda-list"]
    assert '<option value="regulatory" selected>' in text
    assert "Showing 1 source of type <strong>Regulatory document or label</strong>" in text
    assert "public" in filtered["Cache-Control"] and filtered["ETag"]
    assert client.get("/references/?type=regulatory", HTTP_IF_NONE_MATCH=filtered["ETag"]).status_code == 304
    empty = client.get("/references/?type=guideline").content.decode()
    assert re.findall(r'<li id="ref-([^"]+)">', empty) == [] and "Showing 0 sources" in empty


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["Regulatory document or label", "REGULATORY", "regulatory "])
def test_the_filter_accepts_a_label_or_another_case(content, load, client, asked):
    load(content)
    text = client.get("/references/", {"type": asked}).content.decode()
    assert re.findall(r'<li id="ref-([^"]+)">', text) == ["fda-list"]


@pytest.mark.django_db
def test_an_unknown_type_gets_a_clear_message_and_every_source(content, load, client):
    load(content)
    response = client.get("/references/?type=randomized-trail")
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is no kind of study called “randomized-trail”." in text
    assert 'Did you mean <a href="?type=randomised-trial">Randomised trial</a>?' in text
    assert len(re.findall(r'<li id="ref-([^"]+)">', text)) == 3
    odd = client.get("/references/", {"type": "<script>x</script>" * 20}).content.decode()
    assert "<script>x" not in odd and "There is no kind of study called" in odd


@pytest.mark.django_db
def test_changing_a_study_type_re_renders_the_entries_citing_it(content, load, client):
    content.entry("plain", body="Cites only hartmann [@hartmann2017]. [[overview]] [[crs]]\n")
    load(content)
    version = client.get("/entries/plain/")["ETag"]
    content.write_yaml("references.yaml", with_types(hartmann2017="systematic-review"))
    report = load(content)
    assert report.rendered == 3  # overview, crs and plain cite hartmann2017
    page = client.get("/entries/plain/")
    assert page["ETag"] != version
    assert STUDY_TYPE.findall(page.content.decode()) == ["Systematic review"]
    assert Reference.objects.get(key="hartmann2017").study_type == "systematic-review"
    assert "Systematic review" in client.get("/references/").content.decode()
    content.write_yaml("references.yaml", with_types(hartmann2017="systematic-review", **{"fda-list": "guideline"}))
    assert load(content).rendered == 0  # nobody cites fda-list


@pytest.mark.django_db
def test_the_api_gives_each_citation_its_study_type(content, load, client):
    load(content)
    data = client.get("/api/v1/entries/crs/").json()
    assert {item["key"]: item["study_type"] for item in data["citations"]} == {
        "june2018": "narrative-review", "hartmann2017": "narrative-review"}


# checkcontent: a clinician section resting only on case reports or laboratory studies

def clinician_folder(content, types: dict, body: str):
    content.write_yaml("references.yaml", with_types(**types))
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS"],
                  body=body)
    return content


CLINICIAN_BODY = ("A fever after the infusion [@june2018]. Back to [[overview]].\n\n"
                  "## For clinicians\n\nFour grades [@hartmann2017].\n\n### Management\n\nSteroids [@{last}].\n")


def evidence_warnings(folder, **options) -> list[str]:
    report = check_content(folder.root, processes=1, database=False, **options)
    return [f"{p.path}:{p.line}: {p.severity}: {p.message}" for p in report.problems if "rests only on" in p.message]


@pytest.mark.django_db
def test_checkcontent_warns_when_a_clinician_section_rests_only_on_case_reports_or_laboratory_studies(content):
    clinician_folder(content, {"hartmann2017": "case-report", "fda-list": "laboratory"},
                     CLINICIAN_BODY.format(last="fda-list"))
    heading = content.path("crs.md").read_text().split("\n").index("## For clinicians") + 1
    [warning] = evidence_warnings(content)
    assert warning.startswith(f"content/crs.md:{heading}: warning: the `## For clinicians` section rests only on "
                              "case reports and laboratory studies (`hartmann2017` (Case report or series), "
                              "`fda-list` (Laboratory or animal study))")
    [error] = evidence_warnings(content, strict=True)
    assert error.startswith(f"content/crs.md:{heading}: error: ")


@pytest.mark.django_db
def test_one_stronger_source_in_the_clinician_section_is_enough(content):
    clinician_folder(content, {"hartmann2017": "case-report", "fda-list": "regulatory"},
                     CLINICIAN_BODY.format(last="fda-list"))
    assert evidence_warnings(content) == []


@pytest.mark.django_db
def test_weak_sources_in_the_part_for_patients_do_not_count(content):
    clinician_folder(content, {"june2018": "case-report", "hartmann2017": "guideline"},
                     CLINICIAN_BODY.format(last="hartmann2017"))
    assert evidence_warnings(content) == []


@pytest.mark.django_db
def test_the_shipped_content_meets_the_evidence_rule_and_every_label_is_known(settings):
    report = check_content(settings.CONTENT_DIR, processes=2, database=False)
    assert [p for p in report.problems if "study-type" in p.message or "rests only on" in p.message] == []
