"""Bulk writes below the ORM: `executemany` on SQLite, `COPY ... FROM STDIN` on PostgreSQL.

`bulk_create` builds a model instance per row and a parameter list per statement; for tens of
millions of rows that alone takes longer than the budget. Rows here are plain tuples in the
column order the simulator fills; any column a model has beyond those (a field added later)
is filled with the field's default, and a new required field without a default stops the run
with its name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.db.models.fields.json import JSONField

from paradewi.core.crypto import encrypt_text
from paradewi.core.fields import BlindIndexField, EncryptedJSONField, EncryptedTextField


class BenchDataError(Exception):
    """The database or the models are not what the generator can fill."""


class Table:
    """How to insert tuples of `fields` (attnames) into the table of `model`."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]) -> None:
        self.model = model
        # Generated columns are computed by the database and never inserted.
        concrete = {
            field.attname: field
            for field in model._meta.concrete_fields
            if not getattr(field, "generated", False)
        }
        unknown = [name for name in fields if name not in concrete]
        if unknown:
            raise BenchDataError(f"{model.__name__} has no field {', '.join(unknown)}.")
        extras: list[Any] = []
        extra_columns: list[str] = []
        # Encrypted columns get the token of the value the simulator gave (a JSON field's
        # value comes as JSON text), search-hash columns the hash of their source's value.
        self.sealed: list[tuple[int, str]] = []
        for position, name in enumerate(fields):
            field = concrete[name]
            if isinstance(field, EncryptedTextField | EncryptedJSONField):
                self.sealed.append((position, field.context))
        self.hashed: list[tuple[int, BlindIndexField]] = []
        hash_columns: list[str] = []
        for name, field in concrete.items():
            if isinstance(field, BlindIndexField) and name not in fields:
                if field.source not in fields:
                    raise BenchDataError(
                        f"{model.__name__}.{name} hashes {field.source}, "
                        "which bench/simulate.py does not fill."
                    )
                self.hashed.append((fields.index(field.source), field))
                hash_columns.append(field.column)
        for name, field in concrete.items():
            if name in fields or isinstance(field, BlindIndexField):
                continue
            if field.primary_key and isinstance(field, models.AutoField | models.BigAutoField):
                continue  # numbered by the database
            if field.has_default():
                if callable(field.default) and field.unique:
                    raise BenchDataError(
                        f"{model.__name__}.{name} is unique with a generated default: "
                        "bench/simulate.py must fill it."
                    )
                value = field.get_default()
                if isinstance(field, JSONField):
                    value = json.dumps(value)
                elif isinstance(field, EncryptedTextField | EncryptedJSONField):
                    value = field.get_prep_value(value)
                elif isinstance(value, bool):
                    value = int(value) if connection.vendor == "sqlite" else value
            elif field.null:
                value = None
            elif isinstance(field, models.CharField | models.TextField) and field.blank:
                value = ""
            else:
                raise BenchDataError(
                    f"{model.__name__}.{name} is required and has no default: "
                    "bench/simulate.py must fill it."
                )
            extras.append(value)
            extra_columns.append(field.column)
        self.extras = tuple(extras)
        self.columns = [concrete[name].column for name in fields] + hash_columns + extra_columns
        quote = connection.ops.quote_name
        self.name = model._meta.db_table
        column_list = ", ".join(quote(column) for column in self.columns)
        if connection.vendor == "postgresql":
            self.sql = f"COPY {quote(self.name)} ({column_list}) FROM STDIN"
        else:
            marks = ", ".join("?" for _ in self.columns)
            self.sql = f"INSERT INTO {quote(self.name)} ({column_list}) VALUES ({marks})"  # noqa: S608 - names from the models

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        """Insert the rows; call inside transaction.atomic. Returns how many."""
        if not rows:
            return 0
        extras = self.extras
        if self.sealed or self.hashed:
            rows = [self.seal(row) for row in rows]
        full: Iterable[tuple[Any, ...]] = (row + extras for row in rows) if extras else rows
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None  # noqa: S101 - ensured above
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(self.sql) as copy:
                for row in full:
                    copy.write_row(row)
        else:
            cursor = raw.cursor()
            try:
                cursor.executemany(self.sql, full)
            finally:
                cursor.close()
        return len(rows)

    def seal(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The row with its encrypted columns as tokens and its search hashes appended."""
        values = list(row)
        for position, context in self.sealed:
            value = values[position]
            if value:
                values[position] = encrypt_text(value, context=context)
        hashes = [field.hash_of(row[position]) for position, field in self.hashed]
        return (*values, *hashes)


def execute(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.description is None:
            return []
        return list(cursor.fetchall())


def count(model: type[models.Model]) -> int:
    rows = execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - names from the models
    return int(rows[0][0])


def database_size() -> int:
    """Bytes on disk: the SQLite file (with its WAL) or pg_database_size."""
    if connection.vendor == "postgresql":
        return int(execute("SELECT pg_database_size(current_database())")[0][0])
    name = str(connection.settings_dict["NAME"])
    return sum(os.path.getsize(path) for path in (name, f"{name}-wal") if os.path.exists(path))


def tune_for_load() -> None:
    """Per-connection settings for the load (nothing that outlives the connection)."""
    if connection.in_atomic_block:
        return  # inside a test's transaction: nothing to gain
    if connection.vendor == "sqlite":
        # A larger page cache keeps the indexes' hot pages in memory while rows go in.
        execute("PRAGMA cache_size = -262144")
    elif connection.vendor == "postgresql":
        execute("SET synchronous_commit = off")


def finish_load(models_with_ids: Sequence[type[models.Model]]) -> None:
    """After explicit primary keys: move the sequences past them; update planner statistics."""
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        for statement in connection.ops.sequence_reset_sql(no_style(), list(models_with_ids)):
            execute(statement)
        execute("ANALYZE")
    elif connection.vendor == "sqlite":
        execute("ANALYZE")
        if not connection.in_atomic_block:
            execute("PRAGMA wal_checkpoint(TRUNCATE)")


def analyze() -> None:
    """Planner statistics of every table, and on PostgreSQL the visibility map (index-only
    scans), as autovacuum or the daily task on SQLite keep them in a running installation."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        execute("VACUUM ANALYZE")
    else:
        execute("ANALYZE")


RECORD_TABLE = "bench_dataset"


def recorded() -> dict[str, Any] | None:
    """The parameters and summary of the data set in this database, if the generator made one."""
    execute(
        f"CREATE TABLE IF NOT EXISTS {RECORD_TABLE} "
        "(id INTEGER PRIMARY KEY, params TEXT NOT NULL, summary TEXT NOT NULL)"
    )
    rows = execute(f"SELECT params, summary FROM {RECORD_TABLE} WHERE id = 1")  # noqa: S608 - names from the models
    if not rows:
        return None
    return {"params": json.loads(rows[0][0]), "summary": json.loads(rows[0][1])}


def record(params: dict[str, Any], summary: dict[str, Any]) -> None:
    execute(f"DELETE FROM {RECORD_TABLE}")  # noqa: S608 - names from the models
    execute(
        f"INSERT INTO {RECORD_TABLE} (id, params, summary) VALUES (1, %s, %s)",  # noqa: S608 - names from the models
        [json.dumps(params, sort_keys=True), json.dumps(summary)],
    )


def forget() -> None:
    execute(f"CREATE TABLE IF NOT EXISTS {RECORD_TABLE} "
            "(id INTEGER PRIMARY KEY, params TEXT NOT NULL, summary TEXT NOT NULL)")  # fmt: skip
    execute(f"DELETE FROM {RECORD_TABLE}")  # noqa: S608 - names from the models


def delete_all(tables: Sequence[type[models.Model]]) -> None:
    """DELETE every row of the tables, in the order given (children first)."""
    quote = connection.ops.quote_name
    for model in tables:
        execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 - names from the models
