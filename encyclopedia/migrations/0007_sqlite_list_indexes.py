"""SQLite: covering indexes for lists of entries (home, A-Z, topics, an entry's neighbours).

SQLite keeps a row's columns together, in the order they were created, and the stored
HTML and text come before ``category_id``: reading ``category_id`` from the table walks
the whole row (tens of KB).  A list of every entry then read the whole table (500 MB at
10,000 entries).  These indexes carry every column a list reads, so lists never touch
the table.  PostgreSQL keeps long values out of line (TOAST) and needs none of this; its
index rows are also limited to about 2.7 kB, which a long title and summary could exceed.
"""

from django.db import migrations

COLUMNS = "draft, slug, reviewed, summary"
INDEXES = {
    "entry_a_to_z_cover": f"title, category_id, {COLUMNS}",
    "entry_topic_cover": f"category_id, title, {COLUMNS}",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON encyclopedia_entry ({columns})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("encyclopedia", "0006_content_state_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
