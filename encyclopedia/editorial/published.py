"""Shared links about to break: addresses the loaded database serves that the files no longer have.

A read-only look at the database, only when it exists and is migrated; otherwise the
check is skipped without a word (``checkcontent`` must work on a fresh checkout, and
must never create a database file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..build import Prepared
from ..errors import Problem


def _database_exists(connection) -> bool:
    if connection.vendor != "sqlite":
        return True
    name = str(connection.settings_dict.get("NAME") or "")
    if name in {"", ":memory:"} or name.startswith("file:") or "mode=memory" in name:
        return True  # an in-memory database (the tests') exists as soon as it is opened
    return Path(name).is_file()


def published_addresses() -> list[tuple[str, list[str], str]] | None:
    """[(slug, section ids, source path)] of the published entries in the database, or None."""
    from django.db import connection

    from ..models import Entry
    from ..sync import database_ready

    try:
        if not _database_exists(connection) or database_ready() is not None:
            return None
        rows = Entry.objects.published().values_list("slug", "section_ids", "source_path")
        return [(slug, list(ids or []), path) for slug, ids, path in rows]
    except Exception:  # no database to compare with (or none allowed here): nothing to say
        return None


def vanished_addresses(prepared: Prepared, published: list[tuple[str, list[str], str]] | None) -> Iterator[Problem]:
    if not published:
        return
    content = prepared.content
    kept = {old for entry in content.entries.values() for old in entry.redirect_from}
    for slug, section_ids, source_path in sorted(published):
        entry = content.entries.get(slug)
        if entry is None:
            if slug in content.broken or slug in kept:
                continue
            yield Problem(source_path or f"{content.root.name}/{slug}.md", 1,
                          f"entry `{slug}` is published (in the loaded database) but its file is gone: shared "
                          f"links to /entries/{slug}/ will answer \"gone\"; if another entry replaces it, add "
                          f"`redirect_from: [{slug}]` to that entry's front matter, or keep the file", "warning")
            continue
        if entry.draft:
            yield Problem(entry.path, entry.line_of("draft"),
                          f"entry `{slug}` is published (in the loaded database) but now marked `draft: true`: "
                          "its address will answer \"not found\" until it is published again", "warning")
            continue
        current = set(prepared.section_ids.get(slug, ()))
        if slug not in prepared.section_ids:
            continue  # its sections could not be read: the loader's own error says why
        for section in section_ids:
            if section not in current:
                yield Problem(entry.path, entry.body_line,
                              f"section `#{section}` is published (in the loaded database) but no longer in the "
                              f"file: shared links to /entries/{slug}/#{section} will land at the top of the "
                              f"page; keep the id by ending the heading that replaced it with {{: #{section}}}",
                              "warning")
