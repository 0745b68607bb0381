"""Record versions of entries: the one function a load calls, inside its transaction.

:func:`record_versions` is given, for each entry the load wrote (or found without a
history), its slug, title, source Markdown, rendered page body and change notes.  It
records a new version only when the source or the readable text (title included) differs
from the entry's last version, so a release that only changes how pages are rendered
records nothing.  Under DEBUG (``make dev``) it records nothing at all.

Histories follow entries: an entry with ``redirect_from`` naming a slug that has a history
(and no entry of its own now) takes that history along; a removed entry's history is
marked removed and kept; a new entry reusing a removed slug starts a history of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from django.db.models import F

from ..bulk import chunks
from .models import EntryHistory, EntryVersion, HistoryAlias, StoredText, text_digest
from .readable import readable_digest


@dataclass(frozen=True)
class EntrySnapshot:
    """What the load knows of one entry, as history needs it."""

    slug: str
    title: str
    source: str  # the entry file's Markdown, front matter included
    body_html: str  # the sanitized page body as rendered by this load
    notes: tuple[tuple[str, str], ...] = ()  # (ISO date, note) from the `changes:` field
    redirect_from: tuple[str, ...] = ()
    draft: bool = False


def active_histories(slugs: Iterable[str] | None = None) -> dict[str, EntryHistory]:
    """The histories of present (not removed) entries, by slug; all of them when ``slugs`` is None."""
    query = EntryHistory.objects.filter(removed_at=None)
    if slugs is None:
        return {history.slug: history for history in query}
    found: dict[str, EntryHistory] = {}
    for part in chunks(sorted(set(slugs))):
        found.update((history.slug, history) for history in query.filter(slug__in=part))
    return found


def _last_versions(history_ids: list[int]) -> dict[int, tuple]:
    """history id -> (number, readable digest, source digest, body digest, body id, title, every note so far)."""
    last: dict[int, tuple] = {}
    notes: dict[int, set] = {}
    for part in chunks(history_ids):
        rows = (EntryVersion.objects.filter(history_id__in=part).order_by("history_id", "-number")
                .values_list("history_id", "number", "readable_digest", "source__digest", "body__digest", "body_id",
                             "title", "notes"))
        for history_id, *values, version_notes in rows:
            notes.setdefault(history_id, set()).update(tuple(item) for item in version_notes)
            last.setdefault(history_id, tuple(values))
    return {history_id: (*values, notes[history_id]) for history_id, values in last.items()}


def _readable_changed(entry: EntrySnapshot, previous: tuple) -> str | None:
    """The new readable digest when the readable text differs from the last version's, else None.

    Only asked when the source is the same but the page body is not (new rendering code, or
    something the page shows from elsewhere changed): a version is recorded only if the text
    a reader reads changed.  Digests are computed here, not for every load (see readable_digest)."""
    _number, old_readable, _source, _body, body_id, old_title, _notes = previous
    new = readable_digest(entry.body_html, entry.title)
    old = old_readable or readable_digest(StoredText.objects.get(pk=body_id).text, old_title)
    return None if new == old else new


def _take_renamed(entry: EntrySnapshot, present: set[str]) -> EntryHistory | None:
    """The history of an old slug this entry redirects from (present, or else the latest removed),
    moved to the entry's slug; the old slug's version addresses then redirect here."""
    for old in entry.redirect_from:
        if old in present:  # another entry has that slug now
            continue
        history = EntryHistory.objects.filter(slug=old).order_by(F("removed_at").desc(nulls_first=True)).first()
        if history is None:
            continue
        history.slug, history.title, history.removed_at = entry.slug, entry.title, None
        history.save(update_fields=["slug", "title", "removed_at"])
        HistoryAlias.objects.update_or_create(old_slug=old, defaults={"history": history})
        return history
    return None


def record_versions(entries: Iterable[EntrySnapshot], loaded_at: dt.datetime, debug: bool, *,
                    removed: Iterable[str] = (), reconstructed: bool = False, commit: str = "",
                    fallback_note: str = "") -> list[EntryVersion]:
    """Record a version of each entry whose source or readable text changed; mark ``removed`` slugs'
    histories removed.  Returns the versions recorded.  Call inside the load's transaction."""
    if debug:
        return []
    entries = [entry for entry in entries if not entry.draft]
    removed = [slug for slug in removed]
    if not entries and not removed:
        return []
    present = {entry.slug for entry in entries}
    histories = active_histories(present)
    for entry in entries:
        if entry.slug not in histories and entry.redirect_from:
            moved = _take_renamed(entry, present)
            if moved is not None:
                histories[entry.slug] = moved
    last = _last_versions([history.pk for history in histories.values()])

    pending = _pending_versions(entries, histories, last, loaded_at, fallback_note)
    recorded = _store_versions(pending, histories, loaded_at, reconstructed, commit) if pending else []

    gone = [slug for slug in removed if slug not in present]
    for part in chunks(gone):
        EntryHistory.objects.filter(slug__in=part, removed_at=None).update(removed_at=loaded_at)
    return recorded


def _pending_versions(entries, histories, last, loaded_at, fallback_note) -> list[tuple]:
    """(entry, history, number, readable digest, new notes) of each entry that needs a new version."""
    pending: list[tuple[EntrySnapshot, EntryHistory | None, int, str, list]] = []
    for entry in entries:
        history = histories.get(entry.slug)
        previous = last.get(history.pk) if history else None
        digest = ""  # the readable digest: computed only when it decides (_readable_changed)
        if previous is not None:
            number, known = previous[0], previous[-1]
            if previous[2] == text_digest(entry.source):
                if previous[3] == text_digest(entry.body_html):
                    continue
                digest = _readable_changed(entry, previous)
                if digest is None:
                    continue
        else:
            number, known = 0, set()
        notes = [list(item) for item in entry.notes if tuple(item) not in known]
        if not notes and fallback_note:
            notes = [[loaded_at.date().isoformat(), fallback_note]]
        pending.append((entry, history, number + 1, digest, notes))

    return pending


def _store_versions(pending, histories, loaded_at, reconstructed, commit) -> list[EntryVersion]:
    """Write the pending versions (their texts once each, new histories first)."""
    recorded: list[EntryVersion] = []
    texts = StoredText.objects.ensure([text for entry, *_ in pending for text in (entry.source, entry.body_html)])
    new_histories = [EntryHistory(slug=entry.slug, title=entry.title, started_at=loaded_at)
                     for entry, history, *_ in pending if history is None]
    for history in EntryHistory.objects.bulk_create(new_histories, batch_size=500):
        histories[history.slug] = history
    if any(history.pk is None for history in new_histories):  # backends that return no keys
        histories.update(active_histories(h.slug for h in new_histories))
    renamed_titles = []
    for entry, history, number, digest, notes in pending:
        history = histories[entry.slug]
        if history.title != entry.title:
            history.title = entry.title
            renamed_titles.append(history)
        recorded.append(EntryVersion(
            history=history, number=number, loaded_at=loaded_at, title=entry.title, notes=notes,
            source_id=texts[text_digest(entry.source)], body_id=texts[text_digest(entry.body_html)],
            readable_digest=digest, reconstructed=reconstructed, commit=commit))
    EntryVersion.objects.bulk_create(recorded, batch_size=500)
    if renamed_titles:
        EntryHistory.objects.bulk_update(renamed_titles, ["title"], batch_size=500)
    return recorded
