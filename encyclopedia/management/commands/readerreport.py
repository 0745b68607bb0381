"""Print the reader report for editors: reads, helpful or not, feedback texts, searches that found nothing."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from encyclopedia.readers.report import as_text, reader_report


class Command(BaseCommand):
    help = ("Per entry: reads in the last 30 days, yes/no answers since its last review (or --since), the "
            "feedback texts; the entries most often found unhelpful; the most frequent zero-result queries.")

    def add_arguments(self, parser):
        parser.add_argument("--since", default=None, metavar="YYYY-MM-DD",
                            help="answers and queries from this day on (default: answers since each entry's last review)")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="text for people; json for scripts: {entries: [...], zero_result_queries: [...]}")

    def handle(self, *args, since=None, format="text", **options):
        try:
            start = dt.date.fromisoformat(since) if since else None
        except ValueError:
            raise CommandError(f"--since must be a date written YYYY-MM-DD, such as 2026-11-01, not `{since}`") from None
        try:
            report = reader_report(start)
        except DatabaseError as exc:
            raise CommandError(f"the database could not be read ({exc}); run `python manage.py migrate` first") from None
        if format == "json":
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(as_text(report), ending="")
