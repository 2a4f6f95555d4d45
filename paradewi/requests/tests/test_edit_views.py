"""Creating, editing, uploading and submitting a request through the pages."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from paradewi.regions.models import Region
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status, Upload
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    WITNESSES,
    jpeg_file,
    load_catalogue,
    make_draft,
    make_submitted,
    movers_posted,
    pdf_bytes,
    pdf_file,
    run_upload_checks,
    upload_all,
)


@pytest.fixture
def p(personas):
    load_catalogue()
    return personas


def login(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"  # assert on the English source text
    return client


def nik(born: date, *, woman: bool = False, region: str = "351601", serial: str = "0007") -> str:
    day = born.day + 40 if woman else born.day
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


def person(**overrides) -> dict[str, Any]:
    data = {
        "subject_nik": NIK_MAN,
        "subject_kk": KK_NUMBER,
        "subject_name": "Slamet Riyadi",
        "subject_sex": "L",
        "subject_birth_place": "Mojokerto",
        "subject_birth_date": "1990-05-12",
        "reporter_relationship": "self",
        "reporter_nik": "",
        "reporter_name": "",
        "reporter_phone": "0812-3456-7890",
    }
    data.update(overrides)
    return data


def kk_change(**overrides) -> dict[str, Any]:
    return person(changes=["element"], description="Perubahan pekerjaan", **overrides)


def create(client, service_code: str, data: dict[str, Any], key: str | None = None):
    data = {"idempotency_key": key or str(uuid.uuid4()), **data}
    return client.post(reverse("request_create", args=[service_code]), data)


def edit_url(request) -> str:
    return reverse("request_edit", args=[request.pk])


def upload_url(request, code: str) -> str:
    return reverse("request_upload", args=[request.pk, code])


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


# --- choosing and creating ----------------------------------------------------------------------


def test_it_lists_the_services_to_choose_from(p, client):
    response = login(client, p.desa_a).get(reverse("request_new"))
    assert response.status_code == 200
    assert reverse("request_create", args=["akta-kelahiran"]) in response.content.decode()


@pytest.mark.parametrize(
    "code",
    [
        "kk-baru",
        "kk-perubahan",
        "kk-hilang-rusak",
        "ktp-el-cetak-ulang",
        "kia",
        "pindah",
        "kedatangan",
        "perubahan-biodata",
        "akta-kelahiran",
        "akta-kematian",
        "akta-perkawinan",
        "akta-perceraian",
    ],
)
def test_it_shows_the_data_form_of_every_service(p, client, code):
    response = login(client, p.desa_a).get(reverse("request_create", args=[code]))
    assert response.status_code == 200
    assert 'name="idempotency_key"' in response.content.decode()


def test_it_answers_404_for_an_unknown_service(p, client):
    response = login(client, p.desa_a).get(reverse("request_create", args=["no-such"]))
    assert response.status_code == 404


def test_it_creates_a_draft_and_goes_to_its_edit_page(p, client):
    response = create(login(client, p.desa_a), "kk-perubahan", kk_change())
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(request)
    assert request.status == Status.DRAFT
    assert request.village == p.desa_a.area
    assert request.created_by == p.desa_a
    assert request.subject_birth_date == date(1990, 5, 12)
    # "The person themselves" reports: the reporter is the subject; the phone is normalised.
    assert (request.reporter_nik, request.reporter_name) == (NIK_MAN, "Slamet Riyadi")
    assert request.reporter_phone == "+6281234567890"
    assert request.details == {
        "changes": ["element"],
        "description": "Perubahan pekerjaan",
        "element_change": True,
    }


def test_it_gives_each_new_form_its_own_idempotency_key(p, client):
    login(client, p.desa_a)
    first = client.get(reverse("request_create", args=["kk-baru"]))
    second = client.get(reverse("request_create", args=["kk-baru"]))
    assert first.context["form"]["idempotency_key"].value()
    assert (
        first.context["form"]["idempotency_key"].value()
        != second.context["form"]["idempotency_key"].value()
    )


def test_it_creates_one_request_when_the_same_form_is_posted_twice(p, client):
    login(client, p.desa_a)
    key = str(uuid.uuid4())
    first = create(client, "kk-perubahan", kk_change(), key=key)
    second = create(client, "kk-perubahan", kk_change(), key=key)
    request = ServiceRequest.objects.get()
    assert first["Location"] == second["Location"] == edit_url(request)


def test_it_lets_a_kecamatan_operator_create_for_a_village_of_its_kecamatan(p, client):
    village = Region.objects.get(code="35.16.01.2002")
    response = create(login(client, p.kecamatan_a), "kk-perubahan", kk_change(village=village.pk))
    request = ServiceRequest.objects.get()
    assert response["Location"] == edit_url(request)
    assert request.village == village
    assert request.district.code == "35.16.01"


def test_it_refuses_a_village_outside_the_operators_kecamatan(p, client):
    elsewhere = Region.objects.get(code="35.16.02.2001")
    response = create(login(client, p.kecamatan_a), "kk-perubahan", kk_change(village=elsewhere.pk))
    assert response.status_code == 200
    assert "Choose a village of your kecamatan." in response.content.decode()
    assert "Slamet Riyadi" in response.content.decode()
    assert not ServiceRequest.objects.exists()


# --- bad input: a message at the field, the rest kept, nothing saved ----------------------------


def assert_refused(response, field: str, text: str, form: str = "form"):
    assert response.status_code == 200
    errors = " ".join(response.context[form].errors.get(field, []))
    assert text in errors, response.context[form].errors
    page = response.content.decode()
    assert "Slamet Riyadi" in page or "Mojokerto" in page  # the other input is kept
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"subject_nik": "35160112059000"}, "subject_nik", "16 digits"),
        ({"subject_nik": ""}, "subject_nik", "required"),
        ({"subject_nik": "9916011205900001"}, "subject_nik", "not a known provinsi"),
        ({"subject_nik": "3516013205900001"}, "subject_nik", "not a date of birth"),
        ({"subject_sex": "P"}, "subject_nik", "belongs to a man"),
        ({"subject_nik": NIK_WOMAN, "subject_birth_date": "1992-08-17"}, "subject_nik", "woman"),
        ({"subject_birth_date": "1990-05-13"}, "subject_nik", "12-05-90"),
        ({"subject_kk": "3516013202200003"}, "subject_kk", "the card was issued"),
        ({"subject_kk": "9916010101200003"}, "subject_kk", "not a known provinsi"),
        ({"subject_birth_date": "2999-01-01"}, "subject_birth_date", "future"),
        ({"subject_birth_date": "2026-02-30"}, "subject_birth_date", "valid date"),
        ({"subject_name": "Sl4met"}, "subject_name", "no digits"),
        ({"reporter_phone": "12345"}, "reporter_phone", "mobile number"),
        ({"reporter_relationship": "parent"}, "reporter_nik", "Fill in the reporter"),
        (
            {"reporter_relationship": "parent", "reporter_nik": "351601", "reporter_name": "Ibu"},
            "reporter_nik",
            "16 digits",
        ),
        (
            {"reporter_relationship": "spouse", "reporter_nik": NIK_MAN, "reporter_name": "Sri"},
            "reporter_nik",
            "own NIK",
        ),
    ],
)
def test_it_refuses_bad_person_data(p, client, overrides, field, text):
    response = create(login(client, p.desa_a), "kk-perubahan", kk_change(**overrides))
    assert_refused(response, field, text)


def test_it_shows_the_error_next_to_the_field_in_the_page(p, client):
    response = create(
        login(client, p.desa_a), "kk-perubahan", kk_change(subject_kk="3516013202200003")
    )
    page = response.content.decode()
    field_at = page.index('name="subject_kk"')
    box_at = page.rindex('class="field field-error"', 0, field_at)
    error_at = page.index("not the date the card was issued", box_at)
    assert box_at < error_at < field_at
    assert f'value="{NIK_MAN}"' in page


def test_a_refused_form_starts_with_a_summary_that_links_to_each_field_in_error(p, client):
    response = create(
        login(client, p.desa_a),
        "kk-perubahan",
        kk_change(subject_kk="3516013202200003", subject_name="", reporter_phone="12"),
    )
    page = response.content.decode()
    summary_at = page.index('id="error-summary"')
    assert summary_at < page.index('id="data"')
    summary = page[summary_at : page.index("</div>", summary_at)]
    assert "Fix 3 things first" in summary
    for name in ("subject_kk", "subject_name", "reporter_phone"):
        assert f'href="#id_{name}"' in summary
    assert "js/error_summary.js" in page


def test_a_refused_submit_links_each_missing_document_to_its_upload(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    response = client.post(reverse("request_submit", args=[request.pk]), follow=True)
    page = response.content.decode()
    missing = page[page.index('id="missing"') :]
    assert '<a href="#req-f-102">' in missing
    assert 'id="req-f-102"' in page


def test_a_form_shown_first_has_no_error_summary(p, client):
    page = login(client, p.desa_a).get(reverse("request_create", args=["kk-perubahan"]))
    assert "error-summary" not in page.content.decode()


def birth(**overrides) -> dict[str, Any]:
    born = days_ago(10)
    data = person(
        subject_nik="",
        subject_name="Putri Ayu Lestari",
        subject_sex="P",
        subject_birth_date=born.isoformat(),
        reporter_relationship="parent",
        reporter_nik=NIK_MAN,
        reporter_name="Slamet Riyadi",
        birth_facility="puskesmas",
        birth_time="07:30",
        birth_type="single",
        birth_order="2",
        attendant="midwife",
        weight_kg="3.2",
        length_cm="49",
        mother_nik=NIK_WOMAN,
        mother_name="Sri Wahyuni",
        mother_birth_place="Mojokerto",
        father_nik=NIK_MAN,
        father_name="",
        father_birth_place="Jombang",
        **WITNESSES,
    )
    data.update(overrides)
    return data


def test_it_registers_a_newborn_without_a_nik(p, client):
    response = create(login(client, p.desa_a), "akta-kelahiran", birth())
    request = ServiceRequest.objects.get()
    assert response["Location"] == edit_url(request)
    assert request.subject_nik == ""
    assert request.details == {
        "birth_facility": "puskesmas",
        "birth_time": "07:30",
        "birth_type": "single",
        "birth_order": 2,
        "attendant": "midwife",
        "reason": "parents_known",
        "weight_kg": "3.2",
        "length_cm": "49",
        "mother_nik": NIK_WOMAN,
        "mother_name": "Sri Wahyuni",
        "mother_birth_place": "Mojokerto",
        "father_nik": NIK_MAN,
        # Left empty: the reporter's NIK is the father's, so his name is the reporter's.
        "father_name": "Slamet Riyadi",
        "father_birth_place": "Jombang",
        **WITNESSES,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"subject_birth_date": "2999-01-01"}, "subject_birth_date", "future"),
        ({"mother_nik": NIK_MAN}, "mother_nik", "man"),
        ({"father_nik": NIK_WOMAN}, "father_nik", "woman"),
        ({"mother_nik": ""}, "mother_nik", "Fill in the mother's NIK"),
        ({"father_nik": NIK_WOMAN, "mother_nik": NIK_WOMAN}, "father_nik", "the same"),
        ({"reporter_relationship": "self"}, "reporter_relationship", "Someone else reports"),
        ({"attendant": "shaman"}, "attendant", "valid choice"),
        ({"birth_order": "0"}, "birth_order", "greater than or equal to 1"),
    ],
)
def test_it_refuses_impossible_birth_data(p, client, overrides, field, text):
    response = create(login(client, p.desa_a), "akta-kelahiran", birth(**overrides))
    form = "form" if field.startswith(("subject_", "reporter_")) else "details_form"
    assert_refused(response, field, text, form=form)


def test_it_refuses_a_parent_nik_that_is_the_childs(p, client):
    born = days_ago(10)
    child = nik(born, woman=True, serial="0009")
    response = create(
        login(client, p.desa_a), "akta-kelahiran", birth(subject_nik=child, mother_nik=child)
    )
    assert_refused(response, "mother_nik", "cannot be the child", form="details_form")


def test_it_refuses_a_child_born_before_its_mother(p, client):
    child_born = date(2010, 3, 1)
    mother = nik(date(2012, 6, 1), woman=True)
    response = create(
        login(client, p.desa_a),
        "akta-kelahiran",
        birth(subject_birth_date=child_born.isoformat(), mother_nik=mother),
    )
    assert_refused(response, "mother_nik", "after the child", form="details_form")


def test_it_refuses_a_parent_too_young_to_be_one(p, client):
    mother = nik(date(2005, 1, 1), woman=True)
    response = create(
        login(client, p.desa_a),
        "akta-kelahiran",
        birth(subject_birth_date="2010-01-01", mother_nik=mother),
    )
    assert_refused(response, "mother_nik", "too young", form="details_form")


def death(**overrides) -> dict[str, Any]:
    data = person(
        reporter_relationship="child",
        reporter_nik=NIK_WOMAN,
        reporter_name="Sri Wahyuni",
        death_date=days_ago(3).isoformat(),
        death_place="Rumah",
        cause="illness",
        certified_by="village_head",
        **WITNESSES,
    )
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"death_date": "2999-01-01"}, "death_date", "future"),
        ({"death_date": "1980-01-01"}, "death_date", "before the date of birth"),
        ({"certified_by": ""}, "certified_by", "required"),
    ],
)
def test_it_refuses_impossible_death_data(p, client, overrides, field, text):
    response = create(login(client, p.desa_a), "akta-kematian", death(**overrides))
    assert_refused(response, field, text, form="details_form")


def marriage(**overrides) -> dict[str, Any]:
    data = person(
        groom_name="Slamet Riyadi",
        groom_nik=NIK_MAN,
        groom_birth_date="1990-05-12",
        bride_name="Sri Wahyuni",
        bride_nik=NIK_WOMAN,
        bride_birth_date="1992-08-17",
        marriage_date=days_ago(20).isoformat(),
        religious_leader="Pdt. Yohanes, GKJW Mojokerto",
        married_before="on",
        **WITNESSES,
    )
    data.update(overrides)
    return data


def test_it_records_a_marriage_with_the_keys_the_checklist_reads(p, client):
    create(login(client, p.desa_a), "akta-perkawinan", marriage())
    details = ServiceRequest.objects.get().details
    assert details["groom_birth_date"] == "1990-05-12"
    assert details["bride_birth_date"] == "1992-08-17"
    assert details["married_before"] is True


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"marriage_date": "1991-01-01"}, "marriage_date", "before the birth"),
        ({"marriage_date": "2999-01-01"}, "marriage_date", "future"),
        ({"groom_nik": NIK_WOMAN}, "groom_nik", "woman"),
        ({"bride_birth_date": "1992-08-18"}, "bride_nik", "17-08-92"),
    ],
)
def test_it_refuses_impossible_marriage_data(p, client, overrides, field, text):
    response = create(login(client, p.desa_a), "akta-perkawinan", marriage(**overrides))
    assert_refused(response, field, text, form="details_form")


def test_it_wants_the_subject_of_a_marriage_to_be_a_spouse(p, client):
    other = nik(date(1990, 5, 12), serial="0042")
    response = create(login(client, p.desa_a), "akta-perkawinan", marriage(subject_nik=other))
    assert_refused(response, "subject_nik", "groom or the bride")


def test_it_refuses_a_divorce_decided_in_the_future(p, client):
    data = person(court="PN Mojokerto", decision_number="12/Pdt.G/2026", decision_date="2999-01-01")
    response = create(login(client, p.desa_a), "akta-perceraian", data)
    assert_refused(response, "decision_date", "future", form="details_form")


def test_it_refuses_a_kia_for_an_adult(p, client):
    response = create(login(client, p.desa_a), "kia", person())
    assert_refused(response, "subject_birth_date", "under 17")


def move(**overrides) -> dict[str, Any]:
    data = person(
        destination_address="Jl. Ijen 5",
        destination_rt="1",
        destination_rw="2",
        destination_postcode="65119",
        destination_village="Oro-oro Dowo",
        destination_district="Klojen",
        destination_regency="Kota Malang",
        reason="work",
        **movers_posted((NIK_MAN, "Slamet Riyadi", "1"), (NIK_WOMAN, "Sri Wahyuni", "3")),
        head_name="",
        address="Dusun Krajan",
        rt="2",
        rw="1",
        move_kind="head_and_some",
        kk_status_moving="new",
        kk_status_staying="keep",
        planned_date=days_ago(-14).isoformat(),
    )
    data.update(overrides)
    return data


def test_it_records_who_moves_and_where(p, client):
    create(login(client, p.desa_a), "pindah", move())
    details = ServiceRequest.objects.get().details
    assert details["members"] == [NIK_MAN, NIK_WOMAN]
    assert details["destination_regency_code"] == "35.73"
    assert details["destination_regency"] == "Kota Malang"


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"destination_rt": "x"}, "destination_rt", "A number"),
        ({"destination_postcode": "123"}, "destination_postcode", "five digits"),
        ({"destination_regency": "Atlantis"}, "destination_regency", "not a known"),
        ({"destination_regency": "Malang"}, "destination_regency", "Several match"),
    ],
)
def test_it_refuses_a_bad_move(p, client, overrides, field, text):
    response = create(login(client, p.desa_a), "pindah", move(**overrides))
    assert_refused(response, field, text, form="details_form")


def test_it_refuses_a_bad_mover_and_keeps_the_rows(p, client):
    """F-1.03 (Permendagri 109/2019), KELUARGA YANG PINDAH: a row with an impossible NIK is
    refused at its row, with the form's message at the top; the rows typed are kept."""
    response = create(
        login(client, p.desa_a), "pindah", move(**{"movers-1-nik": "3516013205900001"})
    )
    assert response.status_code == 200
    form = response.context["details_form"]
    assert form.row_sets["movers"].errors[1]["nik"]
    page = response.content.decode()
    assert "check the rows marked below" in page
    assert 'value="Sri Wahyuni"' in page
    assert not ServiceRequest.objects.exists()


