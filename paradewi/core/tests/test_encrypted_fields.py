"""Encrypted model fields: what the column holds, what the model sees, what serialisers write."""

from __future__ import annotations

import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection

from paradewi.core.crypto import (
    DecryptionError,
    blind_index,
    decrypt_text,
    encrypt_text,
    is_token,
    token_key_id,
)
from paradewi.core.fields import EncryptedJSONField, EncryptedTextField, with_blind_indexes
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(personas):
    return personas


def raw_row(request: ServiceRequest, *columns: str) -> tuple[object, ...]:
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} WHERE id = %s", [request.pk])  # noqa: S608
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)


def field(name: str) -> EncryptedTextField:
    found = ServiceRequest._meta.get_field(name)
    assert isinstance(found, EncryptedTextField)
    return found


def test_a_nik_goes_in_as_a_token_and_comes_back_as_the_number(p):
    request = make_draft(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER)
    nik, kk = raw_row(request, "subject_nik", "subject_kk")
    assert is_token(nik)
    assert is_token(kk)
    assert NIK_MAN not in str(nik)
    assert KK_NUMBER not in str(kk)
    assert token_key_id(str(nik)) == "t1"
    fresh = ServiceRequest.objects.get(pk=request.pk)
    assert (fresh.subject_nik, fresh.subject_kk) == (NIK_MAN, KK_NUMBER)
    assert ServiceRequest.objects.values_list("subject_nik", flat=True).get(pk=request.pk) == (
        NIK_MAN
    )


def test_the_same_nik_gives_a_different_token_each_time(p):
    first = make_draft(p.desa_a, subject_nik=NIK_MAN)
    second = make_draft(p.desa_a, subject_nik=NIK_MAN)
    assert raw_row(first, "subject_nik") != raw_row(second, "subject_nik")


def test_a_token_is_bound_to_its_column():
    token = encrypt_text(NIK_MAN, context="requests.servicerequest.subject_nik")
    assert decrypt_text(token, context="requests.servicerequest.subject_nik") == NIK_MAN
    with pytest.raises(DecryptionError):
        decrypt_text(token, context="requests.servicerequest.reporter_nik")
    with pytest.raises(DecryptionError):
        field("reporter_nik").to_python(token)


def test_a_token_moved_into_another_column_does_not_open(p):
    request = make_draft(p.desa_a, subject_nik=NIK_MAN, reporter_nik=NIK_WOMAN)
    (token,) = raw_row(request, "subject_nik")
    ServiceRequest.objects.filter(pk=request.pk).update(reporter_nik=token)
    with pytest.raises(DecryptionError):
        ServiceRequest.objects.get(pk=request.pk)


def test_an_empty_value_stays_empty_without_cryptography(p):
    request = make_draft(p.desa_a, subject_nik="", reporter_nik="")
    assert raw_row(request, "subject_nik", "reporter_nik") == ("", "")
    assert raw_row(request, "subject_nik_index", "reporter_nik_index") == ("", "")
    assert ServiceRequest.objects.get(pk=request.pk).subject_nik == ""


def test_a_plain_value_written_before_encryption_is_read_as_it_is(p):
    request = make_draft(p.desa_a, subject_nik=NIK_MAN)
    table = connection.ops.quote_name(ServiceRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET subject_nik = %s, details = %s WHERE id = %s",  # noqa: S608
            [NIK_WOMAN, json.dumps({"mother_nik": NIK_WOMAN}), request.pk],
        )
    fresh = ServiceRequest.objects.get(pk=request.pk)
    assert fresh.subject_nik == NIK_WOMAN
    assert fresh.details == {"mother_nik": NIK_WOMAN}


def test_the_details_are_one_token_in_the_column(p):
    details = {"mother_nik": NIK_WOMAN, "father_nik": NIK_MAN, "members": [NIK_MAN]}
    request = make_draft(p.desa_a, details=details)
    (raw,) = raw_row(request, "details")
    assert is_token(raw)
    assert NIK_WOMAN not in str(raw)
    assert ServiceRequest.objects.get(pk=request.pk).details == details


