"""What the official forms print, checked against the regulations behind them.

Permendagri 109/2019 (the forms and their fields), SE Dirjen Dukcapil 470/13287/Dukcapil of
28 September 2021 (witnesses in F-2.01), UU 6/2014 and UU 23/2014 (who has a NIP).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from pypdf import PdfReader

from paradewi.accounts.models import Role
from paradewi.documents.official_forms import FORMS, official_form_pdf
from paradewi.documents.official_forms import options as form_options
from paradewi.regions.models import Region
from paradewi.requests import elements
from paradewi.requests.forms import NewFamilyCardForm
from paradewi.requests.tests.factories import NIK_MAN, NIK_WOMAN, WITNESSES, make_draft
from paradewi.testing import make_user

CHILD: dict[str, Any] = {
    "subject_nik": "",
    "subject_name": "Putri Ayu Lestari",
    "subject_sex": "P",
    "subject_birth_place": "Mojokerto",
    "subject_birth_date": date(2026, 10, 20),
    "reporter_nik": NIK_MAN,
    "reporter_name": "Slamet Riyadi",
    "reporter_relationship": "parent",
}
BIRTH: dict[str, Any] = {
    "birth_facility": "home",
    "birth_time": "08:30",
    "birth_type": "twins",
    "birth_order": 2,
    "attendant": "traditional",
    "weight_kg": "2.75",
    "length_cm": "47.5",
    "mother_nik": NIK_WOMAN,
    "mother_name": "Sri Wahyuni",
    "mother_birth_place": "Sidoarjo",
    "father_nik": NIK_MAN,
    "father_name": "Slamet Riyadi",
    "father_birth_place": "Jombang",
    **WITNESSES,
}
FAMILY: dict[str, Any] = {
    "head_name": "Slamet Riyadi",
    "address": "Dusun Krajan",
    "rt": "002",
    "rw": "001",
    "postcode": "61383",
}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_f201_prints_the_birth_as_the_kelahiran_part_asks(personas):
    """F-2.01 (Permendagri 109/2019), KELAHIRAN: tempat dilahirkan (4 Rumah), jenis kelahiran
    (2 Kembar 2), kelahiran ke-, penolong (3 Dukun), berat and panjang bayi; DATA AYAH and
    DATA IBU with NIK, name, place and date of birth (read from the NIK)."""
    request = make_draft(personas.desa_a, "akta-kelahiran", details=BIRTH, **CHILD)
    text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
    for expected in ("2,75 kg", "47,5 cm", "Sri Wahyuni", "Sidoarjo", "Jombang", "Dukun"):
        assert expected in text
    assert "17 Agustus 1992" in text  # the mother's date of birth, from her NIK
    assert "12 Mei 1990" in text  # the father's


def test_f201_prints_both_witnesses_of_a_birth_and_of_a_death(personas):
    """SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021): the witnesses' identity is
    written in F-2.01 instead of a copy of their KTP-el: NIK, name and KK number of each, and
    their names under their signatures."""
    death = {
        "death_date": "2026-11-01",
        "death_place": "Rumah",
        "cause": "illness",
        "certified_by": "doctor",
        **WITNESSES,
    }
    deceased = {
        "subject_name": "Sutrisno",
        "reporter_nik": NIK_WOMAN,
        "reporter_name": "Sri Wahyuni",
        "reporter_relationship": "spouse",
    }
    for service, details, person in (
        ("akta-kelahiran", BIRTH, CHILD),
        ("akta-kematian", death, deceased),
    ):
        request = make_draft(personas.desa_a, service, details=details, **person)
        text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
        for key in WITNESSES:
            assert WITNESSES[key] in text, (service, key)
        assert f"( {WITNESSES['witness1_name']} )" in text
        assert f"( {WITNESSES['witness2_name']} )" in text


def test_f101_prints_the_head_the_address_the_members_and_the_elements(personas):
    """F-1.01 (Permendagri 109/2019), DATA KEPALA KELUARGA: name, address, RT/RW, postcode and
    the number of members; the applicant's occupation as SIAK numbers it."""
    details = {
        "reason": "marriage",
        "moved_in": False,
        **FAMILY,
        "members_count": 3,
        "relationship_in_family": "1",
        "religion": "1",
        "marital_status": "2",
        "education": "5",
        "occupation": "88",
        "blood_type": "11",
        "birth_certificate_number": "3516-LT-12051990-0001",
        "marriage_certificate_number": "0345/012/X/2026",
        "marriage_date": "2026-10-10",
        "disability": "no",
        "mother_nik": NIK_WOMAN,
        "mother_name": "Sumiati",
        "father_nik": "",
        "father_name": "Kasnadi",
    }
    request = make_draft(personas.desa_a, "kk-baru", details=details)
    text = text_of(official_form_pdf(request, FORMS["F-1.01"]))
    for expected in ("Slamet Riyadi", "Dusun Krajan", "002 / 001", "61383", "3 orang"):
        assert expected in text
    assert "88. Wiraswasta" in text
    for expected in ("3516-LT-12051990-0001", "0345/012/X/2026", "10 Oktober 2026", "Kasnadi"):
        assert expected in text
    assert NIK_WOMAN in text  # the mother's NIK


