"""Backup and restore (core/backup.py): the round trip into a new database of the other vendor,
and what a restore refuses.

The round trip restores in a subprocess (`manage.py migrate`, `manage.py restore`), as on a
fresh machine: from the SQLite run into a scratch PostgreSQL database on 127.0.0.1, from the
PostgreSQL run into a SQLite file (into SQLite as well when no PostgreSQL server answers).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings, settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from paradewi.accounts.models import AppDevice, RecoveryDevice, User
from paradewi.core.backup import FILE_INDEX, MANIFEST, BackupError, backup, restore
from paradewi.core.storage import MAGIC
from paradewi.documents.models import OutputFile
from paradewi.notifications.models import Notification
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Transition, Upload
from paradewi.requests.tests.conftest import S3, s3, s3_server  # noqa: F401 (fixtures)
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    jpeg_file,
    make_draft,
    make_submitted,
    upload_all,
)
from paradewi.surveys.models import SurveyResponse
from paradewi.surveys.tests.factories import answer, handed_over
from paradewi.testing import Personas, totp_device

pytestmark = [pytest.mark.backup, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[3]
POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(autouse=True)
def _encrypted_storage(settings: LazySettings, tmp_path: Path) -> None:
    """Files are stored encrypted, as settings.py stores them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


def build_dataset(p: Personas) -> None:
    """Requests in every kind of state, through the real services, with what hangs on them."""
    finished = handed_over(p)
    answer(finished, 4, comment="Cepat")
    handed_over(
        p,
        officer="desa_b",
        subject_nik=NIK_WOMAN,
        subject_sex="P",
        subject_birth_date=date(1992, 8, 17),
    )
    draft = make_draft(p.desa_a, subject_kk=KK_NUMBER)
    upload_all(p.desa_a, draft)
    first = draft.uploads.order_by("pk").first()
    assert first is not None
    services.upload_add(  # replaces the first scan; the old row stays
        actor=p.desa_a, request=draft, requirement_code=first.requirement_code, file=jpeg_file()
    )
    make_submitted(p.desa_b)
    services.request_return(
        actor=p.kecamatan_a, request=make_submitted(p.desa_a), reason="Scan KK kabur"
    )
    verified = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    services.request_claim(actor=p.clerk, request=verified)
    verified = services.request_verify(actor=p.kecamatan_a, request=make_submitted(p.desa_a))
    claimed = services.request_claim(actor=p.clerk, request=verified)
    services.request_reject(actor=p.clerk, request=claimed, reason="Bukan warga kabupaten")
    # Two-factor devices, a group with a permission, a direct permission, an admin log entry:
    # the last three refer to content types and permissions, which a new database numbers anew.
    totp_device(p.clerk)
    recovery = RecoveryDevice.objects.create(user=p.head, name="recovery", confirmed=True)
    recovery.codes.create(code="k3p9x2m7")
    group = Group.objects.create(name="auditors")
    group.permissions.add(Permission.objects.get(codename="view_servicerequest"))
    p.viewer.groups.add(group)
    p.admin.user_permissions.add(Permission.objects.get(codename="change_user"))
    LogEntry.objects.create(
        user=p.admin,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(p.viewer.pk),
        object_repr="viewer",
        action_flag=ADDITION,
    )


def _sha256_of(field_file: Any) -> str:
    with field_file.open("rb") as content:
        return hashlib.sha256(content.read()).hexdigest()


def summary() -> dict[str, Any]:
    """What must survive a restore, read through the models (decrypted)."""
    return {
        "requests": [
            [
                r.pk,
                r.number,
                r.pin,
                r.status,
                r.subject_nik,
                r.subject_kk,
                r.subject_name,
                r.details,
                r.holder_id,
                r.status_changed_at.isoformat(),
            ]
            for r in ServiceRequest.objects.order_by("pk")
        ],
        "uploads": [
            [u.pk, u.request_id, u.file.name, u.sha256, _sha256_of(u.file), bool(u.replaced_at)]
            for u in Upload.objects.order_by("pk")
        ],
        "outputs": [
            [o.pk, o.file.name, o.sha256, _sha256_of(o.file), o.verification_code]
            for o in OutputFile.objects.order_by("pk")
        ],
        "history": [
            [t.pk, t.request_id, t.action, t.to_status, t.created_at.isoformat(), t.chain_hash]
            for t in Transition.objects.order_by("pk")
        ],
        "surveys": list(SurveyResponse.objects.order_by("pk").values_list("pk", "u1", "comment")),
        "notifications": Notification.objects.count(),
        "users": [
            [
                u.username,
                u.password,
                sorted(g.name for g in u.groups.all()),
                sorted(p.codename for p in u.user_permissions.all()),
            ]
            for u in User.objects.order_by("pk")
        ],
        "totp": list(AppDevice.objects.order_by("pk").values_list("user__username", "key")),
        "recovery": [
            [d.user.username, [c.code for c in d.codes.all()]]
            for d in RecoveryDevice.objects.order_by("pk")
        ],
        "group_permissions": sorted(
            Group.objects.values_list("name", "permissions__codename").order_by("name")
        ),
        "log": list(LogEntry.objects.values_list("content_type__app_label", "content_type__model")),
    }


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """The summary as JSON gives it back (tuples become lists)."""
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded


