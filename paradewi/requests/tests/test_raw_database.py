"""A copy of the database reveals no NIK and no KK number, and the application still finds them.

Requests are made the way the application makes them (services), with NIKs and KK numbers
as subject, reporter, parents, spouses, family members and an issued KK's number; then every
column of every table is read with a plain cursor, as someone holding a copy would.
"""

from __future__ import annotations

import pytest
from django.core import serializers
from django.db import connection
from django.urls import reverse

from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.selectors import latest_person_data
from paradewi.requests.selectors.worklist import search_q
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_draft, make_submitted, pdf_file

pytestmark = pytest.mark.django_db

SUBJECT = "3516011503880011"
REPORTER = "3516015204900012"
MOTHER = "3516016107920013"
FATHER = "3516010908890014"
GROOM = "3516012002910015"
BRIDE = "3516016505930016"
MEMBER = "3516011111110017"
KK = "3516012703150018"
NEW_KK = "3516010512250019"
NUMBERS = (SUBJECT, REPORTER, MOTHER, FATHER, GROOM, BRIDE, MEMBER, KK, NEW_KK)


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def residents(p) -> dict[str, ServiceRequest]:
    """Requests holding each of NUMBERS, one with an issued KK, one with a scan named after them."""
    birth = make_draft(
        p.desa_a,
        "akta-kelahiran",
        subject_nik="",
        subject_kk=KK,
        reporter_nik=REPORTER,
        reporter_relationship="parent",
        details={"mother_nik": MOTHER, "father_nik": FATHER, "mother_name": "Sri"},
    )
    marriage = make_draft(
        p.desa_a,
        "akta-perkawinan",
        subject_nik=GROOM,
        subject_kk=KK,
        reporter_nik=GROOM,
        details={"groom_nik": GROOM, "bride_nik": BRIDE},
    )
    move = make_draft(
        p.desa_a,
        "pindah",
        subject_nik=SUBJECT,
        subject_kk=KK,
        reporter_nik=SUBJECT,
        details={"members": [SUBJECT, MEMBER]},
    )
    # A scan named after the person's NIK and KK number, as villages often name them.
    services.upload_add(
        actor=p.desa_a,
        request=move,
        requirement_code=move.definition["requirements"][0]["code"],
        file=pdf_file(f"KK {KK} NIK {SUBJECT}.pdf"),
    )
    card = make_submitted(p.desa_a, subject_nik=SUBJECT, subject_kk=KK, reporter_nik=REPORTER)
    card = services.request_verify(actor=p.kecamatan_a, request=card)
    card = services.request_claim(actor=p.clerk, request=card)
    card = documents_services.request_complete(
        actor=p.clerk,
        request=card,
        outputs=[OutputUpload("kk", pdf_file("kk.pdf"), document_number=NEW_KK)],
    )
    return {"birth": birth, "marriage": marriage, "move": move, "card": card}


def every_value_in_the_database() -> list[str]:
    quote = connection.ops.quote_name
    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from the database
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        values.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        values.append(str(value))
    return values


def test_no_table_holds_a_nik_or_kk_number_in_clear(residents):
    found = {
        number for value in every_value_in_the_database() for number in NUMBERS if number in value
    }
    assert found == set()


def test_the_database_still_holds_the_numbers_for_the_application(residents):
    move = ServiceRequest.objects.get(pk=residents["move"].pk)
    assert move.subject_nik == SUBJECT
    assert move.details["members"] == [SUBJECT, MEMBER]
    birth = ServiceRequest.objects.get(pk=residents["birth"].pk)
    assert (birth.details["mother_nik"], birth.details["father_nik"]) == (MOTHER, FATHER)
    assert OutputFile.objects.get(request=residents["card"]).document_number == NEW_KK
    (upload,) = Upload.objects.filter(request=move)
    assert upload.original_name == f"KK {KK} NIK {SUBJECT}.pdf"


def test_a_serialised_copy_holds_no_number_in_clear(residents):
    text = serializers.serialize("json", ServiceRequest.objects.all())
    text += serializers.serialize("json", OutputFile.objects.all())
    text += serializers.serialize("json", Upload.objects.all())
    assert [number for number in NUMBERS if number in text] == []


def test_the_worklist_search_finds_a_request_by_nik(client, p, residents):
    client.force_login(p.desa_a)
    response = client.get(reverse("request_list"), {"q": f"{SUBJECT[:6]} {SUBJECT[6:]}"})
    assert response.status_code == 200
    found = {row.request.pk for row in response.context["rows"]}
    assert found == {residents["move"].pk, residents["card"].pk}
    # The list shows the NIK masked, decrypted from the column.
    assert "351601********11" in response.content.decode()


def test_another_village_does_not_find_the_nik(client, p, residents):
    client.force_login(p.desa_b)
    response = client.get(reverse("request_list"), {"q": SUBJECT})
    assert response.status_code == 200
    assert list(response.context["rows"]) == []


def test_the_earlier_request_of_a_nik_fills_a_new_form(p, residents):
    earlier = latest_person_data(p.desa_a, p.desa_a.area_id, SUBJECT)
    assert earlier is not None
    assert earlier.subject_kk == KK
    assert latest_person_data(p.desa_b, p.desa_a.area_id, SUBJECT) is None
    assert latest_person_data(p.desa_a, p.desa_a.area_id, MEMBER) is None


def test_a_new_kk_for_the_same_kk_number_is_found_and_supersedes_the_old_one(p, residents):
    first = OutputFile.objects.get(request=residents["card"])
    second = make_submitted(p.desa_a, subject_nik=REPORTER, subject_kk=KK)
    second = services.request_verify(actor=p.kecamatan_a, request=second)
    second = services.request_claim(actor=p.clerk, request=second)
    documents_services.request_complete(
        actor=p.clerk, request=second, outputs=[OutputUpload("kk", pdf_file("kk2.pdf"))]
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert first.superseded_by == OutputFile.objects.get(request=second)


def test_a_nik_typed_with_spaces_or_dots_is_the_same_nik(p, residents):
    spaced = ServiceRequest.objects.filter(search_q("3516.0115.0388.0011", user=p.desa_a))
    assert set(spaced.values_list("pk", flat=True)) == {
        residents["move"].pk,
        residents["card"].pk,
    }
