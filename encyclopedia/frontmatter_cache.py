"""Front matter as read, stored with each entry, so a reload does not parse unchanged files again.

A load stores :func:`snapshot` of every entry record (``Entry.front_matter``).  The next
load, for a file whose bytes hash to the stored ``source_hash`` and whose snapshot was
made by the same reading code (:data:`READER_FINGERPRINT`), rebuilds the record with
:func:`restore` instead of checking characters, limits and YAML again: those checks
passed for exactly these bytes, or the entry would not be stored.  Anything else (a
changed file, a new file, new reading code) is read in full.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .normalise import InputProblem, decode, normalise
from .records import EntryRecord


def _reader_fingerprint() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("loader.py", "normalise.py", "yamlnodes.py", "records.py", "frontmatter_cache.py"):
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()[:16]


READER_FINGERPRINT = _reader_fingerprint()


def snapshot(record: EntryRecord) -> dict:
    """The record's front matter values and positions, as JSON-ready data."""
    return {
        "reader": READER_FINGERPRINT,
        "title": record.title,
        "summary": record.summary,
        "category": record.category,
        "aliases": list(record.aliases),
        "reviewed": record.reviewed.isoformat() if record.reviewed else None,
        "redirect_from": list(record.redirect_from),
        "draft": record.draft,
        "timeline": record.timeline,
        "diagram": record.diagram,
        "field_lines": dict(record.field_lines),
    }


def restore(slug: str, shown: str, raw: bytes, source_hash: str, stored: dict | None) -> EntryRecord | None:
    """The record of an unchanged file from its stored snapshot; None when it must be read in full."""
    if not stored or stored.get("reader") != READER_FINGERPRINT:
        return None
    from .loader import split_front_matter

    try:
        parts = split_front_matter(normalise(decode(raw)))
    except InputProblem:
        return None
    if parts is None:
        return None
    _front, body, body_line = parts
    try:
        return EntryRecord(
            slug=slug, path=shown, source_hash=source_hash,
            title=stored["title"], summary=stored["summary"], category=stored["category"],
            aliases=tuple(stored["aliases"]),
            reviewed=dt.date.fromisoformat(stored["reviewed"]) if stored["reviewed"] else None,
            redirect_from=tuple(stored["redirect_from"]), draft=stored["draft"], timeline=stored["timeline"],
            diagram=stored["diagram"], body=body, body_line=body_line,
            field_lines={key: int(value) for key, value in stored["field_lines"].items()},
        )
    except (KeyError, TypeError, ValueError):  # a snapshot from another version: read the file
        return None
