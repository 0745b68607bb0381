"""``runserver`` as staticfiles provides it, saying plainly when the database cannot serve pages."""

from __future__ import annotations

from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver

from encyclopedia.readiness import report_at_startup


class Command(StaticfilesRunserver):
    def check_migrations(self):
        # Django's own check lists unapplied migrations, and fails with a traceback when the
        # database cannot be reached; ours says what to do in one line either way.
        report_at_startup(self.stdout)
