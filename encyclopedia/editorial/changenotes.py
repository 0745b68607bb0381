"""Change notes: an entry whose citations, figures or sections changed since its last recorded
version needs a new note in ``changes:`` saying what changed for readers.  Fixing a typo needs none.

Compared with the last version the database recorded (:mod:`encyclopedia.history`), on the
readable text (citations by reference key).  With no recorded version there is nothing to
compare.  Runs only when ``checkcontent`` compares with the database the site serves.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from ..build import Prepared, line_of_snippet
from ..errors import Problem
from ..records import EntryRecord


def _last_versions(slugs: list[str]) -> dict[str, tuple[int, str, set]]:
    """slug -> (number, page body, every note recorded) of the present entry's last version."""
    from ..bulk import chunks
    from ..history.models import EntryVersion

    found: dict[str, tuple[int, str, set]] = {}
    notes: dict[str, set] = {}
    for part in chunks(slugs):
        rows = (EntryVersion.objects.filter(history__slug__in=part, history__removed_at=None)
                .order_by("history_id", "-number").values_list("history__slug", "number", "body_id", "notes"))
        latest: dict[str, tuple[int, int]] = {}
        for slug, number, body_id, version_notes in rows:
            notes.setdefault(slug, set()).update(tuple(item) for item in version_notes)
            latest.setdefault(slug, (number, body_id))
        from ..history.models import StoredText

        bodies = {pk: text for pk, text in ((item.pk, item.text) for item in
                                            StoredText.objects.filter(pk__in=[body for _n, body in latest.values()]))}
        for slug, (number, body_id) in latest.items():
            found[slug] = (number, bodies[body_id], notes[slug])
    return found


def _heading_line(entry: EntryRecord, heading: str) -> int:
    for index, line in enumerate(entry.body.splitlines()):
        if line.lstrip("#").strip() == heading and line.startswith("#"):
            return entry.body_line + index
    return line_of_snippet(entry, heading)


def _what_changed(entry: EntryRecord, old, new) -> tuple[list[str], int] | None:
    """(what changed, in words; the file line of the first change), or None when nothing that needs a note."""
    said: list[str] = []
    lines: list[int] = []
    added = sorted(new.citation_keys() - old.citation_keys())
    dropped = sorted(old.citation_keys() - new.citation_keys())
    if added or dropped:
        parts = ([f"now cites {', '.join(added)}"] if added else []) + \
                ([f"no longer cites {', '.join(dropped)}"] if dropped else [])
        said.append("citations (" + "; ".join(parts) + ")")
        lines += [line_of_snippet(entry, f"@{key}") for key in added] or [entry.body_line]
    old_numbers, new_numbers = Counter(old.numbers()), Counter(new.numbers())
    if old_numbers != new_numbers:
        changed = sorted((new_numbers - old_numbers).keys()) or sorted((old_numbers - new_numbers).keys())
        said.append(f"figures ({', '.join(changed[:5])})")
        lines += [line_of_snippet(entry, number) for number in (new_numbers - old_numbers)] or [entry.body_line]
    if old.headings() != new.headings():
        new_headings = [heading for heading in new.headings() if heading not in old.headings()]
        gone = [heading for heading in old.headings() if heading not in new.headings()]
        detail = "; ".join(([f"added “{', '.join(new_headings)}”"] if new_headings else [])
                           + ([f"removed “{', '.join(gone)}”"] if gone else [])) or "moved"
        said.append(f"sections ({detail})")
        lines += [_heading_line(entry, heading) for heading in new_headings] or [entry.body_line]
    return (said, min(lines)) if said else None


def unnoted_changes(prepared: Prepared) -> Iterator[Problem]:
    from django.db import DatabaseError

    from ..history.readable import readable

    content = prepared.content
    slugs = [slug for slug, entry in content.entries.items() if not entry.draft and slug in prepared.rendered]
    try:
        last = _last_versions(slugs)
    except DatabaseError:  # no history tables yet (an older database): nothing to compare with
        return
    for slug in sorted(last):
        entry = content.entries[slug]
        number, old_body, known = last[slug]
        if any(tuple(item) not in known for item in entry.changes):
            continue  # a new note
        found = _what_changed(entry, readable(old_body), readable(prepared.rendered[slug].html))
        if found is None:
            continue
        said, line = found
        yield Problem(entry.path, line, f"the {' and '.join(said)} changed since version {number}, but `changes:` "
                      "has no new note; add one (`- date: YYYY-MM-DD` then `note: …`) telling readers what changed",
                      "warning")