def test_it_refuses_an_unknown_origin_of_an_arrival(p, client):
    data = person(skpwni_number="SKPWNI/3573/2026/01", origin_regency="Nowhere", origin_address="X")
    response = create(login(client, p.desa_a), "kedatangan", data)
    assert_refused(response, "origin_regency", "not a known", form="details_form")


# --- reporting limits: a warning, never an error ------------------------------------------------


def test_it_warns_that_a_late_birth_needs_the_late_registration_procedure(p, client):
    login(client, p.desa_a)
    create(client, "akta-kelahiran", birth(subject_birth_date=days_ago(75).isoformat()))
    request = ServiceRequest.objects.get()
    page = client.get(edit_url(request)).content.decode()
    assert "late-registration procedure applies" in page
    assert "75 days" in page


def test_it_does_not_warn_within_the_limit(p, client):
    login(client, p.desa_a)
    create(client, "akta-kelahiran", birth(subject_birth_date=days_ago(60).isoformat()))
    page = client.get(edit_url(ServiceRequest.objects.get())).content.decode()
    assert "late-registration" not in page


def test_it_warns_about_a_death_reported_after_thirty_days(p, client):
    login(client, p.desa_a)
    create(client, "akta-kematian", death(death_date=days_ago(31).isoformat()))
    page = client.get(edit_url(ServiceRequest.objects.get())).content.decode()
    assert "legal limit of 30 days" in page


