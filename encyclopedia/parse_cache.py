"""What the last load read, kept with what it stored, so a reload does not parse unchanged files again.

A load stores :func:`snapshot` of every entry record (``Entry.front_matter``) and the
hashes of the data files it read (``ContentState.files``).  The next load passes them to
the loader as :class:`Known`: for a file whose bytes hash to the stored value and that
was read by the same reading code (:func:`reader_fingerprint`), the loader rebuilds the
record from the snapshot instead of checking characters, limits and YAML again: those
checks passed for exactly these bytes, or the load would not have been stored.  Anything
else (a changed file, a new file, new reading code) is read in full.  At 10,000 entries
this is most of a no-change reload's time.  Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .fields import FRONT_MATTER
from .records import ReferenceRecord

READER_FILES = ("loader.py", "fields.py", "names.py", "normalise.py", "yamlnodes.py", "records.py",
                "bibliography.py", "parse_cache.py", "study_types.py")


@cache
def reader_fingerprint() -> str:
    """Hash of the reading code: new reading code reads every file in full again."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in READER_FILES:
        digest.update(name.encode() + b"\0" + (here / name).read_bytes())
    return digest.hexdigest()[:16]


def file_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def snapshot(record) -> dict:
    """The record's front matter values and positions, as JSON-ready data."""
    return {"reader": reader_fingerprint(),
            **{item.name: item.to_json(getattr(record, item.name)) for item in FRONT_MATTER},
            "field_lines": dict(record.field_lines)}


def front_matter_of(stored: dict | None) -> dict | None:
    """The front-matter values and field lines of a snapshot; None when the file must be read in full."""
    if not stored or stored.get("reader") != reader_fingerprint():
        return None
    try:
        values = {item.name: item.from_json(stored[item.name]) for item in FRONT_MATTER}
        values["field_lines"] = {key: int(value) for key, value in stored["field_lines"].items()}
    except (KeyError, TypeError, ValueError, AttributeError):  # a snapshot from another version
        return None
    return values


def reference_record(csl: dict) -> ReferenceRecord:
    """A reference record from its stored form (``dataclasses.asdict`` through JSON)."""
    return ReferenceRecord(**{**csl, "authors": tuple(csl.get("authors", ()))})


@dataclass
class Known:
    """What the last successful load stored: entry snapshots, data-file hashes, its references."""

    entries: dict[str, tuple[str, dict]] = field(default_factory=dict)  # slug -> (source hash, snapshot)
    files: dict[str, str] = field(default_factory=dict)  # file name -> hash; "reader" -> fingerprint
    references: dict[str, ReferenceRecord] = field(default_factory=dict)  # as stored, in file order

    def unchanged(self, name: str, raw: bytes) -> bool:
        return self.files.get("reader") == reader_fingerprint() and self.files.get(name) == file_hash(raw)
