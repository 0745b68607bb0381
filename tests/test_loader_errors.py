"""Every kind of content mistake is reported as `path:line: message`, all at once."""

from __future__ import annotations

import pytest

from encyclopedia.errors import ContentError
from encyclopedia.loader import read_content
from encyclopedia.pipeline import load_content


def problems(folder) -> list[str]:
    """Messages the loader reports for a folder (read + render), as printed."""
    from encyclopedia.build import prepare

    try:
        prepare(folder.root, processes=1)
    except ContentError as exc:
        return [str(problem) for problem in exc.problems]
    return []


def only(folder, needle: str) -> str:
    found = [line for line in problems(folder) if needle in line]
    assert found, f"no problem mentioning {needle!r} in {problems(folder)}"
    return found[0]


@pytest.mark.django_db
def test_valid_folder_has_no_problems(content):
    assert problems(content) == []


@pytest.mark.django_db
@pytest.mark.parametrize("front, line, needle", [
    ("title: NO\nsummary: s\ncategory: basics\nreviewed: 2026-01-01", 2, 'put it in quotes: title: "NO"'),
    ("title: 1.10\nsummary: s\ncategory: basics\nreviewed: 2026-01-01", 2, "as a number"),
    ("title: T\nsummary: s\ncategory: basics\nreviewed: 2026-02-30", 5, "not a real date"),
    ("title: T\nsummary: s\ncategory: basics\nreviewed: last week", 5, "YYYY-MM-DD"),
    ("title: T\nsummary: s\ncategory: nope\nreviewed: 2026-01-01", 4, "unknown category `nope`"),
    ("title: T\nsummary: s\ncategory: basics\nreviewed: 2026-01-01\ntitel: x", 6, "unknown field `titel`"),
    ("summary: s\ncategory: basics\nreviewed: 2026-01-01", 2, "missing `title`"),
    ("title: T\nsummary: s\ncategory: basics\nreviewed: 2026-01-01\naliases: {a: b}", 6, "must be a list"),
    ("title: T\ntitle: U\nsummary: s\ncategory: basics\nreviewed: 2026-01-01", 3, "given twice"),
    ("title: [unclosed\nsummary: s", 3, "invalid YAML"),
])
def test_front_matter_mistakes_name_the_line(content, front, line, needle):
    content.write("bad.md", f"---\n{front}\n---\nBody [@june2018].\n")
    message = only(content, needle)
    assert message.startswith(f"content/bad.md:{line}: "), message


@pytest.mark.django_db
def test_missing_front_matter_and_empty_body(content):
    content.write("nofront.md", "Just text.\n")
    content.entry("empty", body="\n\n")
    assert only(content, "missing front matter").startswith("content/nofront.md:1: ")
    assert "content/empty.md:" in only(content, "no text after its front matter")


@pytest.mark.django_db
def test_bad_slug_and_duplicate_slug_across_folders(content):
    content.entry("Bad_Name")
    content.entry("crs", folder="risks", title="Another CRS")
    assert only(content, "not a valid slug").startswith("content/Bad_Name.md:1: ")
    assert "duplicate slug `crs`" in only(content, "duplicate slug")


@pytest.mark.django_db
def test_alias_or_redirect_claimed_by_two_entries(content):
    content.entry("a-one", aliases=["shared name"], redirect_from=["old-page"])
    content.entry("a-two", aliases=["Shared-Name"], redirect_from=["old-page"])
    assert "alias `Shared-Name` is already claimed by entry `a-one`" in only(content, "already claimed by entry")
    assert "redirect_from `old-page` is already claimed" in only(content, "redirect_from `old-page`")


@pytest.mark.django_db
def test_non_utf8_bytes_nul_and_bidi_overrides(content):
    content.write_bytes("latin.md", b"---\ntitle: T\n---\ncaf\xe9\n")
    content.entry("nul", body="line one\nline \x00two [@june2018]\n")
    content.entry("bidi", body="fine [@june2018]\nevil \u202e text\n")
    assert only(content, "not valid UTF-8").startswith("content/latin.md:4: ")
    assert only(content, "NUL").startswith("content/nul.md:8: ")
    assert only(content, "U+202E").startswith("content/bidi.md:8: ")


