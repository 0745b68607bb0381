"""Find what changed since the last load: the file stamps, the way git's index works.

Every load stores, with what it wrote, its *file stamps* (``ContentState.file_stamps``):
each file's stat stamp (size, mtime, ctime, inode) with the hash of the bytes that load
read, each entry's digest (``versions.entry_digest``), the data files' digest, the alias
table and what the stored HTML was made with (reading and rendering code, addresses).

:func:`find_changes` stats the files.  A file whose stamp is unchanged is trusted without
reading it, but only when its ctime is more than :data:`RACY_NS` before the stored load
began: a file written during or just before a load could change again within the same
clock tick, so it is read and hashed instead.  The answer is a :class:`Changes`:

- ``everything``: a data file, an added, removed or renamed file, new reading or rendering
  code, another content folder, no stamps yet, or ``--force``: the load reads every file;
- otherwise ``files``, the entry files whose bytes changed (maybe none), with their bytes.

``build.prepare`` then reads, checks and renders what the change set names, the same way
for both (and hands a change other entries can see back to the full set).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .datafiles import DATA_FILES
from .loader import entry_files
from . import parse_cache
from .rendering import renderer_fingerprint
from .addresses import entry_url_maker, page_url

FORMAT = 1
RACY_NS = 2_000_000_000  # a stamp is trusted only if the file was last changed this long before the load began


@dataclass
class Changes:
    """What one load redoes: every file, or just these entry files."""

    everything: bool = True
    files: dict[str, bytes] = field(default_factory=dict)  # changed entry files: relative path -> bytes
    stamps: dict = field(default_factory=dict)  # the stored file stamps, refreshed where a file was looked at
    looked_again: bool = False  # some unchanged file was read again (its stamp was not trusted or changed)

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.files


EVERYTHING = Changes()


def stamp(path: Path) -> str:
    """size:mtime:ctime:inode; any write changes the ctime, which no tool can set back."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _trusted(value: str, scanned_at: int) -> bool:
    return int(value.split(":")[2]) < scanned_at - RACY_NS


def content_files(root: Path) -> dict[str, Path]:
    """Every file a load reads, by its path relative to the content folder."""
    files = {path.relative_to(root).as_posix(): path for path in entry_files(root)}
    for name in DATA_FILES:
        if (root / name).is_file():
            files[name] = root / name
    return files


def code_marks() -> dict[str, str]:
    """What stored HTML was made with: reading code, rendering code, and the addresses it links to."""
    return {"reader": parse_cache.reader_fingerprint(), "renderer": renderer_fingerprint(),
            "urls": entry_url_maker()("slug-marker-0") + " " + page_url("glossary")}


def file_stamps(prepared) -> dict:
    """The file stamps a load of every file stores with what it wrote (``prepared``: build.Prepared)."""
    content = prepared.content
    files = {}
    for relative, path in content_files(content.root).items():
        if relative in DATA_FILES:
            sha = content.file_hashes.get(relative)
        else:
            entry = content.entries.get(path.stem)
            sha = entry.source_hash if entry else None
        if sha is None:  # not read by this load (it cannot be trusted next time)
            continue
        try:
            files[relative] = [stamp(path), sha]
        except OSError:
            continue
    return {"format": FORMAT, **code_marks(), "root": str(content.root), "scanned_at": content.scanned_at,
            "files": files, "digests": prepared.digests, "data": prepared.data_digest,
            "aliases": prepared.context.aliases}


def _changed_files(stored: dict, files: dict[str, Path]) -> tuple[dict[str, bytes], dict[str, list]] | None:
    """(changed file -> its bytes, refreshed stamp rows), or None when the set of files changed."""
    if files.keys() != stored["files"].keys():
        return None
    changed: dict[str, bytes] = {}
    refreshed: dict[str, list] = {}
    for relative, path in files.items():
        old_stamp, old_hash = stored["files"][relative]
        try:
            now = stamp(path)
            if now == old_stamp and _trusted(old_stamp, stored["scanned_at"]):
                continue
            raw = path.read_bytes()
        except OSError:
            return None
        sha = parse_cache.file_hash(raw)
        refreshed[relative] = [now, sha]
        if sha != old_hash:
            changed[relative] = raw
    return changed, refreshed


def find_changes(content_dir: Path | str, stored: dict | None, *, force: bool = False) -> Changes:
    """What changed since the load that stored ``stored`` (its file stamps)."""
    scanned_at = time.time_ns()
    root = Path(content_dir).resolve()
    if force or not stored or stored.get("format") != FORMAT or stored.get("root") != str(root) \
            or any(stored.get(key) != value for key, value in code_marks().items()) or not root.is_dir():
        return EVERYTHING
    found = _changed_files(stored, content_files(root))
    if found is None or any(relative in DATA_FILES for relative in found[0]):
        return EVERYTHING
    changed, refreshed = found
    stamps = {**stored, "scanned_at": scanned_at, "files": {**stored["files"], **refreshed}}
    return Changes(everything=False, files=changed, stamps=stamps, looked_again=bool(refreshed))
