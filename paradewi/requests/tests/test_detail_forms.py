"""The detail forms capture what the official forms of Permendagri 109/2019 ask."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from paradewi.requests.forms import BirthForm, DeathForm, MoveForm, NewFamilyCardForm, PersonForm
from paradewi.requests.tests.factories import KK_NUMBER, NIK_MAN, NIK_WOMAN, WITNESSES

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def bound(form_class, person: dict[str, Any], details: dict[str, Any], service: str):
    person_form = PersonForm(
        {
            "subject_kk": KK_NUMBER,
            "subject_name": "Putri Ayu Lestari",
            "subject_sex": "P",
            "subject_birth_place": "Mojokerto",
            "subject_birth_date": (TODAY - timedelta(days=10)).isoformat(),
            "reporter_relationship": "parent",
            "reporter_nik": NIK_MAN,
            "reporter_name": "Slamet Riyadi",
            **person,
        },
        service_code=service,
    )
    person_form.is_valid()
    form = form_class(details, person=person_form)
    form.is_valid()
    return form


BIRTH = {
    "birth_facility": "polindes",
    "birth_type": "single",
    "birth_order": "1",
    "attendant": "traditional",
    "weight_kg": "3.2",
    "length_cm": "49",
    "mother_nik": NIK_WOMAN,
    "mother_name": "Sri Wahyuni",
    "mother_birth_place": "Mojokerto",
    "father_nik": NIK_MAN,
    "father_birth_place": "Jombang",
    **WITNESSES,
}


def test_a_birth_asks_place_kind_weight_length_and_accepts_a_dukun():
    """F-2.01 (Permendagri 109/2019), KELAHIRAN 3, 7, 9-11: tempat dilahirkan, jenis kelahiran,
    penolong kelahiran (dukun among them), berat and panjang bayi are required."""
    form = bound(BirthForm, {}, BIRTH, "akta-kelahiran")
    assert not form.errors, form.errors
    assert form.to_details()["attendant"] == "traditional"
    assert form.to_details()["weight_kg"] == "3.2"
    for name in ("birth_facility", "birth_type", "weight_kg", "length_cm"):
        missing = bound(BirthForm, {}, {**BIRTH, name: ""}, "akta-kelahiran")
        assert name in missing.errors
    too_heavy = bound(BirthForm, {}, {**BIRTH, "weight_kg": "12"}, "akta-kelahiran")
    assert "weight_kg" in too_heavy.errors


def test_a_parent_s_name_is_the_reporter_s_when_the_reporter_is_that_parent():
    """DATA AYAH / DATA IBU of F-2.01 ask the parents' names, not only their NIKs: the father
    reports here, so his name is known; the mother's is asked."""
    form = bound(BirthForm, {}, BIRTH, "akta-kelahiran")
    assert form.cleaned_data["father_name"] == "Slamet Riyadi"
    missing_mother = bound(BirthForm, {}, {**BIRTH, "mother_name": ""}, "akta-kelahiran")
    assert "mother_name" in missing_mother.errors
    by_mother = bound(
        BirthForm,
        {"reporter_nik": NIK_WOMAN, "reporter_name": "Sri Wahyuni"},
        {**BIRTH, "mother_name": "", "father_name": "Slamet Riyadi"},
        "akta-kelahiran",
    )
    assert not by_mother.errors, by_mother.errors
    assert by_mother.cleaned_data["mother_name"] == "Sri Wahyuni"
    no_father = {**BIRTH, "father_nik": "", "father_birth_place": ""}
    assert not bound(BirthForm, {}, no_father, "akta-kelahiran").errors


def test_births_and_deaths_ask_two_different_witnesses():
    """SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021): the witnesses' identity is
    written in F-2.01 (NIK, name, KK number) instead of a copy of their KTP-el."""
    for name in WITNESSES:
        form = bound(BirthForm, {}, {**BIRTH, name: ""}, "akta-kelahiran")
        assert name in form.errors
    same = {**BIRTH, "witness2_nik": WITNESSES["witness1_nik"]}
    assert "witness2_nik" in bound(BirthForm, {}, same, "akta-kelahiran").errors
    death = {
        "death_date": (TODAY - timedelta(days=2)).isoformat(),
        "death_place": "Rumah",
        "cause": "illness",
        "certified_by": "doctor",
        **WITNESSES,
        "witness1_nik": NIK_WOMAN,
    }
    deceased = {
        "subject_nik": NIK_WOMAN,
        "subject_name": "Sri Wahyuni",
        "subject_birth_date": "1992-08-17",
        "reporter_relationship": "spouse",
    }
    form = bound(DeathForm, deceased, death, "akta-kematian")
    assert "witness1_nik" in form.errors  # the deceased cannot witness
    assert list(form.fields)[-6:] == list(WitnessesOrder)


WitnessesOrder = (
    "witness1_nik",
    "witness1_name",
    "witness1_kk",
    "witness2_nik",
    "witness2_name",
    "witness2_kk",
)

FAMILY = {"head_name": "", "address": "Dusun Krajan", "rt": "2", "rw": "1", "postcode": ""}
NEW_KK = {
    "reason": "marriage",
    **FAMILY,
    "members_count": "2",
    "relationship_in_family": "1",
    "religion": "1",
    "marital_status": "2",
    "education": "5",
    "occupation": "15",
    "blood_type": "13",
    "birth_certificate_number": "3516-LT-12051990-0001",
    "marriage_certificate_number": "0345/012/X/2026",
    "marriage_date": "2026-10-10",
    "disability": "no",
    "mother_nik": "",
    "mother_name": "Sumiati",
    "father_nik": "",
    "father_name": "Kasnadi",
}
ADULT = {
    "subject_nik": NIK_MAN,
    "subject_name": "Slamet Riyadi",
    "subject_sex": "L",
    "subject_birth_date": "1990-05-12",
    "reporter_relationship": "self",
}


