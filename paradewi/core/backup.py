"""Backup and restore: one tar archive with every row of the database and every stored file.

The archive (plain tar, or gzip) holds, in this order:

- ``data/<app>.<Model>.jsonl``: one member per model, one JSON object per line, made by
  Django's Python serializer. Values are what the fields serialize: encrypted fields give
  their stored token (``value_to_string``), never the plaintext; datetimes keep their
  microseconds (the history chain hashes them). References to content types and
  permissions are written as natural keys, because a freshly migrated database numbers them
  in its own order; every other reference keeps its primary key.
- ``files/<storage name>``: every file the rows reference, copied raw (as stored, so
  encrypted), under its storage name. Previews are left out: they are drawn again on demand.
- ``files.jsonl``: one line per referenced file, in the archive's order: its name, row,
  SHA-256 and size, or ``"missing": true`` for a file gone from the storage when it was
  copied (the retention task may delete files of rows read a moment before).
- ``manifest.json`` (last, since it holds the checksums): format and version, when and from
  which database vendor it was made, the applied migrations, the rows per model, the
  excluded models and the SHA-256 of every data member and of ``files.jsonl``, which in turn
  holds each file's SHA-256.

Consistency: every row is read in ONE read transaction (PostgreSQL: REPEATABLE READ, READ
ONLY; SQLite: a deferred transaction, whose first read fixes a snapshot in WAL mode), and the
files copied are exactly those the rows of that snapshot reference. Stored files are never
overwritten (every name is new), so a file read later is still the one the row means.

Memory does not grow with the database: rows are read in chunks and written to a temporary
file per member, files are streamed into the archive, and the restore compares the file
index with the archive in one pass in the same order.

Not in the archive: the keys (ENCRYPTION_KEYS, SEARCH_INDEX_KEY, HISTORY_CHAIN_KEY or
SECRET_KEY; the restore target needs the same ones), the cache table, and the models in
`EXCLUDED` (transient state, or rows that `migrate` creates).

Restore (`restore`): checks every member against the manifest before touching anything,
checks the migrations, loads every row in one transaction (the database checks foreign keys
at commit, so the order of the members does not matter to it), stores the files raw under
their names, resets the PostgreSQL sequences, commits, and then verifies: rows per model,
every file readable with the SHA-256 its row records, and the history chain.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any
from uuid import UUID

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.core.serializers.base import deserialize_fk_value
from django.db import DEFAULT_DB_ALIAS, connections, models, reset_queries, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

from paradewi.core.crypto import DecryptionError
from paradewi.core.storage import open_raw, save_raw

FORMAT = "paradewi-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILE_INDEX = "files.jsonl"
DATA_PREFIX = "data/"
FILES_PREFIX = "files/"

CHUNK = 1000
# Parameters of one INSERT statement at most (PostgreSQL's protocol allows 65,535).
MAX_PARAMETERS = 65_535
# Missing files named one by one in warnings (the rest are counted).
MAX_LISTED = 20
# The manifest and one line of a data member are read whole; anything larger is not ours.
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
READ_BYTES = 1024 * 1024

# Models whose rows are not backed up, and why (the restore leaves these tables alone).
EXCLUDED: dict[str, str] = {
    "contenttypes.contenttype": "made by migrate; rows refer to them by natural key",
    "auth.permission": "made by migrate; rows refer to them by natural key",
    "sessions.session": "transient: everyone signs in again after a restore",
    "django_tasks_database.dbtaskresult": (
        "task queue: the periodic tick enqueues outstanding work again (outbox, reports)"
    ),
    "axes.accessattempt": "transient lock-out counters of failed logins",
    "axes.accessattemptexpiration": "transient lock-out counters of failed logins",
}
# A row whose file was deleted on purpose (retention) says so in this field; its file is not
# expected in the storage.
PURGED_FIELD = "purged_at"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why (and names the member)."""


# What the apps add to a restore, registered from their AppConfig.ready(): whether the target
# database already holds data a restore would overwrite, and checks of the restored data
# beyond row counts and files (the history chain). `core` sits below every domain app and
# so cannot ask them itself.
_occupied_checks: list[Callable[[str], bool]] = []
_restored_checks: list[Callable[[RestoreReport], None]] = []