# --- pre-filling from an earlier request ------------------------------------------------------


def test_it_fills_the_form_from_an_earlier_request_of_the_same_nik(p, client):
    make_draft(p.desa_a, subject_name="Bambang Sutejo", subject_birth_place="Jombang")
    response = login(client, p.desa_a).get(
        reverse("request_create", args=["kk-baru"]), {"nik": NIK_MAN}
    )
    page = response.content.decode()
    assert 'value="Bambang Sutejo"' in page
    assert 'value="Jombang"' in page
    assert "Filled in from the request of" in page


def test_a_kk_baru_fills_the_members_known_of_the_person_s_kk(p, client):
    """F-1.01 (Permendagri 109/2019) lists every member: those of the person's KK known from
    earlier requests (here the wife, reporter of an earlier request) are filled in as rows,
    with the sex and date of birth their NIK holds, and can be ticked away. Another village's
    requests are never read."""
    make_draft(
        p.desa_a,
        subject_name="Slamet Riyadi",
        reporter_relationship="spouse",
        reporter_nik=NIK_WOMAN,
        reporter_name="Sri Wahyuni",
    )
    response = login(client, p.desa_a).get(
        reverse("request_create", args=["kk-baru"]), {"nik": NIK_MAN}
    )
    page = response.content.decode()
    rows = response.context["details_form"].row_sets["other_members"].forms
    assert rows[0].initial == {
        "name": "Sri Wahyuni",
        "nik": NIK_WOMAN,
        "sex": "P",
        "birth_date": "1992-08-17",
    }
    assert 'name="other_members-0-DELETE"' in page
    assert "1 other people of this KK are filled in" in page
    other = login(client, p.desa_b).get(
        reverse("request_create", args=["kk-baru"]), {"nik": NIK_MAN}
    )
    assert "Sri Wahyuni" not in other.content.decode()


