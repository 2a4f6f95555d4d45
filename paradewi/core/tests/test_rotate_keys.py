"""Key rotation: every value under the new key, nothing lost, no concurrent change overwritten."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from paradewi.core import rotation
from paradewi.core.crypto import blind_index, is_token, parse_keys, token_key_id
from paradewi.requests.models import ServiceRequest
from paradewi.requests.selectors import latest_person_data
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, make_draft

pytestmark = pytest.mark.django_db

ENCRYPTED = ("subject_nik", "subject_kk", "reporter_nik", "details")
OTHER_NIK = "3516016404850003"


@pytest.fixture
def p(personas):
    return personas


def new_key_first():
    keys = settings.ENCRYPTION_KEYS
    return override_settings(ENCRYPTION_KEYS={"t2": keys["t2"], "t1": keys["t1"]})


def raw(request: ServiceRequest, column: str) -> str:
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {table} WHERE id = %s",  # noqa: S608
            [request.pk],
        )
        (value,) = cursor.fetchone()
    return str(value)


def rotate(*options: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", "--fields-only", *options, stdout=out)
    return out.getvalue()


def make_requests(p) -> list[ServiceRequest]:
    return [
        make_draft(
            p.desa_a,
            "akta-kelahiran",
            subject_nik="",
            reporter_nik=NIK_WOMAN,
            details={"mother_nik": NIK_WOMAN, "father_nik": NIK_MAN},
        ),
        make_draft(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER),
        make_draft(p.desa_b, subject_nik=NIK_WOMAN, reporter_nik=NIK_MAN),
    ]


def test_rotation_puts_every_value_under_the_new_key_and_keeps_the_values(p):
    requests = make_requests(p)
    before = {r.pk: [getattr(r, name) for name in ENCRYPTED] for r in requests}
    assert token_key_id(raw(requests[1], "subject_nik")) == "t1"

    with new_key_first():
        output = rotate()
        for request in requests:
            for name in ENCRYPTED:
                value = raw(request, name)
                assert value == "" or token_key_id(value) == "t2", (request.pk, name)
        fresh = {
            r.pk: [getattr(r, name) for name in ENCRYPTED]
            for r in ServiceRequest.objects.filter(pk__in=before)
        }
        assert fresh == before
        assert latest_person_data(p.desa_a, p.desa_a.area_id, NIK_MAN) == requests[1]

    assert "Database: " in output
    assert "0 search hash(es) recomputed" in output
    # A second run has nothing left to do.
    with new_key_first():
        assert "Database: 0 value(s) re-encrypted" in rotate()


def test_a_dry_run_counts_values_per_key_and_changes_nothing(p):
    request = make_requests(p)[1]
    token = raw(request, "subject_nik")

    with new_key_first():
        output = rotate("--dry-run")

    assert "requests.servicerequest.subject_nik: t1: 2" in output
    assert "would be re-encrypted" in output
    assert raw(request, "subject_nik") == token


def test_a_row_changed_during_rotation_keeps_the_applications_value(p, monkeypatch):
    requests = make_requests(p)
    target = requests[1]
    read_rows = rotation._rows

    def rows_then_the_application_writes(model, columns, after, size):
        rows = read_rows(model, columns, after, size)
        if model is ServiceRequest and rows:
            # Between the rotation's read and its write, a clerk corrects the NIK.
            request = ServiceRequest.objects.get(pk=target.pk)
            request.subject_nik = OTHER_NIK
            request.save()
        return rows

    monkeypatch.setattr(rotation, "_rows", rows_then_the_application_writes)
    with new_key_first():
        output = rotate()
        fresh = ServiceRequest.objects.get(pk=target.pk)

    assert fresh.subject_nik == OTHER_NIK
    assert fresh.subject_kk == KK_NUMBER
    assert fresh.subject_nik_index == blind_index(OTHER_NIK, purpose="nik")
    assert "changed while rotating" in output
    assert token_key_id(raw(requests[2], "subject_nik")) == "t2"


def test_a_value_from_before_encryption_is_encrypted_and_gets_its_search_hash(p):
    request = make_requests(p)[1]
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET subject_nik = %s, subject_nik_index = '' WHERE id = %s",  # noqa: S608
            [NIK_MAN, request.pk],
        )

    output = rotate()

    assert is_token(raw(request, "subject_nik"))
    assert raw(request, "subject_nik_index") == blind_index(NIK_MAN, purpose="nik")
    assert "1 value(s) re-encrypted" in output
    assert ServiceRequest.objects.get(pk=request.pk).subject_nik == NIK_MAN


def test_reindex_recomputes_the_search_hashes_under_a_new_index_key(p):
    request = make_requests(p)[1]

    with override_settings(SEARCH_INDEX_KEY=b"n" * 32):
        assert latest_person_data(p.desa_a, p.desa_a.area_id, NIK_MAN) is None
        output = rotate("--reindex")
        assert latest_person_data(p.desa_a, p.desa_a.area_id, NIK_MAN) == request
        assert raw(request, "subject_kk_index") == blind_index(KK_NUMBER, purpose="kk")

    assert "0 value(s) re-encrypted" in output
    assert "search hash(es) recomputed" in output


def test_new_encryption_key_prints_a_key_settings_accept():
    out = io.StringIO()
    call_command("new_encryption_key", "--id", "k2027", stdout=out)
    lines = out.getvalue().splitlines()
    keys = parse_keys([lines[0]])
    assert list(keys) == ["k2027"]
    assert len(keys["k2027"]) == 32
    assert any(line.strip().startswith("SEARCH_INDEX_KEY=") for line in lines)


def test_rotation_then_rewraps_the_stored_files(p, monkeypatch):
    from paradewi.core import storage

    calls = []

    def rewrap_files(*, log):
        calls.append(log)
        log("uploads/1/abc: re-wrapped")
        return 1

    monkeypatch.setattr(storage, "rewrap_files", rewrap_files)
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert len(calls) == 1
    assert "uploads/1/abc: re-wrapped" in out.getvalue()
    assert "Files: 1 file key(s) re-wrapped or encrypted." in out.getvalue()

    call_command("rotate_keys", "--fields-only", stdout=io.StringIO())
    call_command("rotate_keys", "--dry-run", stdout=io.StringIO())
    assert len(calls) == 1


@pytest.mark.django_db
def test_a_dry_run_counts_the_stored_files_per_key_too():
    default_storage.save("uploads/1/a", ContentFile(b"one"))
    default_storage.save("uploads/1/b", ContentFile(b"two"))
    out = io.StringIO()
    with new_key_first():
        call_command("rotate_keys", "--files-only", "--dry-run", stdout=out)
    assert "Files: t1: 2." in out.getvalue()
    with default_storage.open("uploads/1/a") as stored:
        assert stored.read() == b"one"
