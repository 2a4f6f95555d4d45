"""The detail forms capture what the official forms of Permendagri 109/2019 ask."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from paradewi.requests.details import detail_initial, validated_details
from paradewi.requests.forms import (
    BirthForm,
    DeathForm,
    DivorceForm,
    MarriageForm,
    MoveForm,
    NewFamilyCardForm,
    PersonForm,
)
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    WIFE_ROW,
    WITNESSES,
    movers_posted,
    rows_posted,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def without_rows(posted: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in posted.items() if not name.startswith(f"{key}-")}


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
    **rows_posted("other_members", [WIFE_ROW]),
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
    "destination_rt": "4",
    "destination_rw": "2",
    "destination_postcode": "65111",
    "reason": "work",
    **movers_posted((NIK_MAN, "Slamet Riyadi", "1"), (NIK_WOMAN, "Sri Wahyuni", "3")),
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
    assert alone.non_field_errors()


def test_f103_movers_are_given_with_their_names_and_shdk(regions):
    """F-1.03 (Permendagri 109/2019), KELUARGA YANG PINDAH: NIK, name and SHDK of each mover,
    one row each (the NIK may be typed with spaces); the head of the family is among them
    exactly when the jenis kepindahan says so (DATA KEPINDAHAN 4)."""
    spaced = movers_posted(
        (NIK_MAN, "Slamet Riyadi", "1"), ("3516 0157 0892 0002", "Sri Wahyuni", "3")
    )
    form = bound(MoveForm, ADULT, {**MOVE, **spaced}, "pindah")
    assert not form.errors, form.errors
    details = form.to_details()
    assert "movers" not in details
    assert details["members"] == [NIK_MAN, NIK_WOMAN]
    assert details["member_names"] == {NIK_MAN: "Slamet Riyadi", NIK_WOMAN: "Sri Wahyuni"}
    assert details["member_relationships"] == {NIK_MAN: "1", NIK_WOMAN: "3"}
    assert [row["relationship"] for row in MoveForm.initial_from(details)["movers"]] == ["1", "3"]
    bad = bound(MoveForm, ADULT, {**MOVE, "movers-0-name": "Sl4met"}, "pindah")
    assert bad.row_sets["movers"].errors[0]["name"]
    assert bad.non_field_errors()
    no_shdk = bound(MoveForm, ADULT, {**MOVE, "movers-1-relationship": ""}, "pindah")
    assert no_shdk.row_sets["movers"].errors[1]["relationship"]
    no_head = {**MOVE, "movers-0-relationship": "4"}
    assert "move_kind" in bound(MoveForm, ADULT, no_head, "pindah").errors
    members_only = {**MOVE, "move_kind": "members"}
    assert "move_kind" in bound(MoveForm, ADULT, members_only, "pindah").errors
    twice = {**MOVE, "movers-1-nik": NIK_MAN}
    assert bound(MoveForm, ADULT, twice, "pindah").non_field_errors()
    nobody = {**without_rows(MOVE, "movers"), **movers_posted()}
    assert bound(MoveForm, ADULT, nobody, "pindah").non_field_errors()


def test_f103_destination_rt_rw_and_postcode(regions):
    """F-1.03 (Permendagri 109/2019), DATA KEPINDAHAN 2: the destination's RT/RW and kode pos
    are asked beside its address; the postcode is five digits when given."""
    form = bound(MoveForm, ADULT, MOVE, "pindah")
    details = form.to_details()
    assert (details["destination_rt"], details["destination_rw"]) == ("004", "002")
    assert details["destination_postcode"] == "65111"
    assert (
        "destination_rt" in bound(MoveForm, ADULT, {**MOVE, "destination_rt": ""}, "pindah").errors
    )
    wrong = {**MOVE, "destination_postcode": "6511"}
    assert "destination_postcode" in bound(MoveForm, ADULT, wrong, "pindah").errors
    unknown = bound(MoveForm, ADULT, {**MOVE, "destination_postcode": ""}, "pindah")
    assert not unknown.errors
    names = list(form.fields)
    at = names.index("destination_address")
    assert names[at + 1 : at + 4] == ["destination_rt", "destination_rw", "destination_postcode"]


def test_f101_other_members_are_captured_with_their_siak_elements():
    """F-1.01 (Permendagri 109/2019), ANGGOTA KELUARGA: every other member of the new card with
    name, NIK, sex, place and date of birth, SHDK, religion, marital status, education,
    occupation, blood type and parents, in the SIAK lists (elements.py). Sex and date of
    birth left empty are read from the NIK (the system knows them); typed, they must agree."""
    form = bound(NewFamilyCardForm, ADULT, NEW_KK, "kk-baru")
    assert not form.errors, form.errors
    (wife,) = form.to_details()["other_members"]
    assert wife["sex"] == "P"
    assert wife["birth_date"] == "1992-08-17"
    assert (wife["relationship"], wife["occupation"]) == ("3", "2")
    wrong_sex = {**NEW_KK, "other_members-0-sex": "L"}
    found = bound(NewFamilyCardForm, ADULT, wrong_sex, "kk-baru")
    assert found.row_sets["other_members"].errors[0]["nik"]
    assert found.non_field_errors()
    baby = {**WIFE_ROW, "nik": "", "name": "Putri", "relationship": "4", "marital_status": "1"}
    no_nik = {**without_rows(NEW_KK, "other_members"), **rows_posted("other_members", [baby])}
    found = bound(NewFamilyCardForm, ADULT, no_nik, "kk-baru")
    assert set(found.row_sets["other_members"].errors[0]) == {"sex", "birth_date"}
    for name in ("relationship", "religion", "occupation", "mother_name", "birth_place"):
        missing = {**NEW_KK, f"other_members-0-{name}": ""}
        found = bound(NewFamilyCardForm, ADULT, missing, "kk-baru")
        assert name in found.row_sets["other_members"].errors[0], name


def test_f101_the_count_the_head_and_the_niks_of_the_members_agree():
    """F-1.01 (Permendagri 109/2019), DATA KEPALA KELUARGA 3 and ANGGOTA KELUARGA: the number
    of members is the applicant and the rows; one of them is the Kepala Keluarga (SHDK 1);
    no NIK twice."""
    three = bound(NewFamilyCardForm, ADULT, {**NEW_KK, "members_count": "3"}, "kk-baru")
    assert "members_count" in three.errors
    alone = {**without_rows(NEW_KK, "other_members"), "members_count": "1"}
    assert not bound(NewFamilyCardForm, ADULT, alone, "kk-baru").errors
    two_heads = {**NEW_KK, "other_members-0-relationship": "1"}
    assert bound(NewFamilyCardForm, ADULT, two_heads, "kk-baru").non_field_errors()
    no_head = {**NEW_KK, "relationship_in_family": "2"}
    assert bound(NewFamilyCardForm, ADULT, no_head, "kk-baru").non_field_errors()
    twice = {**NEW_KK, "other_members-0-nik": NIK_MAN, "other_members-0-sex": "L"}
    assert bound(NewFamilyCardForm, ADULT, twice, "kk-baru").non_field_errors()


def test_f101_the_page_offers_a_row_for_each_other_member():
    """F-1.01's grid has a row per member: the page offers as many rows as the family's size
    asks (plus spare ones), from the stored data or the number typed."""
    stored = validated_details("kk-baru", _person(ADULT), _details(NEW_KK))
    initial = detail_initial("kk-baru", {**stored, "members_count": 4})
    form = NewFamilyCardForm(initial=initial)
    assert len(form.row_sets["other_members"].forms) == 5  # 3 others + 2 spare
    assert form.row_sets["other_members"].forms[0].initial["name"] == "Sri Wahyuni"
    posted = NewFamilyCardForm({**NEW_KK, "members_count": "6"})
    assert len(posted.row_sets["other_members"].forms) == 7


def _person(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject_kk": KK_NUMBER,
        "subject_birth_place": "Mojokerto",
        **person,
    }


def _details(posted: dict[str, Any]) -> dict[str, Any]:
    """Posted data as stored details (the rows as a list)."""
    form = bound(NewFamilyCardForm, ADULT, posted, "kk-baru")
    assert not form.errors, form.errors
    details: dict[str, Any] = form.to_details()
    return details


MARRIAGE = {
    "groom_name": "Slamet Riyadi",
    "groom_nik": NIK_MAN,
    "groom_birth_date": "1990-05-12",
    "bride_name": "Sri Wahyuni",
    "bride_nik": NIK_WOMAN,
    "bride_birth_date": "1992-08-17",
    "marriage_date": (TODAY - timedelta(days=5)).isoformat(),
    "religious_leader": "Pdt. Yohanes",
    **WITNESSES,
}


def test_a_marriage_asks_two_witnesses_who_are_not_the_spouses():
    """PP 9/1975 Pasal 10 ayat 3: a marriage takes place before two witnesses; F-2.01
    (Permendagri 109/2019) DATA SAKSI I and II names them (NIK, name, KK number), and since
    SE Dirjen Dukcapil 470/13287/Dukcapil (2021) their KTP-el is not attached."""
    form = bound(MarriageForm, ADULT, MARRIAGE, "akta-perkawinan")
    assert not form.errors, form.errors
    assert form.to_details()["witness1_name"] == "Suparman"
    for name in WITNESSES:
        assert name in bound(MarriageForm, ADULT, {**MARRIAGE, name: ""}, "akta-perkawinan").errors
    bride = {**MARRIAGE, "witness2_nik": NIK_WOMAN}
    assert "witness2_nik" in bound(MarriageForm, ADULT, bride, "akta-perkawinan").errors
    assert list(form.fields)[-6:] == list(WitnessesOrder)


DIVORCE = {
    "court": "Pengadilan Negeri Mojokerto",
    "decision_number": "12/Pdt.G/2026/PN Mjk",
    "decision_date": (TODAY - timedelta(days=5)).isoformat(),
}


def test_a_divorce_takes_witnesses_if_given_in_full():
    """Perpres 96/2018 asks the court decision for a divorce, no witnesses; F-2.01
    (Permendagri 109/2019) has DATA SAKSI for every event, so they are optional for a
    divorce, and a witness given is given in full (NIK, name, KK number)."""
    assert not bound(DivorceForm, ADULT, DIVORCE, "akta-perceraian").errors
    with_witnesses = bound(DivorceForm, ADULT, {**DIVORCE, **WITNESSES}, "akta-perceraian")
    assert not with_witnesses.errors
    assert with_witnesses.to_details()["witness2_kk"] == WITNESSES["witness2_kk"]
    half = {**DIVORCE, "witness1_nik": WITNESSES["witness1_nik"]}
    found = bound(DivorceForm, ADULT, half, "akta-perceraian")
    assert {"witness1_name", "witness1_kk"} <= set(found.errors)