def test_a_row_ticked_away_is_not_stored(p, client):
    """A pre-filled member who is not on the new card is removed by ticking the row."""
    from paradewi.requests.tests.test_detail_forms import NEW_KK

    data = person(**{**NEW_KK, "members_count": "1", "other_members-0-DELETE": "on"})
    response = create(login(client, p.desa_a), "kk-baru", data)
    assert response.status_code == 302, response.context["details_form"].errors
    assert ServiceRequest.objects.get().details["other_members"] == []


def test_it_does_not_fill_from_another_village(p, client):
    make_draft(p.desa_a, subject_name="Bambang Sutejo")
    response = login(client, p.desa_b).get(
        reverse("request_create", args=["kk-baru"]), {"nik": NIK_MAN}
    )
    page = response.content.decode()
    assert "Bambang Sutejo" not in page
    assert "No earlier request of this NIK in this village." in page
    assert f'value="{NIK_MAN}"' in page


def test_it_lets_a_kecamatan_operator_fill_from_a_village_of_its_kecamatan(p, client):
    make_submitted(p.desa_a, subject_name="Bambang Sutejo")
    response = login(client, p.kecamatan_a).get(
        reverse("request_create", args=["kk-baru"]),
        {"nik": NIK_MAN, "village": p.desa_a.area.pk},
    )
    assert 'value="Bambang Sutejo"' in response.content.decode()


