"""Residents' names encrypted; the search by name through keyed hashes of name words.

The subject's and the reporter's names become encrypted columns like the NIK and KK numbers
(0006). The subject's name gets the keyed hash of the whole name (the duplicate check) and,
in the new table NameToken, the keyed hashes of its words and of their beginnings (the
worklists' search; requests/name_index.py). The indexes that read the names in clear go: the
two B-trees on (area, name) and, on PostgreSQL, the trigram index of 0008.

Existing rows are encrypted in batches by id; the search hashes are written before their index
is built (one sorted build instead of millions of index insertions). The reverse migration
decrypts the names and drops the hashes.
"""

from django.db import migrations, models

import django.db.models.deletion
import paradewi.core.fields

BATCH = 2000
ROWS_PER_INSERT = 1000
TRIGRAM_INDEX = "req_subject_name_trgm"
NAMES = ("subject_name", "reporter_name")


def _batches(connection, table, columns):
    """Rows (id, *columns) of `table` in batches of BATCH, by id."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                # Quoted table and column names of this migration; the values are parameters.
                f"SELECT id, {names} FROM {quote(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(connection, table, columns, rows):
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [(*values, pk) for pk, *values in rows],
        )


def _insert_tokens(connection, table, rows):
    """(request, district, village, token) rows, many per INSERT."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("request_id", "district_id", "village_id", "token"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            marks = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) VALUES {marks}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def _constraints(connection, mode):
    """On PostgreSQL, check the new rows' foreign keys as they are written (IMMEDIATE) rather
    than queue millions of checks to the end of the migration; DEFERRED again afterwards."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON requests_servicerequest "
            "USING gin ((UPPER(subject_name::text)) gin_trgm_ops)"
        )


def encrypt_existing(apps, schema_editor):
    from paradewi.core.crypto import (
        blind_index,
        decrypt_text,
        encrypt_text,
        is_token,
        name_tokens,
        normalise_name,
    )

    def plain(value, name):
        if is_token(value):  # already encrypted (a row written after the code changed)
            return decrypt_text(value, context=f"requests.servicerequest.{name}")
        return value or ""

    connection = schema_editor.connection
    _constraints(connection, "IMMEDIATE")
    requests = apps.get_model("requests", "ServiceRequest")._meta.db_table
    tokens = apps.get_model("requests", "NameToken")._meta.db_table
    columns = (*NAMES, "village_id", "district_id")
    for rows in _batches(connection, requests, columns):
        changed = []
        words = []
        for pk, subject, reporter, village, district in rows:
            names = {NAMES[0]: plain(subject, NAMES[0]), NAMES[1]: plain(reporter, NAMES[1])}
            sealed = [
                encrypt_text(value, context=f"requests.servicerequest.{name}") if value else ""
                for name, value in names.items()
            ]
            digest = blind_index(normalise_name(names[NAMES[0]]), purpose="name")
            changed.append((pk, *sealed, digest))
            words += [
                (pk, district, village, token) for token in sorted(name_tokens(names[NAMES[0]]))
            ]
        _update(connection, requests, (*NAMES, "subject_name_index"), changed)
        _insert_tokens(connection, tokens, words)
    _constraints(connection, "DEFERRED")


def decrypt_existing(apps, schema_editor):
    from paradewi.core.crypto import decrypt_text, is_token

    connection = schema_editor.connection
    requests = apps.get_model("requests", "ServiceRequest")._meta.db_table

    def open_(value, name):
        if is_token(value):
            return decrypt_text(value, context=f"requests.servicerequest.{name}")
        return value

    for rows in _batches(connection, requests, NAMES):
        changed = [
            (pk, open_(subject, NAMES[0]), open_(reporter, NAMES[1]))
            for pk, subject, reporter in rows
        ]
        _update(connection, requests, NAMES, changed)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("requests", "0016_correction"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="servicerequest", name="req_village_name"),
        migrations.RemoveIndex(model_name="servicerequest", name="req_district_name"),
        migrations.RunPython(drop_trigram_index, create_trigram_index, elidable=False),
        migrations.AlterField(
            model_name="servicerequest",
            name="subject_name",
            field=paradewi.core.fields.EncryptedTextField(
                blank=True, max_length=150, verbose_name="full name"
            ),
        ),
        migrations.AlterField(
            model_name="servicerequest",
            name="reporter_name",
            field=paradewi.core.fields.EncryptedTextField(
                blank=True, max_length=150, verbose_name="reporter's name"
            ),
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="subject_name_index",
            field=paradewi.core.fields.BlindIndexField(purpose="name", source="subject_name"),
        ),
        migrations.CreateModel(
            name="NameToken",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "request",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="requests.servicerequest",
                    ),
                ),
                (
                    "district",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="regions.region",
                    ),
                ),
                (
                    "village",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="regions.region",
                    ),
                ),
                ("token", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "name search hash",
                "verbose_name_plural": "name search hashes",
            },
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
        migrations.AddIndex(
            model_name="nametoken",
            index=models.Index(
                fields=["token", "district", "village", "request"], name="name_token_search"
            ),
        ),
    ]
