from django.db import migrations


class Migration(migrations.Migration):
    """The stat index of quick reloads gets a name that says what it is (see encyclopedia/changes.py)."""

    dependencies = [("encyclopedia", "0009_search_index_state")]

    operations = [
        migrations.RenameField(model_name="contentstate", old_name="index", new_name="file_stamps"),
    ]