def test_it_tells_a_bad_nik_in_the_fill_form(p, client):
    response = login(client, p.desa_a).get(
        reverse("request_create", args=["kk-baru"]), {"nik": "123"}
    )
    assert response.status_code == 200
    assert "16 digits" in response.content.decode()


# --- the edit page ------------------------------------------------------------------------------


def test_it_saves_changed_data_and_stays_on_the_edit_page(p, client):
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        edit_url(request), kk_change(subject_birth_place="Surabaya")
    )
    assert response["Location"] == edit_url(request)
    request.refresh_from_db()
    assert request.subject_birth_place == "Surabaya"
    assert request.details["element_change"] is True


def test_it_keeps_the_saved_data_when_the_change_is_invalid(p, client):
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        edit_url(request), kk_change(subject_birth_place="Surabaya", subject_kk="123")
    )
    assert response.status_code == 200
    assert 'value="Surabaya"' in response.content.decode()
    request.refresh_from_db()
    assert request.subject_birth_place == "Mojokerto"
    assert request.details == {}


def test_it_shows_the_saved_data_in_the_edit_form(p, client):
    login(client, p.desa_a)
    create(client, "pindah", move())
    request = ServiceRequest.objects.get()
    response = client.get(edit_url(request))
    form = response.context["details_form"]
    assert form["destination_regency"].value() == "Kota Malang (35.73)"
    movers = form.row_sets["movers"].forms
    assert [row.initial.get("relationship") for row in movers[:2]] == ["1", "3"]
    assert len(movers) == 4  # the two, and two spare rows
    page = response.content.decode()
    assert 'name="movers-TOTAL_FORMS"' in page
    assert 'value="Sri Wahyuni"' in page
    # Posting the page unchanged saves the same data.
    assert client.post(edit_url(request), move()).status_code == 302


