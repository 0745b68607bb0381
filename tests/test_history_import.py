"""importhistory: versions reconstructed from the editors' git history of the content folder."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from encyclopedia.history.models import EntryVersion

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="git is not installed")

CRS = ("A fever after the infusion [@june2018]. Back to [[overview]].\n\n"
       "## Grading\n\nFour grades [@june2018; @hartmann2017].\n")


def commit(root, message, day):
    env = {**os.environ, "GIT_AUTHOR_DATE": f"2026-0{day}-01T12:00:00Z", "GIT_COMMITTER_DATE": f"2026-0{day}-01T12:00:00Z"}
    git = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "add", "-A"], cwd=root, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", message], cwd=root, check=True, env=env)


def run(**options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("importhistory", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def repository(content):
    subprocess.run(["git", "init", "-q"], cwd=content.root.parent, check=True)
    commit(content.root.parent, "First edition", 1)
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  body=CRS.replace("A fever", "A high fever"))
    commit(content.root.parent, "Say the fever is high", 2)
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS"],
                  body=CRS.replace("[[overview]]", "[[nowhere]]"))
    commit(content.root.parent, "Broken link", 3)
    content.entry("crs", title="Cytokine release syndrome", category="risks", aliases=["CRS", "cytokine storm"],
                  body=CRS.replace("A fever", "A very high fever"),
                  extra="changes:\n  - date: 2026-04-01\n    note: Said the fever is very high.")
    commit(content.root.parent, "Very high", 4)
    return content


@pytest.mark.django_db
def test_import_records_a_version_per_commit_that_changed_the_entry(repository, settings, client):
    settings.CONTENT_DIR = repository.root
    out, err = run()
    assert "skipped commit" in err and "Broken link" in err and "nowhere" in err
    versions = list(EntryVersion.objects.filter(history__slug="crs").order_by("number"))
    assert [version.number for version in versions] == [1, 2, 3]
    assert all(version.reconstructed for version in versions)
    assert [version.loaded_at.month for version in versions] == [1, 2, 4]
    assert versions[1].notes == [["2026-02-01", "Say the fever is high"]]  # the commit's subject
    assert versions[2].notes == [["2026-04-01", "Said the fever is very high."]]  # the entry's own note
    assert "very high fever" in versions[2].body.text
    assert list(EntryVersion.objects.filter(history__slug="overview").values_list("number", flat=True)) == [1]
    page = client.get("/entries/crs/v/2/").content.decode()
    assert "reconstructed from the editors' history" in page

    again, _err = run()  # running it twice changes nothing
    assert "0 versions recorded" in again and "crs" in again
    assert EntryVersion.objects.count() == 4


@pytest.mark.django_db
def test_a_load_after_the_import_continues_the_numbering(repository, settings, load):
    settings.CONTENT_DIR = repository.root
    run()
    load(repository)
    assert list(EntryVersion.objects.filter(history__slug="crs").values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
def test_entries_with_versions_are_left_alone_and_named(repository, settings, load):
    load(repository)
    out, _err = run()
    assert "left alone" in out and "crs" in out and "overview" in out
    assert EntryVersion.objects.filter(reconstructed=True).count() == 0


@pytest.mark.django_db
def test_not_a_git_repository_is_said_in_one_line(content, settings):
    settings.CONTENT_DIR = content.root
    with pytest.raises(CommandError) as raised:
        run()
    assert "is not in a git repository" in str(raised.value) and "\n" not in str(raised.value)
