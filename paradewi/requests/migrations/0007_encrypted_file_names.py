"""The uploads' original file names encrypted (scans are often named after a NIK or KK number).

The existing names are encrypted in batches by id (as `manage.py rotate_keys` does for any
value from before encryption); the reverse migration decrypts them.
"""

from django.db import migrations

import paradewi.core.fields

BATCH = 2000
CONTEXT = "requests.upload.original_name"


def encrypt_existing(apps, schema_editor):
    from paradewi.core.rotation import rotate_model

    rotate_model(apps.get_model("requests", "Upload"), batch=BATCH)


def decrypt_existing(apps, schema_editor):
    from paradewi.core.crypto import decrypt_text, is_token

    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote(apps.get_model("requests", "Upload")._meta.db_table)
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                # The table name of this migration; the values are parameters.
                f"SELECT id, original_name FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            cursor.executemany(
                f"UPDATE {table} SET original_name = %s WHERE id = %s",  # noqa: S608
                [(decrypt_text(name, context=CONTEXT), pk) for pk, name in rows if is_token(name)],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("requests", "0006_encrypted_nik_kk"),
    ]

    operations = [
        migrations.AlterField(
            model_name="upload",
            name="original_name",
            field=paradewi.core.fields.EncryptedTextField(max_length=200, verbose_name="file name"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
