"""Search's index metadata gets its own one-row table.

The number of indexed entries and the version of the code that built the index were
kept in a vocabulary row with an empty term; they move to ``SearchIndexState`` and that
row goes.  ``SearchDocument`` describes the PostgreSQL backend's table of migration 0002
(unmanaged: nothing is created here for it).
"""

import django.contrib.postgres.search
from django.db import migrations, models

COUNT_TERM = ""  # the vocabulary row that held the metadata


def move_to_state(apps, schema_editor):
    SearchTerm = apps.get_model("encyclopedia", "SearchTerm")
    SearchIndexState = apps.get_model("encyclopedia", "SearchIndexState")
    row = SearchTerm.objects.filter(term=COUNT_TERM).first()
    if row is not None:
        SearchIndexState.objects.update_or_create(pk=1, defaults={"documents": row.entries, "version": row.display})
        row.delete()


def move_to_vocabulary(apps, schema_editor):
    SearchTerm = apps.get_model("encyclopedia", "SearchTerm")
    SearchIndexState = apps.get_model("encyclopedia", "SearchIndexState")
    state = SearchIndexState.objects.filter(pk=1).first()
    if state is not None:
        SearchTerm.objects.update_or_create(term=COUNT_TERM, defaults={
            "entries": state.documents, "display": state.version, "skeleton": ""})


class Migration(migrations.Migration):

    dependencies = [
        ("encyclopedia", "0008_reader_signals"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("documents", models.IntegerField(default=0)),
                ("version", models.CharField(blank=True, max_length=16)),
            ],
        ),
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("entry_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("short", django.contrib.postgres.search.SearchVectorField()),
                ("everything", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "encyclopedia_search_document",
                "managed": False,
            },
        ),
        migrations.RunPython(move_to_state, move_to_vocabulary),
    ]
