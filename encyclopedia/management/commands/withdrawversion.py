"""Withdraw a version of an entry that must not be read (a wrong dose): its address answers 410."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from encyclopedia.history.withdrawal import WithdrawalError, withdraw_version


class Command(BaseCommand):
    help = "Withdraw version N of an entry: its address then answers 410 Gone with the reason. The record stays."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the entry's slug, e.g. cytokine-release-syndrome")
        parser.add_argument("number", help="the version number, as on the entry's history page")
        parser.add_argument("--reason", required=True, help="what readers are told, in one or two plain sentences")

    def handle(self, *args, slug, number, reason, verbosity=1, **options):
        if not str(number).isdigit():
            raise CommandError(f"`{number}` is not a version number; versions are numbered 1, 2, 3 and so on")
        try:
            version = withdraw_version(slug, int(number), reason)
        except WithdrawalError as problem:
            raise CommandError(str(problem)) from None
        if verbosity:
            self.stdout.write(f"Withdrew version {version.number} of {version.history.slug}: "
                              f"{version.url_for(version.history.slug)} now answers 410 Gone.")