def test_the_search_hash_follows_the_number_on_save_and_update(p):
    request = make_draft(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER)
    assert request.subject_nik_index == blind_index(NIK_MAN, purpose="nik")
    assert raw_row(request, "subject_nik_index", "subject_kk_index") == (
        blind_index(NIK_MAN, purpose="nik"),
        blind_index(KK_NUMBER, purpose="kk"),
    )
    request.subject_nik = NIK_WOMAN
    request.save()
    assert raw_row(request, "subject_nik_index") == (blind_index(NIK_WOMAN, purpose="nik"),)
    ServiceRequest.objects.filter(pk=request.pk).update(
        **with_blind_indexes(ServiceRequest, {"subject_nik": NIK_MAN})
    )
    assert ServiceRequest.objects.filter(
        subject_nik_index=blind_index(NIK_MAN, purpose="nik")
    ).exists()


def test_a_nik_hashes_alike_as_subject_and_as_reporter_but_not_as_a_kk(p):
    request = make_draft(p.desa_a, subject_nik=NIK_MAN, reporter_nik=NIK_MAN)
    assert request.subject_nik_index == request.reporter_nik_index
    assert blind_index(NIK_MAN, purpose="nik") != blind_index(NIK_MAN, purpose="kk")


def test_bulk_create_fills_the_search_hashes(p):
    template = make_draft(p.desa_a)
    copy = ServiceRequest(
        service=template.service,
        service_version=template.service_version,
        village=template.village,
        district=template.district,
        created_by=template.created_by,
        subject_nik=NIK_WOMAN,
        subject_kk=KK_NUMBER,
    )
    (created,) = ServiceRequest.objects.bulk_create([copy])
    assert raw_row(created, "subject_nik_index", "subject_kk_index") == (
        blind_index(NIK_WOMAN, purpose="nik"),
        blind_index(KK_NUMBER, purpose="kk"),
    )
    assert is_token(raw_row(created, "subject_nik")[0])


def test_comparing_an_encrypted_column_with_a_plain_value_is_refused(p):
    with pytest.raises(ValueError, match="blind index"):
        ServiceRequest.objects.filter(subject_nik=NIK_MAN).exists()
    with pytest.raises(ValueError, match="blind index"):
        ServiceRequest.objects.filter(subject_kk__in=[KK_NUMBER]).exists()
    with pytest.raises(Exception, match="startswith"):
        ServiceRequest.objects.filter(subject_nik__startswith="3516").exists()
    assert not ServiceRequest.objects.filter(subject_nik="").exists()


def test_the_serialiser_writes_the_token_and_reads_it_back(p):
    details = {"mother_nik": NIK_WOMAN}
    request = make_draft(p.desa_a, subject_nik=NIK_MAN, subject_kk=KK_NUMBER, details=details)
    text = serializers.serialize("json", ServiceRequest.objects.filter(pk=request.pk))
    assert NIK_MAN not in text
    assert KK_NUMBER not in text
    assert NIK_WOMAN not in text
    fields = json.loads(text)[0]["fields"]
    assert is_token(fields["subject_nik"])
    assert is_token(fields["details"])
    (loaded,) = serializers.deserialize("json", text)
    copy = loaded.object
    assert isinstance(copy, ServiceRequest)
    assert copy.subject_nik == NIK_MAN
    assert copy.subject_kk == KK_NUMBER
    assert copy.details == details


def test_to_python_accepts_a_token_or_a_plain_value():
    nik = field("subject_nik")
    assert nik.to_python(NIK_MAN) == NIK_MAN
    assert nik.to_python(nik.get_prep_value(NIK_MAN)) == NIK_MAN
    assert nik.to_python("") == ""
    details = ServiceRequest._meta.get_field("details")
    assert isinstance(details, EncryptedJSONField)
    assert details.to_python({"a": 1}) == {"a": 1}
    assert details.to_python(details.get_prep_value({"a": 1})) == {"a": 1}
    assert details.to_python('{"a": 1}') == {"a": 1}


def test_the_length_limit_applies_to_the_plain_number():
    nik = field("subject_nik")
    nik.clean(NIK_MAN, None)
    with pytest.raises(ValidationError):
        nik.clean(NIK_MAN + "1", None)
    form_field = nik.formfield()
    assert form_field is not None
    assert getattr(form_field, "max_length", None) == 16
