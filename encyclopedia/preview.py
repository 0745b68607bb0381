"""Render entry files that may lie anywhere, against the content folder: an editor's preview.

The files are read as the loader reads entries and put in the folder's place (or beside
its entries); then the load's own :func:`encyclopedia.build.check_and_render` renders just
them.  Nothing is written, and only the previewed files' problems are reported.
"""

from __future__ import annotations

from pathlib import Path

from .build import Stored, check_and_render
from .errors import ContentError, Problem
from .loader import read_content, read_entry
from .names import did_you_mean
from .records import ContentSet


def render_files(paths: list[Path], content_dir: Path) -> list[tuple[str, str]]:
    """[(shown path, sanitized HTML)] for each file; ContentError lists every problem."""
    content = read_content(content_dir)
    problems: list[Problem] = []
    records = []
    for path in paths:
        own = ContentSet(root=content.root)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path.as_posix(), 1, f"cannot read the file: {exc.strerror}"))
            continue
        record = read_entry(own, path, raw)
        problems.extend(own.problems)
        if record is None:
            continue
        if content.categories and record.category not in content.categories:
            problems.append(Problem(record.path, record.line_of("category"), f"unknown category `{record.category}`"
                                    f"{did_you_mean(record.category, content.categories)}"))
        content.entries[record.slug] = record
        content.broken.discard(record.slug)
        records.append(record)
    shown = {record.path for record in records}
    content.problems = []  # the folder's own problems are not the preview's
    prepared = check_and_render(content, Stored(), only={record.slug for record in records}, raise_problems=False,
                                processes=1)
    problems += [problem for problem in prepared.content.problems if problem.path in shown]
    if problems:
        raise ContentError(problems)
    return [(record.path, prepared.rendered[record.slug].html) for record in records]