def test_f101_data_the_head_s_name_is_pre_filled_from_who_reports():
    """F-1.01 (Permendagri 109/2019), DATA KEPALA KELUARGA: name, address, RT/RW and number of
    members. The head's name left empty is the person's own when they report for themselves,
    the reporter's when the head reports; otherwise it is asked."""
    form = bound(NewFamilyCardForm, ADULT, NEW_KK, "kk-baru")
    assert not form.errors, form.errors
    assert form.cleaned_data["head_name"] == "Slamet Riyadi"
    assert (form.cleaned_data["rt"], form.cleaned_data["rw"]) == ("002", "001")
    spouse = {**ADULT, "reporter_relationship": "spouse", "reporter_nik": NIK_WOMAN}
    spouse["reporter_name"] = "Sri Wahyuni"
    assert "head_name" in bound(NewFamilyCardForm, spouse, NEW_KK, "kk-baru").errors
    assert (
        "blood_type"
        in bound(NewFamilyCardForm, ADULT, {**NEW_KK, "blood_type": "14"}, "kk-baru").errors
    )
    assert "rt" in bound(NewFamilyCardForm, ADULT, {**NEW_KK, "rt": "x"}, "kk-baru").errors


def test_f101_member_data_asks_the_certificates_of_a_recorded_marriage_and_the_parents():
    """F-1.01 (Permendagri 109/2019), items 10-27: the birth certificate, the certificate and
    date of a recorded marriage (Kawin Tercatat) or divorce (Cerai Hidup Tercatat),
    disability, and the parents' names."""
    for name in ("marriage_certificate_number", "marriage_date"):
        assert name in bound(NewFamilyCardForm, ADULT, {**NEW_KK, name: ""}, "kk-baru").errors
    single = {**NEW_KK, "marital_status": "1", "marriage_certificate_number": ""}
    assert not bound(NewFamilyCardForm, ADULT, {**single, "marriage_date": ""}, "kk-baru").errors
    divorced = {**NEW_KK, "marital_status": "4"}
    assert "divorce_date" in bound(NewFamilyCardForm, ADULT, divorced, "kk-baru").errors
    for name in ("disability", "mother_name", "father_name"):
        assert name in bound(NewFamilyCardForm, ADULT, {**NEW_KK, name: ""}, "kk-baru").errors
    man_as_mother = {**NEW_KK, "mother_nik": NIK_MAN}
    assert "mother_nik" in bound(NewFamilyCardForm, ADULT, man_as_mother, "kk-baru").errors


MOVE = {
    **FAMILY,
    "destination_address": "Jl. Kawi 5",
    "destination_village": "Klojen",
    "destination_district": "Klojen",
    "destination_regency": "35.73",
    "reason": "work",
    "members": f"{NIK_MAN}\n{NIK_WOMAN}",
    "move_kind": "head_and_some",
    "kk_status_moving": "new",
    "kk_status_staying": "keep",
    "planned_date": (TODAY + timedelta(days=7)).isoformat(),
}


def test_f103_data_kind_of_move_kk_status_and_planned_date(regions):
    """F-1.03 (Permendagri 109/2019), DATA KEPINDAHAN 4-7: jenis kepindahan, status KK of
    those who stay (not asked when the whole family moves) and of those who move, and the
    planned date; the head alone is one person."""
    assert not bound(MoveForm, ADULT, MOVE, "pindah").errors
    for name in ("move_kind", "kk_status_moving", "planned_date"):
        assert name in bound(MoveForm, ADULT, {**MOVE, name: ""}, "pindah").errors
    staying = {**MOVE, "kk_status_staying": ""}
    assert "kk_status_staying" in bound(MoveForm, ADULT, staying, "pindah").errors
    everyone = bound(MoveForm, ADULT, {**staying, "move_kind": "head_and_all"}, "pindah")
    assert not everyone.errors
    alone = bound(MoveForm, ADULT, {**MOVE, "move_kind": "head"}, "pindah")
    assert "members" in alone.errors


def test_f103_movers_are_given_with_their_names(regions):
    """F-1.03 (Permendagri 109/2019), KELUARGA YANG PINDAH: NIK and name of each mover; a line
    holds the NIK (spaces allowed) and then the name."""
    lines = f"{NIK_MAN} Slamet Riyadi\n3516 0157 0892 0002 Sri Wahyuni"
    form = bound(MoveForm, ADULT, {**MOVE, "members": lines}, "pindah")
    assert not form.errors, form.errors
    details = form.to_details()
    assert details["members"] == [NIK_MAN, NIK_WOMAN]
    assert details["member_names"] == {NIK_MAN: "Slamet Riyadi", NIK_WOMAN: "Sri Wahyuni"}
    assert MoveForm.initial_from(details)["members"] == lines.replace(
        "3516 0157 0892 0002", NIK_WOMAN
    )
    bad = bound(MoveForm, ADULT, {**MOVE, "members": f"{NIK_MAN} Sl4met"}, "pindah")
    assert "members" in bad.errors
