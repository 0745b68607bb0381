"""Clinical codes in front matter: checked with file and line, stored, shown to clinicians, in the API;
and the HL7 Infobutton that finds entries by them (formats, parent codes, dots, hostile parameters)."""

from __future__ import annotations

import json

import pytest

from tests.test_loader_errors import only, problems

ICD = "2.16.840.1.113883.6.90"
SNOMED = "2.16.840.1.113883.6.96"
HEAD = "---\ntitle: T\nsummary: s\ncategory: basics\nreviewed: 2026-01-01\ncodes:\n"


@pytest.mark.django_db
@pytest.mark.parametrize("items, line, needle", [
    ("  - {system: icd9, code: D89.831}\n", 7, "unknown code system `icd9`"),
    ("  - {system: icd10cm, code: D8}\n", 7, "not an ICD-10-CM code"),
    ("  - {system: icd10cm, code: 'D89.831; drop'}\n", 7, "not an ICD-10-CM code"),
    ("  - {system: icd10cm, code: D89.831}\n  - {system: icd10cm, code: D89831}\n", 8, "listed twice"),
    ("  - {system: snomedct, code: '138875006'}\n", 7, "Verhoeff"),
    ("  - {system: icd10cm}\n", 7, "needs `code`"),
    ("  - {system: icd10cm, code: D89.831, note: x}\n", 7, "unknown key `note`"),
    ("  - D89.831\n", 7, "each item of `codes`"),
])
def test_code_mistakes_name_file_and_line(content, items, line, needle):
    content.write("bad.md", f"{HEAD}{items}---\nBody [@june2018].\n")
    message = only(content, needle)
    assert message.startswith(f"content/bad.md:{line}: "), message


@pytest.mark.django_db
def test_valid_codes_load(content):
    content.write("good.md", f"{HEAD}  - {{system: icd10cm, code: d89831}}\n  - {{system: snomedct, code: '138875005'}}\n"
                             "---\nBody [@june2018].\n")
    assert problems(content) == []


@pytest.fixture
def coded(content, load, settings):
    settings.BASE_URL = "https://immunoref.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "immunoref.example.org"]
    content.entry("crs", title="Cytokine release syndrome", category="risks",
                  codes=[{"system": "icd10cm", "code": f"D89.83{grade}"} for grade in range(1, 6)]
                  + [{"system": "icd10cm", "code": "T80.82XA"}])
    content.entry("icans", title="Neurotoxicity", category="risks",
                  codes=[{"system": "icd10cm", "code": "G92.01"}, {"system": "icd10cm", "code": "T80.82XA"},
                         {"system": "snomedct", "code": "138875005"}])
    content.entry("hidden", title="Draft", draft=True, codes=[{"system": "icd10cm", "code": "Z99.89"}])
    load(content)
    return content


def infobutton(client, code, system=ICD, **extra):
    params = {"mainSearchCriteria.v.c": code, "mainSearchCriteria.v.cs": system, **extra}
    return client.get("/infobutton/", params)


@pytest.mark.django_db
def test_codes_are_shown_on_the_page_and_in_the_api(coded, client):
    page = client.get("/entries/crs/").content.decode()
    assert "Clinical codes" in page and "<code>D89.831</code>" in page and "<code>T80.82XA</code>" in page
    detail = client.get("/api/v1/entries/icans/").json()
    assert {"system": "icd10cm", "oid": ICD, "code": "G92.01"} in detail["codes"]
    assert {"system": "snomedct", "oid": SNOMED, "code": "138875005"} in detail["codes"]
    assert "codes" in client.get("/api/v1/openapi.json").json()["components"]["schemas"]["EntryDetail"]["properties"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["D89.831", "D89831", "d89.831", " D89.831 "])
def test_one_match_redirects_to_the_entry_with_or_without_the_dot(coded, client, code):
    response = infobutton(client, code)
    assert response.status_code == 302 and response["Location"] == "/entries/crs/"


