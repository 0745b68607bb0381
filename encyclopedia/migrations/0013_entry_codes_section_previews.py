"""Entries: the clinical codes they explain (front matter ``codes``) and each section's heading and
first sentences (for previews of links to them), filled here from the stored HTML of entries
already loaded.  Adding columns rebuilds the table on SQLite, which drops the covering indexes of
0007: they are created again."""

import importlib

from django.db import migrations, models

list_indexes = importlib.import_module("encyclopedia.migrations.0007_sqlite_list_indexes")


def fill_section_previews(apps, schema_editor):
    from encyclopedia.previews.sections import section_previews

    Entry = apps.get_model("encyclopedia", "Entry")
    for pk, html in Entry.objects.values_list("pk", "body_html").iterator():
        Entry.objects.filter(pk=pk).update(section_previews=section_previews(html or ""))


class Migration(migrations.Migration):

    dependencies = [
        ('encyclopedia', '0012_reference_study_type'),
    ]

    operations = [
        migrations.AddField(
            model_name='entry',
            name='codes',
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name='entry',
            name='section_previews',
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(list_indexes.create, migrations.RunPython.noop),
        migrations.RunPython(fill_section_previews, migrations.RunPython.noop),
    ]
