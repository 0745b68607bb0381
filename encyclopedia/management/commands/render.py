"""Print the sanitized HTML of entry files: an editor's preview, and the way tests feed
the renderer hostile input."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.errors import ContentError
from encyclopedia.preview import render_files


class Command(BaseCommand):
    help = "Render entry files (anywhere) against the content folder and print their HTML body."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="entry files to render")
        parser.add_argument("--content-dir", default=None, help="the content folder links and citations resolve against")

    def handle(self, *args, files, content_dir=None, **options):
        try:
            for path, html in render_files([Path(name) for name in files], Path(content_dir or settings.CONTENT_DIR)):
                if len(files) > 1:
                    self.stdout.write(f"<!-- {path} -->")
                self.stdout.write(html)
        except ContentError as exc:
            for item in exc.problems:
                self.stderr.write(str(item))
            raise CommandError(exc.summary()) from None
