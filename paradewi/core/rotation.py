"""Bringing the encrypted database columns under the current key, while the site keeps running.

``manage.py rotate_keys`` (after a new key was put first in ``ENCRYPTION_KEYS``) reads every
model's encrypted columns in batches by primary key, each batch in its own short transaction.
A value under an older key is decrypted and encrypted again under the current one; a plain
value from before encryption is encrypted. Each row is written with a compare-and-swap
(``UPDATE ... WHERE pk = %s AND column = <the value read>``): a row the application changed
in between is left as the application wrote it (and counted), never overwritten with the
older value. With ``reindex`` the search hashes are computed again (after ``SEARCH_INDEX_KEY``
changed), in the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from paradewi.core.crypto import decrypt_text, encrypt_text, is_token, keyring, token_key_id
from paradewi.core.fields import (
    EncryptedJSONField,
    EncryptedTextField,
    blind_index_fields,
    encrypted_fields,
)

BATCH = 500
PLAIN = "(plain)"

# Search tables that apps derive from encrypted columns with SEARCH_INDEX_KEY (rows, not
# columns: the name words of requests.name_index). `rotate_keys --reindex` rebuilds each; an
# app registers its rebuild (keyword `batch`, returns the rows it went through) in ready().
_derived_indexes: dict[str, Callable[..., int]] = {}


def register_derived_index(name: str, rebuild: Callable[..., int]) -> None:
    _derived_indexes[name] = rebuild


def rebuild_derived_indexes(*, batch: int = BATCH) -> dict[str, int]:
    """Rebuild every registered search table; {name: rows gone through}."""
    return {name: rebuild(batch=batch) for name, rebuild in sorted(_derived_indexes.items())}


Encrypted = EncryptedTextField | EncryptedJSONField


@dataclass
class Outcome:
    """What a pass did: values re-encrypted, hashes recomputed, rows skipped as changed."""

    reencrypted: int = 0
    reindexed: int = 0
    changed_meanwhile: int = 0
    # Dry run: "<context>": {key id or "(plain)": count}
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def models_with_encrypted_fields() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and (encrypted_fields(model) or blind_index_fields(model))
    ]


def _rows(
    model: type[models.Model], columns: list[str], after: Any, size: int
) -> list[tuple[Any, ...]]:
    quote = connection.ops.quote_name
    pk = quote(model._meta.pk.column)
    names = ", ".join(quote(column) for column in columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # Names from the models; the values are parameters.
            f"SELECT {pk}, {names} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s",  # noqa: S608
            [after, size],
        )
        return [tuple(row) for row in cursor.fetchall()]


def _compare_and_swap(
    model: type[models.Model],
    pk: Any,
    expected: dict[str, Any],
    new: dict[str, Any],
) -> bool:
    """Write `new` into the row only if its columns still hold `expected`."""
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in new)
    conditions = " AND ".join(f"{quote(column)} = %s" for column in expected)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s AND {conditions}",
            [*new.values(), pk, *expected.values()],
        )
        return bool(cursor.rowcount == 1)


def _plain_text(value: str, column: Encrypted | None) -> str:
    """The plain text of a stored value (a token, or a value from before encryption)."""
    if column is not None and is_token(value):
        return decrypt_text(value, context=column.context)
    return value


def rotate_model(
    model: type[models.Model],
    *,
    reindex: bool = False,
    dry_run: bool = False,
    batch: int = BATCH,
    outcome: Outcome | None = None,
) -> Outcome:
    """One model's encrypted columns under the current key (and its hashes, with `reindex`).

    In a dry run nothing is written; the outcome tells what would be.
    """
    outcome = Outcome() if outcome is None else outcome
    current = keyring().current_id
    sealed = encrypted_fields(model)
    hashes = blind_index_fields(model)
    by_attname: dict[str, Encrypted] = {column.attname: column for column in sealed}
    read: list[models.Field[Any, Any]] = [*sealed]
    sources: dict[str, models.Field[Any, Any]] = {}
    for index in hashes:
        source = model._meta.get_field(index.source)
        assert isinstance(source, models.Field)  # noqa: S101 - an index hashes a column
        sources[index.attname] = source
        if source not in read:
            read.append(source)
        read.append(index)
    for column in sealed:
        outcome.counts.setdefault(column.context, Counter())
    after: Any = 0
    while True:
        # One short transaction per batch: the site's own writes wait at most for one batch.
        with transaction.atomic():
            rows = _rows(model, [column.column for column in read], after, batch)
            if not rows:
                break
            after = rows[-1][0]
            for pk, *values in rows:
                stored = {column.attname: value for column, value in zip(read, values, strict=True)}
                expected: dict[str, Any] = {}
                new: dict[str, Any] = {}
                for column in sealed:
                    value = stored[column.attname]
                    if not isinstance(value, str) or not value:
                        continue
                    key_id = token_key_id(value) if is_token(value) else PLAIN
                    outcome.counts[column.context][key_id] += 1
                    if key_id != current:
                        expected[column.column] = value
                        new[column.column] = encrypt_text(
                            _plain_text(value, column), context=column.context
                        )
                encrypted = len(new)
                # A value written before encryption may have no hash yet: check it when rewritten.
                for index in hashes if reindex or new else ():
                    source = sources[index.attname]
                    raw = stored[source.attname]
                    if raw is None:
                        continue
                    digest = index.hash_of(_plain_text(str(raw), by_attname.get(source.attname)))
                    if digest != stored[index.attname]:
                        expected[source.column] = raw
                        expected[index.column] = stored[index.attname]
                        new[index.column] = digest
                if not new:
                    continue
                if dry_run or _compare_and_swap(model, pk, expected, new):
                    outcome.reencrypted += encrypted
                    outcome.reindexed += len(new) - encrypted
                else:
                    outcome.changed_meanwhile += 1
    return outcome


def rotate_all(*, reindex: bool = False, dry_run: bool = False, batch: int = BATCH) -> Outcome:
    """Every model's encrypted columns (see `rotate_model`)."""
    outcome = Outcome()
    for model in models_with_encrypted_fields():
        rotate_model(model, reindex=reindex, dry_run=dry_run, batch=batch, outcome=outcome)
    return outcome