def test_f103_prints_the_kind_of_move_the_kk_status_and_the_planned_date(personas):
    """F-1.03 (Permendagri 109/2019), DATA KEPINDAHAN 4-7: jenis kepindahan, status KK bagi yang
    tidak pindah / yang pindah, rencana tanggal pindah; DATA DAERAH ASAL with the address."""
    details = {
        **FAMILY,
        "destination_address": "Jl. Kawi 5",
        "destination_village": "Klojen",
        "destination_district": "Klojen",
        "destination_regency": "Kota Malang",
        "destination_regency_code": "35.73",
        "reason": "work",
        "members": [NIK_MAN],
        "member_names": {NIK_MAN: "Slamet Riyadi"},
        "move_kind": "head",
        "kk_status_moving": "new",
        "kk_status_staying": "keep",
        "planned_date": "2026-12-20",
    }
    request = make_draft(personas.desa_a, "pindah", details=details)
    text = text_of(official_form_pdf(request, FORMS["F-1.03"]))
    for expected in ("20 Desember 2026", "Dusun Krajan", "002 / 001", "Slamet Riyadi"):
        assert expected in text
    assert "Kepala Keluarga" in text.split("KELUARGA YANG PINDAH")[1]  # the head's SHDK


def test_f101_prints_every_other_member_in_the_grid(personas):
    """F-1.01 (Permendagri 109/2019), ANGGOTA KELUARGA: each other member with name, NIK, sex,
    place and date of birth and SHDK, then religion, marital status, education, occupation,
    blood type and parents, in the SIAK wording (elements.py), numbered from 2."""
    others = [
        {
            "name": "Sri Wahyuni",
            "nik": NIK_WOMAN,
            "sex": "P",
            "birth_place": "Sidoarjo",
            "birth_date": "1992-08-17",
            "relationship": "3",
            "religion": "1",
            "marital_status": "2",
            "education": "7",
            "occupation": "2",
            "blood_type": "4",
            "mother_name": "Kasiyem",
            "father_name": "Darmo",
        },
        {
            "name": "Bagus Pratama",
            "nik": "",
            "sex": "L",
            "birth_place": "Mojokerto",
            "birth_date": "2026-09-01",
            "relationship": "4",
            "religion": "1",
            "marital_status": "1",
            "education": "1",
            "occupation": "1",
            "blood_type": "13",
            "mother_name": "Sri Wahyuni",
            "father_name": "Slamet Riyadi",
        },
    ]
    details = {**FAMILY, "reason": "marriage", "members_count": 3, "other_members": others}
    request = make_draft(personas.desa_a, "kk-baru", details=details)
    text = text_of(official_form_pdf(request, FORMS["F-1.01"]))
    grid = " ".join(text.split("ANGGOTA KELUARGA LAINNYA")[1].split())  # cells wrap
    for expected in (
        "Sri Wahyuni",
        NIK_WOMAN,
        "Sidoarjo",
        "17-08-1992",
        "Istri",
        "Anak",
        "Bagus Pratama",
        "01-09-2026",
        "Mengurus Rumah Tangga",
        "Akademi/Diploma III/Sarjana",
        "Kawin Tercatat",
        "Belum Kawin",
        "Kasiyem",
        "Darmo",
        "Tidak Tahu",
    ):
        assert expected in grid, expected
    alone = make_draft(personas.desa_a, "kk-baru", details={**FAMILY, "members_count": 1})
    assert "Tidak ada anggota keluarga lain" in text_of(official_form_pdf(alone, FORMS["F-1.01"]))


def test_f103_prints_each_mover_s_shdk_and_the_destination_rt_rw_and_postcode(personas):
    """F-1.03 (Permendagri 109/2019): KELUARGA YANG PINDAH with the SHDK of every mover, not
    only the head's; DATA KEPINDAHAN 2 with the destination's RT/RW and kode pos."""
    details = {
        **FAMILY,
        "destination_address": "Jl. Kawi 5",
        "destination_rt": "004",
        "destination_rw": "002",
        "destination_postcode": "65111",
        "destination_village": "Klojen",
        "destination_district": "Klojen",
        "destination_regency": "Kota Malang",
        "destination_regency_code": "35.73",
        "reason": "work",
        "members": [NIK_MAN, NIK_WOMAN],
        "member_names": {NIK_MAN: "Slamet Riyadi", NIK_WOMAN: "Sri Wahyuni"},
        "member_relationships": {NIK_MAN: "1", NIK_WOMAN: "3"},
        "move_kind": "head_and_some",
        "kk_status_moving": "new",
        "kk_status_staying": "keep",
        "planned_date": "2026-12-20",
    }
    request = make_draft(personas.desa_a, "pindah", details=details)
    text = text_of(official_form_pdf(request, FORMS["F-1.03"]))
    assert "004 / 002" in text
    assert "65111" in text
    grid = text.split("KELUARGA YANG PINDAH")[1]
    assert "Kepala Keluarga" in grid
    assert "Istri" in grid


