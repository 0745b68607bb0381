"""The open API: every answer matches the OpenAPI description the site publishes; CORS for reading."""

from __future__ import annotations

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

BASE = "https://immunoref.example.org"


@pytest.fixture
def site(content, load, settings):
    settings.BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["testserver", "immunoref.example.org"]
    for number in range(105):
        content.entry(f"extra-{number:03d}", title=f"Extra {number:03d}", body=f"Text {number} [@june2018].\n")
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS"],
                  body="A chimeric antigen receptor fever [@june2018]. See [[overview]].\n\n## Grading\n\n"
                       "Four grades [@hartmann2017].\n\n## For clinicians\n\nTocilizumab [@fda-list].\n")
    load(content)
    return content


@pytest.fixture
def spec(site, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json())


def checked(client, spec, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content[:300]
    request = DjangoOpenAPIRequest(response.wsgi_request)
    spec.validate_response(request, DjangoOpenAPIResponse(response))
    return response


@pytest.mark.django_db
def test_entries_are_paged_100_at_a_time_with_absolute_links(client, spec):
    first = checked(client, spec, "/api/v1/entries/").json()
    assert first["count"] == 107 and len(first["entries"]) == 100 and first["previous"] is None
    assert first["next"] == f"{BASE}/api/v1/entries/?page=2"
    second = checked(client, spec, "/api/v1/entries/?page=2").json()
    assert len(second["entries"]) == 7 and second["next"] is None
    assert second["previous"] == f"{BASE}/api/v1/entries/?page=1"
    crs = next(entry for entry in first["entries"] + second["entries"] if entry["slug"] == "crs")
    assert crs == {"slug": "crs", "title": "Cytokine release syndrome", "summary": "A short plain summary.",
                   "category": "risks", "url": f"{BASE}/entries/crs/", "reviewed": "2026-11-01", "version": None}
    assert "CC BY 4.0" in first["licence"]


@pytest.mark.django_db
@pytest.mark.parametrize("page, status", [("0", 400), ("-1", 400), ("two", 400), ("1.5", 400), ("3", 404)])
def test_bad_pages_get_a_clear_answer(client, spec, page, status):
    body = checked(client, spec, f"/api/v1/entries/?page={page}", status).json()
    assert body["detail"]


@pytest.mark.django_db
def test_one_entry_has_its_parts_citations_terms_and_no_relative_links(client, spec):
    entry = checked(client, spec, "/api/v1/entries/crs/").json()
    assert "fever" in entry["patient_html"] and "Tocilizumab" not in entry["patient_html"]
    assert entry["clinician_html"].startswith('<h2 id="for-clinicians">') and "Tocilizumab" in entry["clinician_html"]
    assert f'href="{BASE}/entries/overview/"' in entry["patient_html"] and 'href="/' not in entry["patient_html"]
    assert [c["key"] for c in entry["citations"]] == ["june2018", "hartmann2017", "fda-list"]
    assert entry["citations"][0]["doi"] == "10.1126/science.aar6711" and entry["citations"][0]["pmid"] == "29567707"
    assert [term["term"] for term in entry["glossary"]] == ["Chimeric antigen receptor (CAR)"]
    assert entry["aliases"] == ["CRS"] and entry["changes"] == []
    assert [section["id"] for section in entry["sections"]] == ["grading", "for-clinicians"]
    checked(client, spec, "/api/v1/entries/no-such-entry/", 404)


@pytest.mark.django_db
def test_glossary_bibliography_and_search(client, spec):
    glossary = checked(client, spec, "/api/v1/glossary/").json()
    assert glossary["count"] == 2 and glossary["terms"][0]["url"].startswith(f"{BASE}/glossary/#")
    references = checked(client, spec, "/api/v1/references/").json()
    june = next(item for item in references["references"] if item["key"] == "june2018")
    assert june["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/29567707/" and "crs" in june["cited_by"]
    found = checked(client, spec, "/api/v1/search/?q=cytokine").json()
    assert found["results"][0]["url"] == f"{BASE}/entries/crs/" and "<" not in found["results"][0]["title"]
    checked(client, spec, "/api/v1/search/?q=" + "x" * 201, 400)


@pytest.mark.django_db
def test_answers_are_cached_like_pages(client, site):
    first = client.get("/api/v1/entries/crs/")
    assert first["ETag"] and "s-maxage=" in first["Cache-Control"]
    assert client.get("/api/v1/entries/crs/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.django_db
def test_reading_from_any_origin_without_credentials_and_nowhere_else(client, site):
    answer = client.get("/api/v1/entries/", HTTP_ORIGIN="https://ehr.example.com")
    assert answer["Access-Control-Allow-Origin"] == "*" and answer["Access-Control-Expose-Headers"] == "ETag"
    assert "Access-Control-Allow-Credentials" not in answer
    preflight = client.options("/api/v1/entries/crs/", HTTP_ORIGIN="https://ehr.example.com",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"] and "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    not_modified = client.get("/api/v1/entries/", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert not_modified.status_code == 304 and not_modified["Access-Control-Allow-Origin"] == "*"
    page = client.get("/entries/crs/", HTTP_ORIGIN="https://ehr.example.com")
    assert "Access-Control-Allow-Origin" not in page
    assert client.post("/api/v1/entries/").status_code == 405


@pytest.mark.django_db
def test_the_documentation_page_runs_no_script_and_loads_nothing_from_elsewhere(client, site):
    page = client.get("/api/v1/").content.decode()
    assert "/api/v1/openapi.json" in page and "CC BY 4.0" in page
    main = page.split('<main')[1].split("</main>")[0]
    assert "<script" not in main and "<style" not in main
    assert not [src for src in __import__("re").findall(r'(?:src|href)="(https?://[^"]+)"', page)
                if not src.startswith(("https://creativecommons.org", BASE))]