def members(archive: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    with tarfile.open(archive) as tar:
        for info in tar.getmembers():
            stream = tar.extractfile(info)
            if stream is not None:
                found[info.name] = stream.read()
    return found


def rewrite(archive: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """A copy of the archive with members changed by `change(name, content)`."""
    changed = archive.with_name("changed-" + archive.name)
    with tarfile.open(changed, "w") as out:
        for name, content in members(archive).items():
            data = change(name, content)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return changed


def flip_first_byte(content: bytes) -> bytes:
    return bytes([content[0] ^ 1]) + content[1:]


def changing(member: str, change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, content: change(content) if name == member else content


def assert_no_plaintext(archive: Path) -> None:
    """No NIK or KK number in clear, no image or PDF in clear, in any member.

    A stored file is ciphertext behind the storage's header; three random bytes of it may
    happen to spell a JPEG's start of image, so the file signatures are looked for where a
    file in clear would have them (at its start, or anywhere for the longer PDF and PNG ones).
    """
    for name, content in members(archive).items():
        for number in (NIK_MAN, NIK_WOMAN, KK_NUMBER):
            assert number.encode() not in content, name
        assert b"%PDF-" not in content, name
        assert b"\x89PNG" not in content, name
        if name.startswith("files/"):
            assert content.startswith(MAGIC), name
        else:
            assert b"\xff\xd8\xff" not in content, name  # a JPEG's start of image


# The round trip ---------------------------------------------------------------------------


def _postgres_available() -> bool:
    import psycopg

    try:
        psycopg.connect(POSTGRES_ADMIN, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture
def target_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment of a new, empty installation: its database (the other vendor) and files."""
    import psycopg

    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["PARADEWI_VAR_DIR"] = str(tmp_path / "target")
    env["STORAGE_BACKEND"] = "local"
    env.pop("PYTEST_XDIST_WORKER", None)
    if connection.vendor == "postgresql" or not _postgres_available():
        yield env  # SQLite under PARADEWI_VAR_DIR
        return
    name = f"paradewi_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}"}
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_backup_restores_into_a_new_database_with_every_request_file_and_history_intact(
    personas: Personas, tmp_path: Path, target_database: dict[str, str]
) -> None:
    build_dataset(personas)
    before = comparable(summary())
    archive = tmp_path / "backup.tar.gz"

    made = backup(archive, compress=True)

    manifest = json.loads(members(archive)[MANIFEST])
    assert manifest["database"]["vendor"] == connection.vendor
    assert ["requests", "0001_initial"] in manifest["migrations"]
    counts = {item["model"]: item["rows"] for item in manifest["models"]}
    assert counts["requests.ServiceRequest"] == len(before["requests"]) == 7
    assert counts["requests.Transition"] == len(before["history"])
    assert "sessions.Session" not in counts
    assert "auth.Permission" not in counts
    assert made.files == len(before["uploads"]) + len(before["outputs"])
    assert made.missing_count == 0
    assert_no_plaintext(archive)

    migrated = manage(target_database, "migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    restored = manage(target_database, "restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Restore complete." in restored.stdout
    assert f"{made.files} files against their SHA-256" in restored.stdout

    code = (
        "import json; from paradewi.core.tests.test_backup import summary; "
        "print(json.dumps(summary(), default=str))"
    )
    read = manage(target_database, "shell", "-v", "0", "-c", code)
    assert read.returncode == 0, read.stderr
    after = json.loads(read.stdout.strip().splitlines()[-1])
    assert after == before

    # The restored database takes new rows (its sequences continue after the restored ids).
    again = manage(target_database, "restore", str(archive))
    assert again.returncode != 0
    assert "already holds requests" in again.stderr


# Refusals and warnings ---------------------------------------------------------------------


@pytest.fixture
def archive(personas: Personas, tmp_path: Path) -> Path:
    build_dataset(personas)
    path = tmp_path / "backup.tar"
    backup(path)
    return path


def test_a_restore_refuses_an_archive_that_differs_from_its_manifest_or_from_this_code(
    archive: Path,
) -> None:
    data_member = "data/requests.Transition.jsonl"
    file_member = next(name for name in members(archive) if name.startswith("files/"))
    for member in (data_member, file_member, FILE_INDEX):
        tampered = rewrite(archive, changing(member, flip_first_byte))
        with pytest.raises(CommandError, match=f"Member {member} does not match its checksum"):
            call_command("restore", str(tampered), "--replace")
    assert ServiceRequest.objects.count() == 7  # nothing touched
    cut = rewrite(archive, changing(data_member, lambda content: b""))
    with pytest.raises(BackupError, match=f"Member {data_member} does not match"):
        restore(cut, replace=True)

    # A backup made by newer code (a migration this code does not have) is refused too.
    def newer(name: str, content: bytes) -> bytes:
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        manifest["migrations"].append(["requests", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    with pytest.raises(BackupError, match=r"requests\.9999_from_the_future"):
        restore(rewrite(archive, newer), replace=True)


def test_a_restore_into_a_database_holding_requests_needs_replace(archive: Path) -> None:
    before = comparable(summary())
    ServiceRequest.objects.filter(status="draft").update(subject_name="Changed")
    changed = comparable(summary())
    with pytest.raises(CommandError, match="already holds requests"):
        call_command("restore", str(archive))
    assert comparable(summary()) == changed

    report = restore(archive, replace=True)

    assert report.ok, report.failures
    assert comparable(summary()) == before
    assert report.chain_rows == len(before["history"])


def test_a_file_gone_from_the_storage_is_recorded_as_missing_and_warned(
    personas: Personas, tmp_path: Path
) -> None:
    build_dataset(personas)
    gone = Upload.objects.order_by("pk").first()
    assert gone is not None
    gone.file.storage.delete(gone.file.name)
    warnings: list[str] = []

    made = backup(tmp_path / "backup.tar", warn=warnings.append)

    assert made.missing_count == 1
    assert made.missing == [gone.file.name]
    assert gone.file.name in warnings[0]
    index = [
        json.loads(line)
        for line in members(tmp_path / "backup.tar")[FILE_INDEX].split(b"\n")
        if line
    ]
    assert [e["name"] for e in index if e.get("missing")] == [gone.file.name]
    report = restore(tmp_path / "backup.tar", replace=True)
    assert report.ok, report.failures
    assert any(gone.file.name in warning for warning in report.warnings)


def test_the_commands_explain_that_the_keys_are_kept_apart() -> None:
    from paradewi.core.management.commands import backup as backup_command
    from paradewi.core.management.commands import restore as restore_command

    assert "ENCRYPTION_KEYS" in backup_command.Command.help
    assert "ENCRYPTION_KEYS" in restore_command.Command.help
    assert settings.ENCRYPTION_KEYS  # the tests' fixed keys reach the subprocess by env


def test_a_backup_of_an_object_store_restores_into_another_one(
    personas: Personas,
    tmp_path: Path,
    settings: LazySettings,
    s3: S3,  # noqa: F811 (the fixture imported above)
) -> None:
    store = settings.STORAGES["default"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**store, "BACKEND": "paradewi.core.storage.EncryptedS3Storage"},
    }
    handed_over(personas)  # uploads and an issued document
    before = comparable(summary())
    made = backup(tmp_path / "backup.tar")
    elsewhere = f"{s3.prefix}-restored"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**store["OPTIONS"], "location": elsewhere},
        },
    }

    report = restore(tmp_path / "backup.tar", replace=True)

    assert report.ok, report.failures
    assert report.files == made.files
    assert comparable(summary()) == before
    copied = S3(endpoint=s3.endpoint, bucket=s3.bucket, prefix=elsewhere, client=s3.client)
    # Page previews are left out on purpose (drawn again when someone opens the viewer).
    kept = {name for name in s3.names() if not name.startswith("previews/")}
    assert copied.names() == kept
    name = next(iter(copied.names()))
    assert copied.read(name) == s3.read(name)  # the same ciphertext, byte for byte