def test_it_shows_only_requirements_that_apply_and_groups_alternatives(p, client):
    request = make_draft(p.desa_a, "kk-hilang-rusak", details={"reason": "lost"})
    page = login(client, p.desa_a).get(edit_url(request)).content.decode()
    assert 'id="req-surat-kehilangan"' in page
    assert 'id="req-kk-rusak"' not in page
    birth_request = make_draft(p.desa_a, "akta-kelahiran")
    page = client.get(edit_url(birth_request)).content.decode()
    assert page.count('class="alternatives"') == 2
    assert 'id="req-sptjm-kelahiran"' in page


def test_it_sends_a_request_that_left_the_village_to_its_detail_page(p, client):
    request = make_submitted(p.desa_a)
    response = login(client, p.desa_a).get(edit_url(request))
    assert response["Location"] == reverse("request_detail", args=[request.pk])


def test_it_builds_the_edit_page_in_a_bounded_number_of_queries(
    p, client, django_assert_max_num_queries
):
    request = make_draft(p.desa_a, "akta-kelahiran")
    upload_all(p.desa_a, request)
    login(client, p.desa_a)
    # Session, user, request, uploads, regency, the access-log row, the possible duplicates:
    # never one per requirement or upload.
    with django_assert_max_num_queries(8):
        response = client.get(edit_url(request))
    assert response.status_code == 200


def test_it_builds_a_returned_edit_page_in_a_bounded_number_of_queries(
    p, client, django_assert_max_num_queries
):
    request = make_submitted(p.desa_a, "akta-kelahiran")
    services.request_return(actor=p.kecamatan_a, request=request, items={"kk": "Blurred"})
    login(client, p.desa_a)
    with django_assert_max_num_queries(9):  # plus the last return (reason and items)
        response = client.get(edit_url(request))
    assert response.status_code == 200


# --- uploads ------------------------------------------------------------------------------------


def test_it_uploads_a_requirement_and_returns_to_the_edit_page(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file("kk.jpg")})
    assert response.status_code == 302
    assert response["Location"] == edit_url(request) + "#req-kk-lama"
    upload = Upload.objects.get(request=request)
    assert upload.requirement_code == "kk-lama"
    page = client.get(response["Location"]).content.decode()
    assert "kk.jpg" in page
    assert "“Kartu Keluarga lama” uploaded." in page


def test_it_returns_only_the_row_to_htmx(p, client):
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        upload_url(request, "kk-lama"),
        {"kk-lama-file": pdf_file("kk.pdf")},
        headers={"hx-request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<div class="req-row" id="req-kk-lama">')
    assert "kk.pdf" in page
    assert "<html" not in page
    assert 'id="missing" hx-swap-oob="true"' in page
    assert Upload.objects.filter(request=request).count() == 1


def test_it_replaces_an_upload_and_keeps_the_old_one(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file("one.jpg")})
    client.post(upload_url(request, "kk-lama"), {"kk-lama-file": pdf_file("two.pdf")})
    assert Upload.objects.filter(request=request).count() == 2
    current = Upload.objects.get(request=request, replaced_at__isnull=True)
    assert current.original_name == "two.pdf"


