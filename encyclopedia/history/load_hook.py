"""Where the load pipeline meets entry history: the one adapter to re-point when the pipeline changes.

The load calls :func:`record_load` once, inside its transaction, with what it prepared.
It gives :func:`~encyclopedia.history.recording.record_versions` every entry the load
rendered, plus, on a full load, the entries that have no history yet (so the first load
after history is installed records version 1 of everything) and the slugs whose entries
are gone.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from ..bulk import chunks
from .models import EntryHistory
from .recording import EntrySnapshot, record_versions


def _source_of(root: Path, shown: str) -> str:
    """The entry file's text (its path as the loader shows it: relative to the content folder's parent)."""
    path = Path(shown)
    if not path.is_absolute():
        path = root.parent / path
    try:
        return path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ""


def record_load(prepared, loaded_at, *, full: bool) -> None:
    """Record versions for a load (``prepared``: encyclopedia.build.Prepared).  ``full``: every entry
    file was read, so entries missing from it are removed ones."""
    if settings.DEBUG:
        return
    from ..models import Entry

    content = prepared.content
    bodies = {slug: result.html for slug, result in prepared.rendered.items()}
    removed: list[str] = []
    if full:
        known = set(EntryHistory.objects.filter(removed_at=None).values_list("slug", flat=True))
        removed = [slug for slug in known if slug not in content.entries]
        missing = [slug for slug, entry in content.entries.items()
                   if slug not in known and slug not in bodies and not entry.draft]
        for part in chunks(missing):
            bodies.update(Entry.objects.filter(slug__in=part).values_list("slug", "body_html"))
    snapshots = []
    for slug, body in bodies.items():
        entry = content.entries[slug]
        snapshots.append(EntrySnapshot(slug=slug, title=entry.title, source=_source_of(content.root, entry.path),
                                       body_html=body, notes=tuple(entry.changes),
                                       redirect_from=tuple(entry.redirect_from), draft=entry.draft))
    record_versions(snapshots, loaded_at, settings.DEBUG, removed=removed)
