"""What the last load read, kept in the database, so a reload does not parse unchanged files again.

A load stores :func:`snapshot` of every entry record (``Entry.front_matter``) and the
hashes of the data files it read (``ContentState.files``).  The next load, for a file
whose bytes hash to the stored value and that was read by the same reading code
(:data:`READER_FINGERPRINT`), rebuilds the records instead of checking characters,
limits and YAML again: those checks passed for exactly these bytes, or the load would
not have been stored.  Anything else (a changed file, a new file, new reading code) is
read in full.  At 10,000 entries this is most of a no-change reload's time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .normalise import InputProblem, decode, normalise
from .records import EntryRecord, ReferenceRecord


def _reader_fingerprint() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("loader.py", "normalise.py", "yamlnodes.py", "records.py", "bibliography.py", "parse_cache.py"):
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
        "changes": [list(item) for item in record.changes],
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
            diagram=stored["diagram"], changes=tuple(tuple(item) for item in stored.get("changes", ())), body=body, body_line=body_line,
            field_lines={key: int(value) for key, value in stored["field_lines"].items()},
        )
    except (KeyError, TypeError, ValueError):  # a snapshot from another version: read the file
        return None


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def reference_record(csl: dict) -> ReferenceRecord:
    """A reference record from its stored form (``dataclasses.asdict`` through JSON)."""
    return ReferenceRecord(**{**csl, "authors": tuple(csl.get("authors", ()))})


@dataclass
class Known:
    """What the last successful load stored: entry snapshots, data-file hashes, references."""

    entries: dict[str, tuple[str, dict]] = field(default_factory=dict)  # slug -> (source hash, snapshot)
    files: dict[str, str] = field(default_factory=dict)  # file name -> hash; "reader" -> fingerprint
    references: Callable[[], dict[str, ReferenceRecord]] = dict

    def unchanged(self, name: str, raw: bytes) -> bool:
        return self.files.get("reader") == READER_FINGERPRINT and self.files.get(name) == file_hash(raw)
