"""Delete what reader signals may no longer keep (also done by each process at the start of a day)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from encyclopedia.readers.prune import prune


class Command(BaseCommand):
    help = ("Delete earlier days' salts and reader marks, feedback texts older than IMMUNOREF_FEEDBACK_DAYS "
            "and zero-result queries older than 90 days.")

    def handle(self, *args, **options):
        try:
            done = prune()
        except DatabaseError as exc:
            raise CommandError(f"the database could not be pruned ({exc}); run `python manage.py migrate` first") from None
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Pruned: {done['feedback_texts']} feedback text(s), {done['queries']} query count(s), "
                              f"{done['drops']} drop record(s); earlier days' salts and marks deleted.")
