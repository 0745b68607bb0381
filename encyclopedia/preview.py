"""Render entry files that may lie anywhere, against the content folder (no database)."""

from __future__ import annotations

from pathlib import Path

from .build import build_context, line_of_snippet
from .errors import ContentError, Problem
from .loader import ContentSet, did_you_mean, read_content, read_entry
from .rendering import PageInfo
from .workers import Job, run_jobs


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
            problems.append(Problem(record.path, record.line_of("category"),
                                    f"unknown category `{record.category}`{did_you_mean(record.category, content.categories)}"))
        content.entries[record.slug] = record
        content.broken.discard(record.slug)
        records.append(record)
    jobs = [Job(key=slug, body=entry.body, page=PageInfo(slug=slug), sections_only=True)
            for slug, entry in content.entries.items()]
    section_ids = {}
    for slug, outcome in run_jobs(jobs, build_context(content, {})).items():
        if outcome.sections:
            section_ids[slug] = outcome.sections[0]
    context = build_context(content, section_ids)
    outcomes = run_jobs([Job(key=record.slug, body=record.body, page=PageInfo(slug=record.slug, draft=record.draft))
                         for record in records], context, processes=1)
    rendered = []
    for record in records:
        outcome = outcomes[record.slug]
        if outcome.failure:
            problems.append(Problem(record.path, record.body_line, outcome.failure))
            continue
        for snippet, message in outcome.result.problems:
            problems.append(Problem(record.path, line_of_snippet(record, snippet), message))
        rendered.append((record.path, outcome.result.html))
    if problems:
        raise ContentError(problems)
    return rendered
