"""Versions from before the first load: the editors' git history of the content folder.

:func:`import_history` walks the commits that touched the content folder, oldest first.
For each, it renders the content folder as it was at that commit (:func:`render_folder`,
the one call into the load pipeline) and records, for each entry the commit changed, a
version dated by the commit, reconstructed, with the commit's subject as the note where
the entry had none.  Entries that already have versions (before the import began) are
left alone and named: version numbers never change.  Commits whose content does not load
are reported and skipped.  Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..errors import ContentError
from .models import EntryHistory, HistoryAlias
from .recording import EntrySnapshot, record_versions


class NotAGitRepository(Exception):
    pass


@dataclass
class ImportReport:
    commits: int = 0
    recorded: int = 0
    skipped_commits: list[tuple[str, str]] = field(default_factory=list)  # (short sha + subject, first problem)
    refused: list[str] = field(default_factory=list)  # entries that had versions already


def _git(cwd: Path, *args: str, binary: bool = False):
    completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if completed.returncode != 0:
        raise subprocess.CalledProcessError(completed.returncode, args, completed.stdout, completed.stderr)
    return completed.stdout if binary else completed.stdout.decode("utf-8", errors="replace")


def render_folder(folder: Path) -> dict[str, EntrySnapshot]:
    """Every entry of a content folder rendered by the load pipeline (raises ContentError).

    The one place the import calls the pipeline: re-point it when the pipeline changes."""
    from ..build import prepare

    prepared = prepare(folder, None, processes=1, force=True)
    snapshots = {}
    for slug, result in prepared.rendered.items():
        entry = prepared.content.entries[slug]
        path = Path(entry.path) if Path(entry.path).is_absolute() else folder.resolve().parent / entry.path
        snapshots[slug] = EntrySnapshot(slug=slug, title=entry.title, source=path.read_text(encoding="utf-8"),
                                        body_html=result.html, notes=tuple(entry.changes),
                                        redirect_from=tuple(entry.redirect_from), draft=entry.draft)
    return snapshots


def _commits(top: Path, relative: str) -> list[tuple[str, int, str]]:
    out = _git(top, "log", "--reverse", "--format=%H%x00%ct%x00%s", "--", relative or ".")
    commits = []
    for line in out.splitlines():
        sha, stamp, subject = line.split("\x00", 2)
        commits.append((sha, int(stamp), subject))
    return commits


def _changed_slugs(top: Path, sha: str, relative: str) -> tuple[set[str], set[str]]:
    """(entry slugs changed or added, entry slugs deleted) by the commit, under the content folder."""
    out = _git(top, "diff-tree", "--no-commit-id", "--name-status", "-r", "--root", "--no-renames", sha,
               "--", relative or ".")
    changed, deleted = set(), set()
    for line in out.splitlines():
        status, _, name = line.partition("\t")
        if not name.endswith(".md") or Path(name).name.lower() == "readme.md":
            continue
        (deleted if status.startswith("D") else changed).add(Path(name).stem)
    return changed, deleted


def _extract(top: Path, sha: str, relative: str, into: Path) -> Path:
    data = _git(top, "archive", "--format=tar", sha, "--", relative or ".", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(into, filter="data")
    return into / relative if relative else into


def import_history(content_dir: Path | str, *, on_commit=None) -> ImportReport:
    content_dir = Path(content_dir).resolve()
    try:
        top = Path(_git(content_dir, "rev-parse", "--show-toplevel").strip())
    except (subprocess.CalledProcessError, FileNotFoundError, NotADirectoryError):
        raise NotAGitRepository(f"{content_dir.name}/ is not in a git repository, so there is no history to import")
    relative = content_dir.relative_to(top.resolve()).as_posix() if content_dir != top.resolve() else ""
    report = ImportReport()
    had_versions = set(EntryHistory.objects.values_list("slug", flat=True)) | \
        set(HistoryAlias.objects.values_list("old_slug", flat=True))
    refused: set[str] = set()
    for sha, stamp, subject in _commits(top, relative):
        changed, deleted = _changed_slugs(top, sha, relative)
        refused |= (changed | deleted) & had_versions
        changed -= had_versions
        deleted -= had_versions
        if not changed and not deleted:
            continue
        report.commits += 1
        with tempfile.TemporaryDirectory(prefix="importhistory-") as scratch:
            try:
                folder = _extract(top, sha, relative, Path(scratch))
                snapshots = render_folder(folder)
            except ContentError as problem:
                report.skipped_commits.append((f"{sha[:10]} {subject}", str(problem.problems[0]) if problem.problems
                                               else "it does not load"))
                continue
            except subprocess.CalledProcessError as problem:
                report.skipped_commits.append((f"{sha[:10]} {subject}", problem.stderr.decode(errors="replace").strip()))
                continue
        when = dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)
        with transaction.atomic():
            recorded = record_versions([snapshots[slug] for slug in sorted(changed) if slug in snapshots], when, False,
                                       removed=sorted(deleted), reconstructed=True, commit=sha,
                                       fallback_note=subject[:300])
        report.recorded += len(recorded)
        if on_commit:
            on_commit(sha, subject, len(recorded))
    report.refused = sorted(refused)
    return report
