"""Load the content folder into the database: all or nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.errors import ContentError
from encyclopedia.pipeline import LoadBusy, load_content
from encyclopedia.sync import database_ready


class Command(BaseCommand):
    help = "Read, check, render and store every entry in the content folder (all or nothing)."
    # The system checks import every URL module, the API's library among them, which costs
    # more than a reload with nothing to do; the server, the tests and `manage.py check` run them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=None, help="the content folder (default: IMMUNOREF_CONTENT_DIR or content/)")
        parser.add_argument("--force", action="store_true", help="render every entry again, changed or not")
        parser.add_argument("--processes", type=int, default=None, help="worker processes (default: one per core)")

    def handle(self, *args, content_dir=None, force=False, processes=None, verbosity=1, **options):
        problem = database_ready()
        if problem:
            raise CommandError(problem)
        show_progress = verbosity >= 1 and self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if show_progress:
                self.stdout.write(f"\rRendering {done}/{total} entries", ending="")
                self.stdout.flush()

        try:
            report = load_content(content_dir or settings.CONTENT_DIR, processes=processes, on_progress=progress, force=force)
        except ContentError as exc:
            if show_progress:
                self.stdout.write("")
            for item in exc.problems:
                self.stderr.write(str(item))
            raise CommandError(exc.summary() + "; nothing was changed (the site keeps serving the content loaded before)")
        except LoadBusy as exc:
            raise CommandError(str(exc)) from None
        if show_progress:
            self.stdout.write("")
        if verbosity >= 1:
            self.stdout.write(f"Loaded content: {report.summary()}")