def bad_files():
    return {
        "html renamed": (
            SimpleUploadedFile("scan.jpg", b"<html><script>alert(1)</script></html>"),
            "Only photos (JPEG, PNG) and PDF files are accepted.",
        ),
        "svg renamed": (
            SimpleUploadedFile("scan.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
            "Only photos (JPEG, PNG) and PDF files are accepted.",
        ),
        "empty": (SimpleUploadedFile("scan.jpg", b""), "empty"),
        "corrupt pdf": (
            SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n garbage without any object"),
            "The PDF is damaged",
        ),
        "corrupt image": (
            SimpleUploadedFile("scan.jpg", b"\xff\xd8\xff\xe0 truncated jpeg"),
            "The image is damaged",
        ),
    }


@pytest.mark.parametrize("case", list(bad_files()))
def test_it_refuses_a_bad_file_next_to_its_requirement(p, client, case):
    file, text = bad_files()[case]
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        upload_url(request, "kk-lama"), {"kk-lama-file": file}, headers={"hx-request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<div class="req-row" id="req-kk-lama">')
    assert text in page
    assert not Upload.objects.exists()


@pytest.mark.parametrize("case", list(bad_files()))
def test_it_refuses_a_bad_file_without_javascript_too(p, client, case):
    file, text = bad_files()[case]
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": file})
    assert response["Location"] == edit_url(request) + "#req-kk-lama"
    page = client.get(response["Location"]).content.decode()
    row = page[page.index('id="req-kk-lama"') :]
    row = row[: row.index('id="req-', 10)]
    assert text in row
    assert "“Kartu Keluarga lama” was not uploaded" in page
    assert not Upload.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(p, client, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    content = pdf_bytes(pages=3)
    assert len(content) > 2000
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        upload_url(request, "kk-lama"),
        {"kk-lama-file": SimpleUploadedFile("big.pdf", content)},
        headers={"hx-request": "true"},
    )
    assert "at most 2.0" in response.content.decode()
    assert not Upload.objects.exists()


def test_it_asks_for_a_file_when_none_is_chosen(p, client):
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        upload_url(request, "kk-lama"), {}, headers={"hx-request": "true"}
    )
    assert "Choose a file to upload." in response.content.decode()


def test_it_answers_404_for_a_requirement_the_service_does_not_have(p, client):
    request = make_draft(p.desa_a)
    response = login(client, p.desa_a).post(
        upload_url(request, "no-such"), {"no-such-file": jpeg_file()}
    )
    assert response.status_code == 404


def test_it_accepts_uploads_and_submissions_only_by_post(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    assert client.get(upload_url(request, "kk-lama")).status_code == 405
    assert client.get(reverse("request_submit", args=[request.pk])).status_code == 405


# --- submitting ---------------------------------------------------------------------------------


def test_it_tells_what_is_missing_when_an_incomplete_request_is_submitted(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file()})
    run_upload_checks()
    response = client.post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == edit_url(request) + "#submit"
    page = client.get(response["Location"]).content.decode()
    assert "Not submitted." in page
    assert "Upload “Formulir Pendaftaran Peristiwa Kependudukan”." in page
    request.refresh_from_db()
    assert request.status == Status.DRAFT


def test_it_submits_a_complete_request_and_goes_to_its_detail_page(p, client):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    response = login(client, p.desa_a).post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.number


def test_it_goes_through_create_upload_and_submit_in_the_pages(p, client):
    login(client, p.desa_a)
    create(client, "kk-hilang-rusak", person(reason="damaged"))
    request = ServiceRequest.objects.get()
    for code in ("f-102", "kk-rusak", "ktp-el"):
        client.post(upload_url(request, code), {f"{code}-file": pdf_file(f"{code}.pdf")})
    response = client.post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    request.refresh_from_db()
    # KK hilang/rusak skips the kecamatan step.
    assert request.status == Status.VERIFIED


# --- returned: fix what is marked and submit again ----------------------------------------------


def returned(p, items, reason="Please fix."):
    request = make_submitted(p.desa_a)
    return services.request_return(actor=p.kecamatan_a, request=request, reason=reason, items=items)


def test_it_fixes_a_returned_request_and_submits_it_again(p, client):
    request = returned(
        p,
        {"kk-lama": "The scan is blurred.", "data": "The place of birth is wrong."},
        reason="Two things to fix.",
    )
    login(client, p.desa_a)
    page = client.get(edit_url(request)).content.decode()
    assert "Two things to fix." in page
    assert "The scan is blurred." in page
    assert "The place of birth is wrong." in page
    assert 'class="req-row req-fix" id="req-kk-lama"' in page

    response = client.post(edit_url(request), kk_change(subject_birth_place="Surabaya"))
    assert response["Location"] == edit_url(request)
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file("new.jpg")})
    assert response.status_code == 302
    run_upload_checks()
    # The changed data now says data elements change: the F-1.06 statement applies, and a
    # requirement without any upload may be added although it was not marked.
    response = client.post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == edit_url(request) + "#submit"
    client.post(upload_url(request, "f-106"), {"f-106-file": pdf_file("f106.pdf")})
    response = client.post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert request.subject_birth_place == "Surabaya"
    assert Upload.objects.get(request=request, replaced_at__isnull=True, requirement_code="kk-lama")