@pytest.mark.django_db
def test_a_parent_code_matches_the_codes_below_it(coded, client):
    answer = infobutton(client, "D89.8", knowledgeResponseType="application/json").json()
    assert [item["slug"] for item in answer["entries"]] == ["crs"]
    several = infobutton(client, "T80.82")
    assert several.status_code == 302
    listing = client.get(several["Location"])
    assert listing.status_code == 200
    assert "Cytokine release syndrome" in listing.content.decode() and "Neurotoxicity" in listing.content.decode()


@pytest.mark.django_db
def test_json_answers(coded, client):
    response = infobutton(client, "T80.82XA", knowledgeResponseType="application/json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    entries = response.json()["entries"]
    assert [item["slug"] for item in entries] == ["crs", "icans"]
    assert entries[0] == {"slug": "crs", "title": "Cytokine release syndrome",
                          "url": "https://immunoref.example.org/entries/crs/"}
    snomed = infobutton(client, "138875005", SNOMED, knowledgeResponseType="application/json").json()
    assert [item["slug"] for item in snomed["entries"]] == ["icans"]


@pytest.mark.django_db
@pytest.mark.parametrize("code, system, status, needle", [
    ("A00.0", ICD, 404, "No ImmunoRef entry explains ICD-10-CM A00.0"),
    ("Z99.89", ICD, 404, "No ImmunoRef entry"),  # a draft's code is not found
    ("D89.831", "2.16.840.1.113883.6.103", 400, "does not know the code system"),
    ("D89.831", "", 400, "Send the code system"),
    ("", ICD, 400, "Send the code"),
    ("<script>alert(1)</script>", ICD, 400, "is not written as a ICD-10-CM code"),
    ("D89.831' OR 1=1 --", ICD, 400, "not written as"),
    ("Ｄ８９．８３１", ICD, 400, "not written as"),
    ("1" * 300, SNOMED, 400, "not written as"),
])
def test_unknown_or_bad_codes_get_a_clear_answer(coded, client, code, system, status, needle):
    as_json = infobutton(client, code, system, knowledgeResponseType="application/json")
    assert as_json.status_code == status
    assert needle in as_json.json()["message"] and as_json.json()["entries"] == []
    as_html = infobutton(client, code, system)
    assert as_html.status_code == status
    page = as_html.content.decode()
    assert "Clinical code not found" in page and "<script>alert" not in page


@pytest.mark.django_db
def test_every_other_parameter_is_dropped_by_a_redirect(coded, client):
    response = infobutton(client, "D89.831", **{"patientPerson.administrativeGenderCode.c": "F",
                                                "age.v.v": "42", "holder.assignedEntity.n": "Dr Who"})
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    location = response["Location"]
    assert "patientPerson" not in location and "age" not in location and "Who" not in location
    assert "mainSearchCriteria.v.c=D89.831" in location
    assert client.get(location)["Location"] == "/entries/crs/"


@pytest.mark.django_db
def test_repeated_and_very_long_parameters_are_reduced(coded, client):
    repeated = client.get(f"/infobutton/?mainSearchCriteria.v.c=D89.831&mainSearchCriteria.v.c=G92.01"
                          f"&mainSearchCriteria.v.cs={ICD}")
    assert repeated.status_code == 302 and "G92.01" not in repeated["Location"]
    assert client.get(repeated["Location"])["Location"] == "/entries/crs/"
    long = infobutton(client, "D89.831", **{"mainSearchCriteria.v.dn": "x" * 5000})
    assert long.status_code == 302 and len(long["Location"]) < 600
    odd = client.get("/infobutton/", {"mainSearchCriteria.v.c": "D89.831", "mainSearchCriteria.v.cs": ICD,
                                       "knowledgeResponseType": "text/xml"})
    assert odd.status_code == 400 and "knowledgeResponseType" in odd.content.decode()


@pytest.mark.django_db
def test_unknown_code_offers_a_search_by_display_name(coded, client):
    page = infobutton(client, "A00.0", **{"mainSearchCriteria.v.dn": "Cholera <b>"}).content.decode()
    assert "Search" in page and "Cholera &lt;b&gt;" in page and "/search/?q=Cholera" in page
