from django.db import migrations


class Migration(migrations.Migration):
    """The stat index of quick reloads gets a name that says what it is (see encyclopedia/changes.py)."""

    dependencies = [("encyclopedia", "0007_sqlite_list_indexes")]

    operations = [
        migrations.RenameField(model_name="contentstate", old_name="index", new_name="file_stamps"),
    ]
