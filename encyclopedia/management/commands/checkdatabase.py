"""Exit 1 with one clear line when the database cannot be reached (`make run` asks before migrating)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from encyclopedia.readiness import unreachable_database


class Command(BaseCommand):
    help = "Check that the database in DATABASE_URL answers; say plainly what to fix if not."
    requires_system_checks = []

    def handle(self, *args, **options):
        from encyclopedia.page_store import shared_cache_problem

        if cache_problem := shared_cache_problem():  # said, but pages are served without it
            self.stderr.write(f"ImmunoRef: {cache_problem}.")
        problem = unreachable_database()
        if problem:
            raise CommandError(f"ImmunoRef: {problem}.")
        if options["verbosity"] > 1:
            self.stdout.write("The database answers.")
