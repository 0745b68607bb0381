"""Record versions from the editors' git history of the content folder, for entries with none yet."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.history.git_import import NotAGitRepository, import_history


class Command(BaseCommand):
    help = ("Walk the git history of the content folder, oldest first, and record a version of each entry "
            "for each commit that changed it (entries that have versions already are left alone).")

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=None, help="the content folder (default: IMMUNOREF_CONTENT_DIR)")

    def handle(self, *args, content_dir=None, verbosity=1, **options):
        def progress(sha, subject, count):
            if verbosity >= 2:
                self.stdout.write(f"{sha[:10]} {subject}: {count} version{'s' if count != 1 else ''}")

        try:
            report = import_history(content_dir or settings.CONTENT_DIR, on_commit=progress)
        except NotAGitRepository as problem:
            raise CommandError(str(problem)) from None
        for commit, problem in report.skipped_commits:
            self.stderr.write(f"skipped commit {commit}: its content does not load ({problem})")
        if report.refused:
            self.stdout.write(f"left alone (they have versions already, and version numbers never change): "
                              f"{', '.join(report.refused)}")
        if verbosity:
            self.stdout.write(f"{report.recorded} version{'s' if report.recorded != 1 else ''} recorded from "
                              f"{report.commits} commit{'s' if report.commits != 1 else ''}.")