@pytest.mark.django_db
def test_limits_size_and_nesting(content):
    content.entry("huge", body="word " * 50_000)
    content.entry("deep", body="intro [@june2018]\n\n" + "> " * 30 + "deep\n")
    assert "the limit is 200,000" in only(content, "characters long")
    assert only(content, "nested more than 20").startswith("content/deep.md:9: ")


@pytest.mark.django_db
def test_unknown_cross_link_section_and_citation_name_their_line(content):
    content.entry("linker", body="ok [@june2018]\n\nsee [[nowhere]]\n\nand [[crs#nope]] [@missing2020]\n")
    assert only(content, "no entry or alias `nowhere`").startswith("content/linker.md:9: ")
    assert only(content, "has no section `#nope`").startswith("content/linker.md:11: ")
    assert only(content, "no reference with id `missing2020`").startswith("content/linker.md:11: ")


@pytest.mark.django_db
def test_reserved_and_malformed_heading_ids(content):
    content.entry("ids", body="t [@june2018]\n\n## References\n\nx\n\n## Fine {: #Bad_Id}\n\ny\n\n## Ok {: #ref-x}\n")
    assert only(content, "`references`").startswith("content/ids.md:9: ")
    assert "content/ids.md:13: " in only(content, "Bad_Id")
    assert "content/ids.md:17: " in only(content, "ref-x")


@pytest.mark.django_db
def test_bibliography_record_without_title_or_year(content):
    content.write("references.yaml", "- id: june2018\n  type: article-journal\n  issued: 2018\n"
                  "- id: hartmann2017\n  title: Something\n- id: fda-list\n  title: T\n  issued: 2025\n")
    assert only(content, "`june2018` has no `title`").startswith("content/references.yaml:1: ")
    assert only(content, "`hartmann2017` has no `issued`").startswith("content/references.yaml:4: ")


@pytest.mark.django_db
def test_all_problems_are_reported_not_just_the_first(content):
    content.entry("one", category="nope")
    content.entry("two", body="[[missing]] [@june2018]\n")
    content.write("three.md", "no front matter\n")
    found = problems(content)
    assert len(found) >= 3
    assert {line.split(":")[0] for line in found} >= {"content/one.md", "content/two.md", "content/three.md"}


def test_crlf_bom_and_nfc_are_normalised(tmp_path):
    from tests.contentkit import ContentFolder

    folder = ContentFolder.minimal(tmp_path / "content")
    text = "\ufeff---\r\ntitle: Cafe\u0301\r\nsummary: s\r\ncategory: basics\r\nreviewed: 2026-01-01\r\n---\r\nBody.\r\n"
    folder.write_bytes("crlf.md", text.encode("utf-8"))
    content = read_content(folder.root)
    assert content.problems == []
    assert content.entries["crlf"].title == "Caf\u00e9"
    assert "\r" not in content.entries["crlf"].body


@pytest.mark.django_db
def test_loadcontent_command_prints_problems_and_exits_1(content, capsys, settings):
    from django.core.management import CommandError, call_command

    content.entry("bad", body="[[nowhere]]\n")
    with pytest.raises(CommandError) as exit_info:
        call_command("loadcontent", content_dir=str(content.root))
    assert exit_info.value.returncode == 1
    err = capsys.readouterr().err
    assert "content/bad.md:7: cross-link `[[nowhere]]`" in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_missing_content_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ContentError) as exc:
        load_content(tmp_path / "nowhere")
    assert "content folder does not exist" in str(exc.value)


@pytest.mark.django_db
def test_unclosed_front_matter_says_so(content):
    content.write("open.md", "---\ntitle: T\nsummary: s\n\nBody text.\n")
    assert only(content, "never closed").startswith("content/open.md:1: ")


@pytest.mark.django_db
def test_alias_that_is_another_entrys_title_is_refused(content):
    content.entry("other", aliases=["Cytokine release syndrome"])
    assert "claimed by entry `crs` (as its title)" in only(content, "as its title")
