"""A new entry file: complete front matter and a skeleton the editor fills in.

The skeleton is a draft (off the public site) and holds a placeholder citation that
the loader refuses until the editor replaces it with a real reference id, so a
half-written entry can never be published by accident.  With real citations it
loads; ``checkcontent`` then names every ``TODO`` still to write.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml

from ..datafiles import CATEGORIES_FILE, read_categories
from ..loader import entry_files, read_content
from ..names import did_you_mean, fold_name, slug_problem
from ..records import ContentSet

PLACEHOLDER_CITATION = "replace-with-a-reference-id"

SKELETON = """\
---
title: {title}
summary: "TODO: one or two plain sentences that say what this is. They show in search results and at the top of the page."
category: {category}
aliases: []  # TODO: other names people search for, e.g. [CRS, cytokine storm]
reviewed: {reviewed}
draft: true  # delete this line to publish the entry
---
TODO: Write the part for patients here, in plain words: short sentences, everyday words, and every medical term explained. End each paragraph with the source it rests on [@{cite}]. Link to at least two other entries, like this: `[[slug]]` or `[[slug|link text]]`.

## For clinicians

TODO: Write the precise detail here: mechanisms, grading, doses and trial data, each paragraph with its source [@{cite}].
"""


class NewEntryError(Exception):
    """Why the entry cannot be created, in words for the editor."""


def _quoted(text: str) -> str:
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=1_000_000).strip()


def skeleton_text(title: str, category: str, reviewed: dt.date) -> str:
    return SKELETON.format(title=_quoted(title), category=_quoted(category), reviewed=reviewed.isoformat(),
                           cite=PLACEHOLDER_CITATION)


def _check_title(title: str) -> str:
    title = " ".join(title.split()) if "\n" not in title.strip() else ""
    if not title:
        raise NewEntryError("--title must be one line of text, such as --title \"Cytokine release syndrome\"")
    if len(title) > 200:
        raise NewEntryError(f"--title is {len(title)} characters long; keep it under 200")
    return title


def _check_category(root: Path, category: str) -> None:
    content = ContentSet(root=root)
    read_categories(content)
    if content.problems:
        raise NewEntryError("the categories cannot be read:\n" + "\n".join(str(p) for p in content.problems))
    if category not in content.categories:
        raise NewEntryError(f"unknown category `{category}`{did_you_mean(category, content.categories)}; the "
                            f"categories are {', '.join(sorted(content.categories))} (see {CATEGORIES_FILE})")


def _check_slug_is_free(root: Path, slug: str) -> None:
    for path in entry_files(root):
        if path.stem == slug:
            raise NewEntryError(f"{path.relative_to(root.parent).as_posix()} already exists: edit that file, "
                                "or choose another slug")
    existing = read_content(root)
    for other, entry in sorted(existing.entries.items()):
        if slug in entry.redirect_from:
            raise NewEntryError(f"`{slug}` is an old address of entry `{other}` (its redirect_from): choose another "
                                f"slug, or first remove `{slug}` from the redirect_from of {entry.path}")
        if fold_name(slug) in {fold_name(alias) for alias in entry.aliases}:
            raise NewEntryError(f"`{slug}` is an alias of entry `{other}`: choose another slug, or first remove "
                                f"the alias from {entry.path}")


def create_entry(content_dir: Path | str, slug: str, *, title: str, category: str,
                 reviewed: dt.date | None = None) -> Path:
    """Write ``<content_dir>/<slug>.md``; NewEntryError says why when it cannot."""
    root = Path(content_dir).resolve()
    problem = slug_problem(slug)
    if problem:
        raise NewEntryError(problem)
    title = _check_title(title)
    if not root.is_dir():
        raise NewEntryError(f"the content folder {content_dir} does not exist; check --content-dir")
    _check_category(root, category)
    _check_slug_is_free(root, slug)
    path = root / f"{slug}.md"
    text = skeleton_text(title, category, reviewed or dt.date.today())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise NewEntryError(f"{path.name} already exists: edit that file, or choose another slug") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