# What the apps say about the data a backup holds, under their name in the manifest (the
# training app: whether practice data is included, and how much).
_manifest_notes: dict[str, Callable[[str], dict[str, Any]]] = {}


def register_manifest_note(name: str, note: Callable[[str], dict[str, Any]]) -> None:
    """`note(using)` is written into every backup's manifest under `notes.<name>`."""
    _manifest_notes[name] = note


def manifest_notes(using: str = DEFAULT_DB_ALIAS) -> dict[str, dict[str, Any]]:
    return {name: note(using) for name, note in sorted(_manifest_notes.items())}


def register_restore_checks(
    *,
    occupied: Callable[[str], bool] | None = None,
    restored: Callable[[RestoreReport], None] | None = None,
) -> None:
    """`occupied(using)` is true when that database holds data a restore must not silently
    replace; `restored(report)` adds failures to the report of a finished restore."""
    if occupied is not None and occupied not in _occupied_checks:
        _occupied_checks.append(occupied)
    if restored is not None and restored not in _restored_checks:
        _restored_checks.append(restored)


# What is backed up -----------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model with a table, minus `EXCLUDED`, parents before children."""
    chosen = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and model._meta.label_lower not in EXCLUDED
    ]
    return _dependency_order(chosen)


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Referenced models first where possible (cycles and self-references are fine: foreign
    keys are checked at commit)."""
    remaining = sorted(chosen, key=lambda model: model._meta.label)
    included = set(remaining)
    ordered: list[type[models.Model]] = []
    done: set[type[models.Model]] = set()
    while remaining:
        for model in remaining:
            needs = {
                related
                for related in _references(model)
                if related in included and related is not model
            }
            if needs <= done:
                break
        else:
            model = remaining[0]  # a cycle: take the first, the database checks at commit
        ordered.append(model)
        done.add(model)
        remaining.remove(model)
    return ordered


def _references(model: type[models.Model]) -> set[type[models.Model]]:
    found: set[type[models.Model]] = set()
    for model_field in model._meta.concrete_fields:
        related = model_field.related_model
        if model_field.is_relation and isinstance(related, type):
            found.add(related._meta.concrete_model or related)
    return found


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def member_for(model: type[models.Model]) -> str:
    return f"{DATA_PREFIX}{model._meta.label}.jsonl"


# Serializing rows ------------------------------------------------------------------------


class _Serializer(python_serializer.Serializer):
    """Django's Python serializer with natural keys only for content types and permissions
    (looked up from maps made once), and many-to-many links left to their own models (the
    auto-created through models are backed up like any other)."""

    def __init__(self, natural: dict[type[models.Model], dict[Any, list[str]]]) -> None:
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        keys = self.natural.get(field.related_model)
        if keys is None:
            super().handle_fk_field(obj, field)
            return
        value = getattr(obj, field.get_attname())
        self._current[field.name] = None if value is None else keys[value]  # type: ignore[attr-defined]

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        return None


def _natural_keys(using: str) -> dict[type[models.Model], dict[Any, list[str]]]:
    content_types = {
        pk: [app_label, model]
        for pk, app_label, model in ContentType.objects.using(using).values_list(
            "pk", "app_label", "model"
        )
    }
    permissions = {
        pk: [codename, *content_types[content_type_id]]
        for pk, codename, content_type_id in Permission.objects.using(using).values_list(
            "pk", "codename", "content_type_id"
        )
    }
    return {ContentType: content_types, Permission: permissions}


def _json_default(value: Any) -> Any:
    # Full precision, unlike DjangoJSONEncoder (which cuts datetimes to milliseconds).
    if isinstance(value, datetime | date | time_of_day):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(f"Cannot write {type(value).__name__} to a backup.")


def _json_line(item: Any) -> bytes:
    text = json.dumps(item, default=_json_default, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode()


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """One read-only transaction whose reads all see the same moment of the database."""
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("A backup reads in a transaction of its own: run it outside one.")
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        # The project's SQLite connections BEGIN IMMEDIATE (a write lock); a backup only reads.
        previous = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic(using=using):
                yield
        finally:
            connection.transaction_mode = previous  # type: ignore[attr-defined]
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


class _Hashing:
    """A file-like reader that hashes and counts what passes through it."""

    def __init__(self, stream: IO[bytes] | File[Any]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int]
    files: int
    file_bytes: int
    missing: list[str]
    missing_count: int
    archive_bytes: int
    seconds: float
    # What the apps say about the data it holds (`register_manifest_note`).
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)


def _add_member(tar: tarfile.TarFile, name: str, source: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = source.stat().st_size
    info.mtime = int(time.time())
    info.mode = 0o600
    with source.open("rb") as stream:
        tar.addfile(info, stream)


def _write_rows(
    model: type[models.Model],
    target: Path,
    natural: dict[type[models.Model], dict[Any, list[str]]],
    using: str,
) -> tuple[int, str]:
    serializer = _Serializer(natural)
    digest = hashlib.sha256()
    rows = 0

    def write(batch: list[models.Model], out: IO[bytes]) -> None:
        for item in serializer.serialize(batch):
            line = _json_line(item)
            out.write(line)
            digest.update(line)

    with target.open("wb") as out:
        batch: list[models.Model] = []
        for obj in model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK):
            batch.append(obj)
            if len(batch) >= CHUNK:
                write(batch, out)
                rows += len(batch)
                batch = []
        write(batch, out)
        rows += len(batch)
    return rows, digest.hexdigest()


@dataclass(frozen=True)
class FileRef:
    model: str
    pk: Any
    field: str
    name: str


def referenced_files(
    backed_up: Iterable[type[models.Model]], using: str = DEFAULT_DB_ALIAS
) -> Iterator[FileRef]:
    """Every stored file the rows reference (not those deleted on purpose), in a fixed order."""
    for model in backed_up:
        fields = file_fields(model)
        if not fields:
            continue
        rows = model._base_manager.using(using).order_by("pk")
        if any(f.name == PURGED_FIELD for f in model._meta.concrete_fields):
            rows = rows.filter(**{f"{PURGED_FIELD}__isnull": True})
        names = rows.values_list("pk", *[f.attname for f in fields])
        for pk, *values in names.iterator(chunk_size=CHUNK):
            for model_field, value in zip(fields, values, strict=True):
                if value:
                    yield FileRef(model._meta.label, pk, model_field.name, str(value))


def _applied_migrations(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def backup(
    path: Path,
    *,
    compress: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> BackupSummary:
    """Write the archive to `path` (through `path.partial`, renamed when complete)."""
    started = time.monotonic()
    storage = storage or default_storage
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    chosen = backed_up_models()
    rows: dict[str, int] = {}
    members: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    missing_count = files = file_bytes = 0
    mode = "w:gz" if compress else "w"
    try:
        with (
            tempfile.TemporaryDirectory(prefix="paradewi-backup-", dir=path.parent) as work,
            tarfile.open(partial, mode, format=tarfile.PAX_FORMAT) as tar,  # type: ignore[call-overload]
            read_snapshot(using),
        ):
            natural = _natural_keys(using)
            notes = manifest_notes(using)
            migrations = _applied_migrations(using)
            vendor = connections[using].vendor
            for model in chosen:
                member = member_for(model)
                scratch = Path(work) / "member.jsonl"
                count, sha256 = _write_rows(model, scratch, natural, using)
                _add_member(tar, member, scratch)
                members[member] = {"sha256": sha256, "size": scratch.stat().st_size}
                rows[model._meta.label] = count
                scratch.unlink()
            index = Path(work) / FILE_INDEX
            index_digest = hashlib.sha256()
            with index.open("wb") as index_out:
                for ref in referenced_files(chosen, using):
                    entry: dict[str, Any] = {
                        "name": ref.name,
                        "model": ref.model,
                        "pk": ref.pk,
                        "field": ref.field,
                    }
                    stored = _copy_file(tar, storage, ref.name)
                    if stored is None:
                        entry["missing"] = True
                        missing_count += 1
                        if len(missing) < MAX_LISTED:
                            missing.append(ref.name)
                            warn(
                                f"File {ref.name} of {ref.model} {ref.pk} is not in the "
                                "storage (deleted since the row was read, or lost); recorded "
                                "as missing."
                            )
                    else:
                        entry["sha256"], entry["size"] = stored
                        files += 1
                        file_bytes += stored[1]
                    line = _json_line(entry)
                    index_out.write(line)
                    index_digest.update(line)
            _add_member(tar, FILE_INDEX, index)
            members[FILE_INDEX] = {"sha256": index_digest.hexdigest(), "size": index.stat().st_size}
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "database": {"vendor": vendor},
                "migrations": migrations,
                "models": [
                    {"model": m._meta.label, "member": member_for(m), "rows": rows[m._meta.label]}
                    for m in chosen
                ],
                "excluded": EXCLUDED,
                "notes": notes,
                "files": {"count": files, "bytes": file_bytes, "missing": missing_count},
                "members": members,
            }
            manifest_path = Path(work) / MANIFEST
            manifest_path.write_bytes(json.dumps(manifest, indent=1, sort_keys=True).encode())
            _add_member(tar, MANIFEST, manifest_path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, path)
    return BackupSummary(
        path=path,
        notes=notes,
        rows=rows,
        files=files,
        file_bytes=file_bytes,
        missing=missing,
        missing_count=missing_count,
        archive_bytes=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def _copy_file(tar: tarfile.TarFile, storage: Storage, name: str) -> tuple[str, int] | None:
    """Copy one stored file raw into the archive; its (sha256, size), or None if it is gone.

    Any other storage error (an unreachable object store) stops the backup."""
    if not storage.exists(name):
        return None
    try:
        raw = open_raw(storage, name)
    except FileNotFoundError:
        return None
    with raw:
        try:
            size = raw.size
        except (FileNotFoundError, OSError):
            return None
        info = tarfile.TarInfo(FILES_PREFIX + name)
        info.size = size
        info.mtime = int(time.time())
        info.mode = 0o600
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return reader.digest.hexdigest(), reader.size


# Restore ---------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    file_bytes: int = 0
    checked_files: int = 0
    chain_rows: int | None = None
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class _Checked:
    manifest: dict[str, Any]
    index: Path


def _hash_stream(stream: IO[bytes], sink: IO[bytes] | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(READ_BYTES):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and "\x00" not in name
    )


def verify_archive(path: Path, work: Path) -> _Checked:
    """Check every member against the manifest, reading the archive once; touch nothing else.

    Keeps the file index in `work` (it is compared in order with the files seen)."""
    data_seen: dict[str, tuple[str, int]] = {}
    manifest_bytes: bytes | None = None
    index_path = work / FILE_INDEX
    seen_path = work / "files-seen.tsv"
    index_seen: tuple[str, int] | None = None
    try:
        with tarfile.open(path, "r|*") as tar, seen_path.open("w") as seen:
            for info in tar:
                name = info.name
                if not info.isreg():
                    raise BackupError(f"Member {name} is not a regular file.")
                stream = tar.extractfile(info)
                if stream is None:
                    raise BackupError(f"Member {name} cannot be read.")
                if name == MANIFEST:
                    if info.size > MAX_MANIFEST_BYTES:
                        raise BackupError(f"Member {name} is too large for a manifest.")
                    manifest_bytes = stream.read()
                elif name == FILE_INDEX:
                    with index_path.open("wb") as sink:
                        index_seen = _hash_stream(stream, sink)
                elif name.startswith(DATA_PREFIX):
                    data_seen[name] = _hash_stream(stream)
                elif name.startswith(FILES_PREFIX) and _safe_name(name[len(FILES_PREFIX) :]):
                    sha256, size = _hash_stream(stream)
                    seen.write(f"{sha256}\t{size}\t{name[len(FILES_PREFIX) :]}\n")
                else:
                    raise BackupError(f"Member {name} does not belong in a backup.")
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"{path} is not a readable backup archive: {error}") from None
    if manifest_bytes is None:
        raise BackupError(f"{path} has no {MANIFEST}: not a backup, or cut short.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError(f"Member {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"Member {MANIFEST} does not describe a paradewi backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('version')}; "
            f"this code reads version {VERSION}."
        )
    expected: dict[str, Any] = manifest["members"]
    seen_members = {**data_seen, **({FILE_INDEX: index_seen} if index_seen else {})}
    for name in sorted(set(expected) | set(seen_members)):
        if name not in seen_members:
            raise BackupError(f"Member {name} is listed in the manifest but missing.")
        if name not in expected:
            raise BackupError(f"Member {name} is not listed in the manifest.")
        if seen_members[name] != (expected[name]["sha256"], expected[name]["size"]):
            raise BackupError(f"Member {name} does not match its checksum in the manifest.")
    listed = {item["member"] for item in manifest["models"]}
    if listed != set(data_seen):
        raise BackupError("The manifest's models and the data members differ.")
    _compare_files(index_path, seen_path, manifest)
    return _Checked(manifest=manifest, index=index_path)


def _index_entries(index: Path) -> Iterator[dict[str, Any]]:
    with index.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                name = entry["name"]
            except (ValueError, KeyError, TypeError):
                raise BackupError(f"Member {FILE_INDEX}: line {number} is malformed.") from None
            if not isinstance(name, str) or not _safe_name(name):
                raise BackupError(f"Member {FILE_INDEX}: line {number} names no safe file.")
            yield entry


def _compare_files(index: Path, seen: Path, manifest: dict[str, Any]) -> None:
    stored = (entry for entry in _index_entries(index) if not entry.get("missing"))
    count = 0
    with seen.open() as seen_lines:
        for line in seen_lines:
            sha256, size, name = line.rstrip("\n").split("\t", 2)
            entry = next(stored, None)
            member = FILES_PREFIX + name
            if entry is None or entry["name"] != name:
                raise BackupError(f"Member {member} is not listed in {FILE_INDEX} at its place.")
            if (entry["sha256"], entry["size"]) != (sha256, int(size)):
                raise BackupError(f"Member {member} does not match its checksum.")
            count += 1
    left = next(stored, None)
    if left is not None:
        raise BackupError(f"Member {FILES_PREFIX}{left['name']} is listed but missing.")
    if count != manifest["files"]["count"]:
        raise BackupError(f"The manifest counts {manifest['files']['count']} files, not {count}.")


def check_migrations(manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """The backup's migrations are known to this code and exactly those applied to the target."""
    backed = {tuple(item) for item in manifest["migrations"]}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(backed - known)
    if unknown:
        names = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        raise BackupError(
            f"The backup was made with migrations this code does not have ({names}): "
            "restore it with the version of paradewi that made it."
        )
    applied = {tuple(item) for item in _applied_migrations(using)}
    if not applied:
        raise BackupError("The target database has no tables: run `manage.py migrate` first.")
    not_applied = sorted(backed - applied)
    if not_applied:
        names = ", ".join(f"{app}.{name}" for app, name in not_applied[:5])
        raise BackupError(
            f"The target database lacks migrations of the backup ({names}): "
            "run `manage.py migrate` first."
        )
    newer = sorted(applied - backed)
    if newer:
        names = ", ".join(f"{app}.{name}" for app, name in newer[:5])
        raise BackupError(
            f"The target database has migrations the backup was not made with ({names}): "
            "restore with the version of paradewi that made the backup, then upgrade."
        )


