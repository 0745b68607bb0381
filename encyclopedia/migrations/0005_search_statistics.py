"""PostgreSQL: no planner statistics on the search vectors and the folded names.

With statistics, the planner judges a common word to match most rows and reads the
whole table, unpacking every entry's vector (tens of milliseconds at 10,000 entries);
without them it assumes a word is rare and uses the GIN index, which answers a word
query, or a count, without unpacking any vector.  The same holds for the trigram index
of folded names (suggestions for text no name starts with).  Nothing on SQLite.
"""

from django.db import migrations

STATEMENTS = [
    "ALTER TABLE encyclopedia_search_document ALTER COLUMN short SET STATISTICS 0",
    "ALTER TABLE encyclopedia_search_document ALTER COLUMN everything SET STATISTICS 0",
    "ALTER INDEX encyclopedia_searchname_display_trgm ALTER COLUMN 1 SET STATISTICS 0",
]
UNDO = [
    "ALTER TABLE encyclopedia_search_document ALTER COLUMN short SET STATISTICS -1",
    "ALTER TABLE encyclopedia_search_document ALTER COLUMN everything SET STATISTICS -1",
    "ALTER INDEX encyclopedia_searchname_display_trgm ALTER COLUMN 1 SET STATISTICS -1",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in STATEMENTS:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("encyclopedia", "0004_content_state_files"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
