"""The name hashes get a second index, (token, request): each word's requests over the whole
regency in the order of their ids, so that the Dinas's search reads them directly, two words
are intersected by merging their lists, and whether a request has a word is one probe
(requests/name_index.py). SQLite's planner statistics of the table are refreshed with it, as
the daily task would (core/tasks.py), so that the new index is chosen from the start."""

from django.db import migrations, models


def refresh_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE requests_nametoken")


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0017_encrypted_names"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="nametoken",
            index=models.Index(fields=["token", "request"], name="name_token_request"),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
