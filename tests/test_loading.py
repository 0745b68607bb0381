"""Loading is all or nothing, idempotent, and re-renders only what changed."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from encyclopedia.errors import ContentError
from encyclopedia.models import Entry, Link, RemovedEntry


@pytest.mark.django_db
def test_first_load_creates_then_reload_changes_nothing(content, load):
    first = load(content)
    assert (first.created, first.updated, first.removed) == (2, 0, 0)
    again = load(content)
    assert (again.created, again.updated, again.unchanged, again.removed, again.rendered) == (0, 0, 2, 0, 0)


@pytest.mark.django_db
def test_a_broken_entry_leaves_the_old_content_served(content, load, client):
    load(content)
    before = client.get("/entries/crs/").content
    content.entry("crs", title="Cytokine release syndrome", category="risks", body="Changed [[nowhere]]\n")
    content.entry("newone", title="New", body="New text [@june2018]\n")
    with pytest.raises(ContentError):
        load(content)
    assert client.get("/entries/crs/").content == before
    assert client.get("/entries/newone/").status_code == 404
    assert not Entry.objects.filter(slug="newone").exists()


@pytest.mark.django_db
def test_changed_title_re_renders_entries_that_link_to_it(content, load, client):
    load(content)
    assert "Cytokine release syndrome</a>" in client.get("/entries/overview/").content.decode()
    content.entry("crs", title="CRS explained", category="risks", aliases=["CRS"],
                  body="A fever after the infusion [@june2018]. Back to [[overview]].\n\n## Grading\n\nFour grades [@june2018].\n")
    report = load(content)
    assert report.rendered == 2  # crs itself, and overview whose link text is crs's title
    assert "CRS explained</a>" in client.get("/entries/overview/").content.decode()


@pytest.mark.django_db
def test_changed_reference_re_renders_only_entries_citing_it(content, load):
    content.entry("plain", body="Cites only hartmann [@hartmann2017]. [[overview]] [[crs]]\n")
    load(content)
    text = content.path("references.yaml").read_text().replace("Clinical development of CAR T cells",
                                                               "Clinical development of CAR T cells, revised")
    content.write("references.yaml", text)
    report = load(content)
    assert report.rendered == 3  # overview, crs and plain cite hartmann2017
    content.write("references.yaml", text.replace("Approved Cellular", "Approved cellular"))
    assert load(content).rendered == 0  # nobody cites fda-list


@pytest.mark.django_db
def test_a_new_glossary_term_re_renders_entries_that_use_it(content, load, client):
    load(content)
    glossary = content.path("glossary.yaml").read_text()
    content.write("glossary.yaml", glossary + "- term: Fever\n  definition: A high body temperature.\n")
    report = load(content)
    assert report.rendered == 1  # only crs mentions "fever"
    assert 'aria-describedby="gloss-fever"' in client.get("/entries/crs/").content.decode()


@pytest.mark.django_db
def test_removed_entry_answers_410_with_a_search_box(content, load, client):
    content.entry("temporary", title="Temporary", body="Soon gone [@june2018].\n")
    load(content)
    content.remove("temporary.md")
    report = load(content)
    assert report.removed == 1
    response = client.get("/entries/temporary/")
    assert response.status_code == 410
    assert 'role="search"' in response.content.decode()
    assert RemovedEntry.objects.filter(slug="temporary").exists()


@pytest.mark.django_db
def test_renamed_entry_redirects_permanently(content, load, client):
    load(content)
    content.remove("crs.md")
    content.entry("cytokine-release-syndrome", title="Cytokine release syndrome", category="risks",
                  redirect_from=["crs"], aliases=["CRS"], body="Text [@june2018]. [[overview]]\n\n## Grading\n\nx [@june2018]\n")
    content.write("overview.md", content.path("overview.md").read_text())
    content.write("glossary.yaml", content.path("glossary.yaml").read_text().replace("entry: crs", "entry: cytokine-release-syndrome"))
    load(content)
    response = client.get("/entries/crs/")
    assert response.status_code == 301
    assert response["Location"] == "/entries/cytokine-release-syndrome/"
    assert Link.objects.filter(target__slug="cytokine-release-syndrome").exists()  # [[crs]] resolves by redirect


@pytest.mark.django_db
def test_loadcontent_prints_a_summary_and_is_quiet_with_verbosity_0(content, settings):
    out = io.StringIO()
    call_command("loadcontent", content_dir=str(content.root), stdout=out)
    assert "2 created, 0 updated, 0 unchanged, 0 removed" in out.getvalue()
    quiet = io.StringIO()
    call_command("loadcontent", content_dir=str(content.root), stdout=quiet, verbosity=0)
    assert quiet.getvalue() == ""


@pytest.mark.django_db
def test_render_command_prints_sanitized_html_for_a_file_anywhere(content, tmp_path):
    outside = tmp_path / "draft-elsewhere.md"
    outside.write_text("---\ntitle: Preview\nsummary: s\ncategory: basics\nreviewed: 2026-01-01\n---\n"
                       "See [[crs]] <script>alert(1)</script> [@june2018]\n")
    out = io.StringIO()
    call_command("render", str(outside), content_dir=str(content.root), stdout=out)
    html = out.getvalue()
    assert '<a class="xref" href="/entries/crs/">Cytokine release syndrome</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'id="ref-june2018"' in html


@pytest.mark.django_db
def test_render_command_reports_errors_with_file_and_line(content, tmp_path, capsys):
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: T\nsummary: s\ncategory: basics\nreviewed: 2026-01-01\n---\n\n[[nope]]\n")
    with pytest.raises(CommandError) as exit_info:
        call_command("render", str(bad), content_dir=str(content.root))
    assert exit_info.value.returncode == 1
    assert ":8: cross-link `[[nope]]`" in capsys.readouterr().err