def test_f201_prints_the_witnesses_of_a_marriage_and_of_a_divorce(personas):
    """PP 9/1975 Pasal 10 ayat 3 (two witnesses of a marriage) and F-2.01 (Permendagri
    109/2019) DATA SAKSI I and II: the witnesses' NIK, name and KK number are printed for a
    marriage, and for a divorce when given."""
    marriage = {
        "groom_name": "Slamet Riyadi",
        "groom_nik": NIK_MAN,
        "groom_birth_date": "1990-05-12",
        "bride_name": "Sri Wahyuni",
        "bride_nik": NIK_WOMAN,
        "bride_birth_date": "1992-08-17",
        "marriage_date": "2026-11-01",
        "religious_leader": "Pdt. Yohanes",
        **WITNESSES,
    }
    divorce = {
        "court": "Pengadilan Negeri Mojokerto",
        "decision_number": "12/Pdt.G/2026/PN Mjk",
        "decision_date": "2026-11-01",
        **WITNESSES,
    }
    for service, details in (("akta-perkawinan", marriage), ("akta-perceraian", divorce)):
        request = make_draft(personas.desa_a, service, details=details)
        text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
        for key in WITNESSES:
            assert WITNESSES[key] in text, (service, key)


def test_nip_is_printed_under_a_lurah_only(personas):
    """A kepala desa is elected by the villagers (UU 6/2014 Pasal 34) and has no NIP; a lurah
    is a civil servant appointed by the bupati (UU 23/2014 Pasal 229), with a NIP."""
    desa = make_draft(personas.desa_a, "kk-perubahan")
    for code in ("F-1.02", "F-1.06"):
        text = text_of(official_form_pdf(desa, FORMS[code]))
        assert "Kepala Desa Tawangrejo" in text
        assert "NIP" not in text
    kelurahan = Region.objects.filter(kind=Region.Kind.KELURAHAN, code__startswith="35.16.").first()
    assert kelurahan is not None
    officer = make_user("desa-kauman", Role.VILLAGE_OFFICER, kelurahan.code)
    lurah = make_draft(officer, "kk-perubahan")
    text = text_of(official_form_pdf(lurah, FORMS["F-1.02"]))
    assert f"Lurah {kelurahan.name}" in text
    assert "NIP." in text


def test_f106_is_headed_as_a_statement(personas):
    """F-1.06 (Permendagri 109/2019) is the SURAT PERNYATAAN PERUBAHAN ELEMEN DATA
    KEPENDUDUKAN, as the catalogue names it and its closing sentence says."""
    request = make_draft(personas.desa_a, "perubahan-biodata", details={"description": "x"})
    text = text_of(official_form_pdf(request, FORMS["F-1.06"]))
    assert "SURAT PERNYATAAN PERUBAHAN ELEMEN DATA KEPENDUDUKAN" in text
    assert "FORMULIR PERNYATAAN" not in text


def test_the_option_lists_are_siak_s_and_one_per_element():
    """SIAK's lists: golongan darah 13 values (A, B, AB, O, with rhesus, Tidak Tahu), the six
    marital statuses of Permendagri 118/2017, seven religions (with Kepercayaan, MK decision
    97/PUU-XIV/2016), ten education levels, 89 occupations. The printed forms and the detail
    forms use the same lists."""
    assert elements.GOLONGAN_DARAH == (
        "A", "B", "AB", "O", "A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-", "Tidak Tahu",
    )  # fmt: skip
    assert len(elements.STATUS_PERKAWINAN) == 6
    assert len(elements.AGAMA) == 7
    assert len(elements.PENDIDIKAN) == 10
    assert len(elements.PEKERJAAN) == 89
    assert elements.PEKERJAAN[87] == "Wiraswasta"
    assert elements.PEKERJAAN[-1] == "Lainnya"
    for name in ("GOLONGAN_DARAH", "STATUS_PERKAWINAN", "AGAMA", "PENDIDIKAN", "SHDK"):
        assert getattr(form_options, name) is getattr(elements, name)
    fields = NewFamilyCardForm.base_fields
    for field, options in (
        ("blood_type", elements.GOLONGAN_DARAH),
        ("religion", elements.AGAMA),
        ("marital_status", elements.STATUS_PERKAWINAN),
        ("education", elements.PENDIDIKAN),
        ("occupation", elements.PEKERJAAN),
        ("relationship_in_family", elements.SHDK),
    ):
        offered = [value for value, _label in fields[field].choices if value]  # type: ignore[attr-defined]
        assert offered == [str(number) for number in range(1, len(options) + 1)]