def holds_requests(using: str = DEFAULT_DB_ALIAS) -> bool:
    return any(occupied(using) for occupied in _occupied_checks)


def restore(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    replace: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> RestoreReport:
    """Restore the archive into this database and storage, then verify the result.

    Refuses (BackupError, nothing changed) when a member does not match the manifest, the
    migrations differ, or the database already holds requests and `replace` is not set.
    With `replace`, the rows of every backed-up table are deleted first (files stay)."""
    started = time.monotonic()
    storage = storage or default_storage
    path = Path(path)
    report = RestoreReport()
    with tempfile.TemporaryDirectory(prefix="paradewi-restore-") as work_dir:
        work = Path(work_dir)
        checked = verify_archive(path, work)
        manifest = checked.manifest
        progress(f"Archive checked: {len(manifest['members'])} members match the manifest.")
        check_migrations(manifest, using)
        if holds_requests(using) and not replace:
            raise BackupError(
                "The target database already holds requests: restore into a freshly migrated "
                "database, or pass --replace to delete its data first."
            )
        chosen = _models_of(manifest)
        with transaction.atomic(using=using):
            _empty_tables(chosen, using)
            _load(path, manifest, checked.index, chosen, storage, using, report, progress)
            _reset_sequences(chosen, using)
        progress("Loaded; verifying.")
        verify_restored(manifest, checked.index, chosen, using, report)
    report.seconds = time.monotonic() - started
    return report


def _models_of(manifest: dict[str, Any]) -> dict[str, type[models.Model]]:
    chosen: dict[str, type[models.Model]] = {}
    for item in manifest["models"]:
        try:
            model = apps.get_model(item["model"])
        except LookupError:
            raise BackupError(
                f"The backup holds rows of an unknown model, {item['model']}."
            ) from None
        if item["member"] != member_for(model):
            raise BackupError(f"Member {item['member']} does not fit model {item['model']}.")
        chosen[item["member"]] = model
    return chosen


def _empty_tables(chosen: dict[str, type[models.Model]], using: str) -> None:
    """Rows migrate seeded (templates, the history head) or an earlier restore left behind;
    foreign keys are checked at commit, so the order does not matter."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in reversed(list(chosen.values())):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def _load(
    path: Path,
    manifest: dict[str, Any],
    index: Path,
    chosen: dict[str, type[models.Model]],
    storage: Storage,
    using: str,
    report: RestoreReport,
    progress: Callable[[str], None],
) -> None:
    expected = manifest["members"]
    stored = (entry for entry in _index_entries(index) if not entry.get("missing"))
    with tarfile.open(path, "r|*") as tar:
        for info in tar:
            stream = tar.extractfile(info)
            if stream is None:
                raise BackupError(f"Member {info.name} cannot be read.")
            if info.name in chosen:
                model = chosen[info.name]
                rows, sha256 = _insert_rows(model, info.name, stream, using)
                if sha256 != expected[info.name]["sha256"]:
                    raise BackupError(f"Member {info.name} changed while it was restored.")
                report.rows[model._meta.label] = rows
                progress(f"{model._meta.label}: {rows} rows")
            elif info.name.startswith(FILES_PREFIX):
                entry = next(stored)
                _store_file(storage, entry, info.name, stream)
                report.files += 1
                report.file_bytes += entry["size"]


class _RowWriter:
    """Turns a serialized row into the values of one INSERT, field by field: the field's own
    `to_python` (an encrypted field accepts its token), natural keys of content types and
    permissions looked up as Django's deserializer does, then `get_db_prep_save` for this
    database. Raw: no auto_now, no defaults, no file saving, no model instances."""

    def __init__(self, model: type[models.Model], member: str, using: str) -> None:
        self.model = model
        self.member = member
        self.using = using
        self.connection = connections[using]
        # Generated columns are the database's to compute: their serialized values are
        # accepted and left out of the INSERT.
        local = list(model._meta.local_concrete_fields)
        self.fields = [f for f in local if not getattr(f, "generated", False)]
        self.names = {f.name for f in local if not f.primary_key}
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.insert = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608 (quoted names of our own models)
        self.row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        # Rows per statement, within the database's limit on query parameters.
        self.per_statement = max(
            1,
            min(
                self.connection.ops.bulk_batch_size(self.fields, [None] * CHUNK),
                MAX_PARAMETERS // len(self.fields),
            ),
        )

    def values(self, item: dict[str, Any], number: int) -> list[Any]:
        data = item.get("fields")
        if not isinstance(data, dict) or "pk" not in item:
            raise BackupError(f"Member {self.member}: line {number} is not a row.")
        unknown = set(data) - self.names
        if unknown:
            raise BackupError(
                f"Member {self.member}: line {number} has fields this code does not know "
                f"({', '.join(sorted(unknown))})."
            )
        row: list[Any] = []
        for model_field in self.fields:
            raw = item["pk"] if model_field.primary_key else data.get(model_field.name)
            try:
                if isinstance(model_field, models.ForeignKey):
                    value = deserialize_fk_value(model_field, raw, self.using, False)
                else:
                    value = model_field.to_python(raw)
                row.append(model_field.get_db_prep_save(value, connection=self.connection))
            except Exception as error:  # any conversion failure names the row and field
                hint = ""
                if isinstance(error, DecryptionError):
                    hint = " (the target needs the same ENCRYPTION_KEYS as the source)"
                raise BackupError(
                    f"Member {self.member}: row {item['pk']}, field {model_field.name}: "
                    f"{error!r}{hint}"
                ) from error
        return row

    def write(self, rows: list[list[Any]]) -> None:
        """Insert the rows with multi-row INSERT statements."""
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), self.per_statement):
                part = rows[start : start + self.per_statement]
                cursor.execute(
                    self.insert + ", ".join([self.row] * len(part)),
                    [value for row in part for value in row],
                )


def _insert_rows(
    model: type[models.Model], member: str, stream: IO[bytes], using: str
) -> tuple[int, str]:
    """Insert the member's rows as they are, in batches; (rows, sha256 of the member)."""
    digest = hashlib.sha256()
    label = model._meta.label_lower
    writer = _RowWriter(model, member, using)
    rows = 0
    batch: list[list[Any]] = []
    for number, line in enumerate(stream, start=1):
        digest.update(line)
        try:
            item = json.loads(line)
        except ValueError:
            raise BackupError(f"Member {member}: line {number} is not JSON.") from None
        if not isinstance(item, dict) or item.get("model") != label:
            raise BackupError(f"Member {member}: line {number} is not a row of {label}.")
        batch.append(writer.values(item, number))
        rows += 1
        if len(batch) >= CHUNK:
            writer.write(batch)
            batch = []
            reset_queries()  # with DEBUG on, Django would keep every statement
    writer.write(batch)
    return rows, digest.hexdigest()


def _store_file(storage: Storage, entry: dict[str, Any], member: str, stream: IO[bytes]) -> None:
    name = entry["name"]
    if member != FILES_PREFIX + name:
        raise BackupError(f"Member {member} is not the file the index names here ({name}).")
    content = stream.read()  # one file: bounded by the upload and output size limits
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise BackupError(f"Member {member} changed while it was restored.")
    if storage.exists(name):
        with open_raw(storage, name) as existing:
            if hashlib.sha256(existing.read()).hexdigest() == entry["sha256"]:
                return  # the same file, from an earlier attempt
        raise BackupError(f"The storage already holds a different file named {name}.")
    try:
        save_raw(storage, name, ContentFile(content, name=name))
    except FileExistsError:
        raise BackupError(f"The storage already holds a file named {name}.") from None


def _reset_sequences(chosen: dict[str, type[models.Model]], using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(chosen.values()))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def verify_restored(
    manifest: dict[str, Any],
    index: Path,
    chosen: dict[str, type[models.Model]],
    using: str,
    report: RestoreReport,
) -> None:
    """Rows per model as in the manifest; every referenced file readable, with the SHA-256
    its row records (after decryption); the history chain intact. Adds to `report`."""
    for item in manifest["models"]:
        model = chosen[item["member"]]
        count = model._base_manager.using(using).count()
        if count != item["rows"]:
            report.failures.append(
                f"{item['model']}: {count} rows after the restore, {item['rows']} in the backup."
            )
    missing = {entry["name"] for entry in _index_entries(index) if entry.get("missing")}
    for name in sorted(missing)[:MAX_LISTED]:
        report.warnings.append(f"File {name} was missing when the backup was made.")
    if len(missing) > MAX_LISTED:
        report.warnings.append(
            f"... and {len(missing) - MAX_LISTED} more files missing in the backup."
        )
    for model in chosen.values():
        _verify_files(model, missing, using, report)
    for restored in _restored_checks:
        restored(report)


def _verify_files(
    model: type[models.Model], missing: set[str], using: str, report: RestoreReport
) -> None:
    fields = file_fields(model)
    if not fields:
        return
    concrete = {f.name for f in model._meta.concrete_fields}
    rows = model._base_manager.using(using).order_by("pk")
    if PURGED_FIELD in concrete:
        rows = rows.filter(**{f"{PURGED_FIELD}__isnull": True})
    for obj in rows.iterator(chunk_size=CHUNK):
        for model_field in fields:
            stored = getattr(obj, model_field.attname)
            if not stored or stored.name in missing:
                continue
            report.checked_files += 1
            try:
                with stored.open("rb") as content:
                    sha256, _size = _hash_stream(content)
            except Exception as error:  # any failure to read is reported
                report.failures.append(
                    f"{model._meta.label} {obj.pk}: file {stored.name} unreadable ({error})."
                )
                continue
            if "sha256" in concrete and sha256 != obj.sha256:  # type: ignore[attr-defined]
                report.failures.append(
                    f"{model._meta.label} {obj.pk}: file {stored.name} does not match the "
                    "SHA-256 its row records."
                )
