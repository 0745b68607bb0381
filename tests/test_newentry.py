"""`newentry`: a new file with complete front matter and a skeleton, never over an existing one."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from encyclopedia.build import prepare
from encyclopedia.editorial import check_content
from encyclopedia.editorial.skeleton import PLACEHOLDER_CITATION, NewEntryError, create_entry
from encyclopedia.errors import ContentError

TODAY = dt.date(2026, 11, 25)


def test_the_new_file_has_complete_front_matter_today_and_both_parts(content):
    path = create_entry(content.root, "car-t-cells", title="CAR T cells", category="basics", reviewed=TODAY)
    assert path == content.root / "car-t-cells.md"
    text = path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    for field in ("title:", "summary:", "category:", "aliases:", "reviewed: 2026-11-25", "draft: true"):
        assert field in front
    body = text.split("---\n", 2)[2]
    assert body.index("TODO: Write the part for patients") < body.index("## For clinicians")
    assert f"[@{PLACEHOLDER_CITATION}]" in body


def test_a_fresh_skeleton_is_refused_until_its_placeholder_citations_are_replaced(content):
    create_entry(content.root, "car-t-cells", title="CAR T cells", category="basics", reviewed=TODAY)
    with pytest.raises(ContentError) as refused:
        prepare(content.root, processes=1)
    assert [str(problem) for problem in refused.value.problems] == [
        f"content/car-t-cells.md:9: citation `[@{PLACEHOLDER_CITATION}]`: no reference with id "
        f"`{PLACEHOLDER_CITATION}` in references.yaml; add the record or fix the id"]


def test_with_real_citations_the_skeleton_loads_as_a_draft_and_checkcontent_names_what_to_write(content):
    path = create_entry(content.root, "car-t-cells", title="CAR T cells", category="basics", reviewed=TODAY)
    path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER_CITATION, "june2018"), encoding="utf-8")
    prepared = prepare(content.root, processes=1)
    entry = prepared.content.entries["car-t-cells"]
    assert (entry.title, entry.category, entry.reviewed, entry.draft) == ("CAR T cells", "basics", TODAY, True)
    report = check_content(content.root, as_of=TODAY, database=False)
    messages = [(problem.line, problem.message) for problem in report.problems if problem.path.endswith("car-t-cells.md")]
    assert report.errors == []
    assert (3, "`summary` still has placeholder text (TODO): write the real summary") in messages
    assert (9, "placeholder text (TODO) is still here: replace it with the entry's own text") in messages
    assert (13, "placeholder text (TODO) is still here: replace it with the entry's own text") in messages
    assert any("no `aliases`" in message for _line, message in messages)
    assert any("links to no other entry" in message for _line, message in messages)


@pytest.mark.parametrize("title", ['He said "NO": 1.10', "NO", "[not a list]", "Grade ≥3 CRS — #1 & more", "null"])
def test_any_title_is_kept_as_text(content, title):
    path = create_entry(content.root, "odd-title", title=title, category="basics", reviewed=TODAY)
    path.write_text(path.read_text(encoding="utf-8").replace(PLACEHOLDER_CITATION, "june2018"), encoding="utf-8")
    assert prepare(content.root, processes=1).content.entries["odd-title"].title == title


def test_it_never_overwrites_an_existing_entry(content):
    before = (content.root / "crs.md").read_bytes()
    with pytest.raises(NewEntryError, match=r"^content/crs.md already exists: edit that file, or choose another slug$"):
        create_entry(content.root, "crs", title="Something else", category="basics")
    content.entry("nested", folder="risks", body="Text [@june2018].\n")
    with pytest.raises(NewEntryError, match=r"^content/risks/nested.md already exists"):
        create_entry(content.root, "nested", title="Nested", category="basics")
    assert (content.root / "crs.md").read_bytes() == before
    assert not (content.root / "nested.md").exists()


@pytest.mark.parametrize("slug, message", [
    ("Car_T", "`Car_T` is not a valid slug: use lowercase ASCII letters, digits and single hyphens, such as `car-t`"),
    ("café", "`café` is not a valid slug"),
    ("-x", "`-x` is not a valid slug"),
    ("../escape", "`../escape` is not a valid slug"),
])
def test_an_invalid_slug_is_refused(content, slug, message):
    with pytest.raises(NewEntryError, match="^" + message.replace("(", r"\(")):
        create_entry(content.root, slug, title="A title", category="basics")
    assert sorted(p.name for p in content.root.glob("*.md")) == ["crs.md", "overview.md"]


def test_an_unknown_category_is_refused_with_the_list_and_a_suggestion(content):
    with pytest.raises(NewEntryError) as refused:
        create_entry(content.root, "new-thing", title="A title", category="risk")
    assert str(refused.value) == ("unknown category `risk` (did you mean `risks`?); the categories are basics, risks "
                                  "(see categories.yaml)")


def test_a_slug_that_is_an_alias_or_old_address_is_refused(content):
    content.entry("overview", title="Immune cell infusion", category="basics", aliases=["cell therapy"],
                  redirect_from=["old-overview"], body="Text [@june2018]. See [[crs]].\n")
    with pytest.raises(NewEntryError, match="`old-overview` is an old address of entry `overview`"):
        create_entry(content.root, "old-overview", title="A title", category="basics")
    with pytest.raises(NewEntryError, match="`cell-therapy` is an alias of entry `overview`"):
        create_entry(content.root, "cell-therapy", title="A title", category="basics")


@pytest.mark.parametrize("title", ["", "   ", "two\nlines"])
def test_an_empty_or_multiline_title_is_refused(content, title):
    with pytest.raises(NewEntryError, match="--title must be one line of text"):
        create_entry(content.root, "new-thing", title=title, category="basics")


def test_the_command_reports_what_to_do_next_and_refuses_clearly(content):
    out = StringIO()
    call_command("newentry", "new-thing", "--title", "A new thing", "--category", "basics",
                 "--content-dir", str(content.root), stdout=out)
    assert out.getvalue().startswith("Created content/new-thing.md as a draft. Next:")
    assert "checkcontent" in out.getvalue()
    with pytest.raises(CommandError, match="content/new-thing.md already exists"):
        call_command("newentry", "new-thing", "--title", "Again", "--category", "basics",
                     "--content-dir", str(content.root))
    with pytest.raises(CommandError, match="the content folder .* does not exist"):
        call_command("newentry", "new-thing", "--title", "Again", "--category", "basics",
                     "--content-dir", str(content.root / "nowhere"))
