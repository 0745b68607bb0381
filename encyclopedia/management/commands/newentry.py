"""Start a new entry: a file with complete front matter and a skeleton to fill in."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from encyclopedia.editorial.skeleton import NewEntryError, create_entry


class Command(BaseCommand):
    help = "Create content/<slug>.md: front matter, a part for patients, `## For clinicians`, placeholders to fill in."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the entry's address and file name: lowercase letters, digits and hyphens")
        parser.add_argument("--title", required=True, help="the entry's title, in quotes")
        parser.add_argument("--category", required=True, help="a key of content/categories.yaml")
        parser.add_argument("--content-dir", default=None,
                            help="the content folder (default: IMMUNOREF_CONTENT_DIR or content/)")

    def handle(self, *args, slug, title, category, content_dir=None, verbosity=1, **options):
        try:
            path = create_entry(content_dir or settings.CONTENT_DIR, slug, title=title, category=category)
        except NewEntryError as exc:
            raise CommandError(str(exc)) from None
        if verbosity >= 1:
            self.stdout.write(
                f"Created {path.parent.name}/{path.name} as a draft. Next:\n"
                "  1. write the text where it says TODO (summary, aliases, the part for patients, For clinicians);\n"
                "  2. replace each [@replace-with-a-reference-id] with the id of a record in references.yaml;\n"
                "  3. run `python manage.py checkcontent` until it reports no problems;\n"
                "  4. delete the line `draft: true` to publish it."
            )
