"""Check the content folder as the loader would, plus the editorial rules; writes nothing."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.editorial import DEFAULT_MAX_AGE_MONTHS, check_content


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date written YYYY-MM-DD, such as 2026-11-25, not `{value}`") from None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = ("Check the content folder: everything the loader refuses (errors) and the editorial rules "
            "(warnings). Exit status 1 when there are errors.")

    def add_arguments(self, parser):
        parser.add_argument("--content-dir", default=None,
                            help="the content folder (default: IMMUNOREF_CONTENT_DIR or content/)")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="text: `path:line: message` lines; json: a list of {path, line, severity, message}")
        parser.add_argument("--strict", action="store_true",
                            help="treat warnings as errors (except `due for review`, which depends on the date)")
        parser.add_argument("--as-of", type=str, default=None, metavar="YYYY-MM-DD",
                            help="judge review dates as of this day (default: today)")
        parser.add_argument("--max-age-months", type=int, default=DEFAULT_MAX_AGE_MONTHS, metavar="N",
                            help=f"an entry is due for review N months after `reviewed` (default {DEFAULT_MAX_AGE_MONTHS})")
        parser.add_argument("--processes", type=int, default=None, help="worker processes (default: one per core)")

    def handle(self, *args, content_dir=None, format="text", strict=False, as_of=None, max_age_months=12,
               processes=None, verbosity=1, **options):
        if max_age_months < 1:
            raise CommandError("--max-age-months must be a whole number of months, 1 or more")
        report = check_content(content_dir or settings.CONTENT_DIR, as_of=_date(as_of) if as_of else None,
                               max_age_months=max_age_months, strict=strict, processes=processes)
        if format == "json":
            self.stdout.write(json.dumps([problem.as_dict() for problem in report.problems], indent=2,
                                         ensure_ascii=False))
        else:
            for problem in report.problems:
                marker = "warning: " if problem.severity == "warning" else ""
                self.stdout.write(f"{problem.path}:{problem.line}: {marker}{problem.message}")
            if verbosity >= 2:
                self.stdout.write("")
                self.stdout.write("Reading grade of the part for patients (target 8 or below):")
                for slug, grade in report.grades.items():
                    self.stdout.write(f"  {grade:5.1f}  {slug}")
            if verbosity >= 1:
                self.stdout.write(
                    f"{_plural(report.entry_count, 'entry').replace('entrys', 'entries')}, "
                    f"{_plural(report.reference_count, 'reference')}, {_plural(report.glossary_count, 'glossary term')}: "
                    f"{_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}"
                )
        if report.errors:
            raise CommandError(f"{_plural(len(report.errors), 'error')} in the content")