def test_a_returned_request_puts_what_to_fix_first_with_its_upload(p, client):
    request = returned(p, {"kk-lama": "Blurred.\nPhotograph it again in daylight."})
    login(client, p.desa_a)
    page = client.get(edit_url(request)).content.decode()
    box = page[page.index('id="to-fix"') : page.index("</section>", page.index('id="to-fix"'))]
    assert 'id="req-kk-lama"' in box
    assert 'action="' + upload_url(request, "kk-lama") + '"' in box
    assert "Blurred.<br>Photograph it again in daylight." in box
    # The other documents come later, folded; the locked data is text, not greyed-out fields.
    assert page.index('id="req-f-102"') > page.index('id="to-fix"') + len(box)
    assert 'name="subject_name"' not in page
    assert "disabled" not in page
    assert '<details class="card locked" id="data">' in page
    assert request.subject_name in page


def test_a_returned_request_with_its_data_marked_keeps_the_data_form(p, client):
    request = returned(p, {"data": "The place of birth is wrong."})
    login(client, p.desa_a)
    page = client.get(edit_url(request)).content.decode()
    assert 'name="subject_birth_place"' in page
    assert 'href="#data"' in page


def test_it_lets_only_the_marked_uploads_be_replaced(p, client):
    request = returned(p, {"kk-lama": "Blurred."})
    login(client, p.desa_a)
    page = client.get(edit_url(request)).content.decode()
    assert 'action="' + upload_url(request, "kk-lama") + '"' in page
    assert 'action="' + upload_url(request, "f-102") + '"' not in page
    response = client.post(
        upload_url(request, "f-102"), {"f-102-file": jpeg_file()}, headers={"hx-request": "true"}
    )
    assert "Only the documents marked to fix can be replaced." in response.content.decode()
    assert not Upload.objects.filter(request=request, replaced_at__isnull=False).exists()


def test_it_locks_the_data_when_it_was_not_marked(p, client):
    request = returned(p, {"kk-lama": "Blurred."})
    login(client, p.desa_a)
    response = client.get(edit_url(request))
    assert response.context["form"]["subject_name"].field.disabled
    response = client.post(edit_url(request), kk_change(subject_name="Someone Else"))
    assert response["Location"] == edit_url(request)
    request.refresh_from_db()
    assert request.subject_name == "Slamet Riyadi"


def test_it_lets_everything_change_when_only_a_general_reason_was_given(p, client):
    request = returned(p, {}, reason="Check everything.")
    login(client, p.desa_a)
    client.post(edit_url(request), kk_change(subject_birth_place="Surabaya"))
    request.refresh_from_db()
    assert request.subject_birth_place == "Surabaya"


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["desa_b", "desa_c", "kecamatan_a", "kecamatan_c", "clerk", "head", "viewer", "admin"],
)
def test_nobody_outside_the_village_touches_its_draft(p, client, persona):
    request = make_draft(p.desa_a)
    login(client, getattr(p, persona))
    assert client.get(edit_url(request)).status_code == 404
    assert client.post(edit_url(request), kk_change()).status_code == 404
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file()})
    assert response.status_code == 404
    assert client.post(reverse("request_submit", args=[request.pk])).status_code == 404
    assert not Upload.objects.exists()
    request.refresh_from_db()
    assert request.status == Status.DRAFT


@pytest.mark.parametrize("persona", ["clerk", "head", "viewer", "admin"])
def test_only_village_and_kecamatan_officers_open_the_create_pages(p, client, persona):
    login(client, getattr(p, persona))
    assert client.get(reverse("request_new")).status_code == 404
    assert client.get(reverse("request_create", args=["kk-baru"])).status_code == 404
    assert create(client, "kk-perubahan", kk_change()).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_it_sends_an_anonymous_visitor_to_the_login_page(p, client):
    response = client.get(reverse("request_new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_kecamatan_may_not_fix_a_returned_request_of_its_village(p, client):
    # The village fixes it: a kecamatan operator's submission skips the kecamatan's check.
    request = returned(p, {"kk-lama": "Blurred."})
    uploads = Upload.objects.filter(request=request).count()
    login(client, p.kecamatan_a)
    assert client.get(edit_url(request)).status_code == 404
    assert client.post(edit_url(request), kk_change()).status_code == 404
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file()})
    assert response.status_code == 404
    assert client.post(reverse("request_submit", args=[request.pk])).status_code == 404
    request.refresh_from_db()
    assert request.status == Status.RETURNED
    assert Upload.objects.filter(request=request).count() == uploads


def test_the_kecamatan_fixes_a_request_it_made_itself(p, client):
    request = make_submitted(p.kecamatan_a, village=p.desa_a.area)
    assert request.status == Status.VERIFIED
    services.request_return(actor=p.clerk, request=request, items={"kk-lama": "Blurred."})
    login(client, p.kecamatan_a)
    assert client.get(edit_url(request)).status_code == 200
    response = client.post(upload_url(request, "kk-lama"), {"kk-lama-file": jpeg_file()})
    assert response.status_code == 302
    run_upload_checks()
    client.post(reverse("request_submit", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Status.VERIFIED
