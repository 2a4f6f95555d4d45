"""Which documents a request needs, route by route, as the regulations set them.

Each test names its source: Perpres 96/2018, Permendagri 108/2019, SE Dirjen Dukcapil
470/13287/Dukcapil of 28 September 2021, UU 1/1974 as amended by UU 16/2019, UU 24/2013.
"""

from __future__ import annotations

from datetime import date

import pytest

from paradewi.requests.forms import BirthForm, NewFamilyCardForm, PersonForm
from paradewi.requests.models import Upload
from paradewi.requests.requirements import checklist
from paradewi.requests.tests.factories import NIK_MAN, NIK_WOMAN, make_draft
from paradewi.requests.tests.test_detail_forms import BIRTH


@pytest.fixture
def p(personas):
    return personas


def applying(request) -> set[str]:
    return {item.code for item in checklist(request, uploads=[]).items if item.applies}


KK_BARU_ROUTES = {
    "marriage": {"buku-nikah"},
    "marriage_unrecorded": {"sptjm-perkawinan-belum-tercatat"},
    "divorce": {"akta-perceraian"},
    "divorce_unrecorded": {"sptjm-perceraian-belum-tercatat"},
    "head_died": {"akta-kematian-kepala-keluarga", "kk-lama"},
    "split": {"kk-lama", "ktp-el-pisah"},
}


@pytest.mark.parametrize(("reason", "documents"), sorted(KK_BARU_ROUTES.items()))
def test_kk_baru_asks_for_the_documents_of_the_reason_chosen(p, reason, documents):
    """Permendagri 108/2019 Pasal 10 (Perpres 96/2018 Pasal 11): a new family after a recorded
    marriage or divorce (buku nikah / akta perceraian) or an unrecorded one (SPTJM perkawinan/
    perceraian belum tercatat, F-1.05); the death of the head of the family (akta kematian and
    the old KK); a separate KK at the same address (the old KK and the KTP-el that proves 17
    years or married, ayat (4)). The reason decides; nothing of another route is asked."""
    request = make_draft(p.desa_a, "kk-baru", details={"reason": reason, "moved_in": False})
    assert applying(request) == {"f-101", *documents}


def test_kk_baru_asks_for_the_skpwni_only_when_a_member_moved_in(p):
    """Perpres 96/2018 Pasal 11: the surat keterangan pindah for members who moved in."""
    request = make_draft(p.desa_a, "kk-baru", details={"reason": "split", "moved_in": True})
    assert "skpwni" in applying(request)


def test_the_unrecorded_routes_name_form_f105(p):
    """Permendagri 109/2019: F-1.05 is the SPTJM perkawinan/perceraian belum tercatat."""
    request = make_draft(p.desa_a, "kk-baru", details={"reason": "marriage_unrecorded"})
    item = checklist(request, uploads=[]).item("sptjm-perkawinan-belum-tercatat")
    assert item is not None
    assert item.form_code == "F-1.05"


def test_the_kk_baru_form_offers_the_six_routes_and_refuses_others():
    """Permendagri 108/2019 Pasal 10: the reasons are the legal causes, no "other"."""
    choices = [value for value, _label in NewFamilyCardForm().fields["reason"].widget.choices]
    assert choices == ["", *KK_BARU_ROUTES]
    form = NewFamilyCardForm({"reason": "other"})
    assert not form.is_valid()
    assert form.errors["reason"] == ["Choose one of the reasons in the list."]


@pytest.mark.parametrize(
    ("reason", "document"), [("lost", "surat-kehilangan"), ("damaged", "kk-rusak")]
)
def test_kk_hilang_rusak_also_needs_the_ktp_el(p, reason, document):
    """Perpres 96/2018 Pasal 13: the police letter or the damaged KK, and the KTP-el."""
    request = make_draft(p.desa_a, "kk-hilang-rusak", details={"reason": reason})
    assert applying(request) == {"f-102", document, "ktp-el"}


@pytest.mark.parametrize("code", ["akta-kelahiran", "akta-perkawinan"])
def test_no_witness_ktp_el_is_asked(p, code):
    """SE Dirjen Dukcapil 470/13287/Dukcapil (28 September 2021): the witnesses' KTP-el is not
    attached, "identitas saksi sudah tercantum dalam formulir F-2.01". The marriage
    requirements of Perpres 96/2018 do not list it either."""
    request = make_draft(p.desa_a, code, subject_nik="" if code == "akta-kelahiran" else NIK_MAN)
    codes = [spec["code"] for spec in request.definition["requirements"]]
    assert not [c for c in codes if "saksi" in c]


def test_a_birth_of_known_parents_asks_for_their_marriage_proof(p):
    """Perpres 96/2018 (pencatatan kelahiran): surat keterangan lahir or SPTJM (F-2.03), and
    buku nikah or SPTJM pasangan (F-2.04); a request stored without a reason is of known
    parents."""
    for details in ({"reason": "parents_known"}, {}):
        request = make_draft(p.desa_a, "akta-kelahiran", details=details, subject_nik="")
        found = applying(request)
        assert {"buku-nikah", "sptjm-pasangan"} <= found
        assert "berita-acara-kepolisian" not in found


def test_a_child_of_unknown_origin_is_registered_on_the_police_report(p):
    """Perpres 96/2018; SE Dirjen Dukcapil 470/13287/Dukcapil (2021): "berita acara dari
    kepolisian bagi anak yang tidak diketahui asal usulnya/keberadaan orang tuanya", instead of
    the parents' marriage proof."""
    request = make_draft(
        p.desa_a, "akta-kelahiran", details={"reason": "unknown_origin"}, subject_nik=""
    )
    found = applying(request)
    assert "berita-acara-kepolisian" in found
    assert not {"buku-nikah", "sptjm-pasangan"} & found
    assert {"surat-keterangan-lahir", "sptjm-kelahiran"} <= found  # still one of the two


def birth_forms(**details):
    person = PersonForm(
        {
            "subject_kk": "3516010101200003",
            "subject_name": "Bayi Perempuan",
            "subject_sex": "P",
            "subject_birth_place": "Mojokerto",
            "subject_birth_date": "2026-11-01",
            "reporter_relationship": "other",
            "reporter_nik": NIK_MAN,
            "reporter_name": "Slamet Riyadi",
        },
        service_code="akta-kelahiran",
    )
    # What F-2.01 asks beyond the parents (test_detail_forms.BIRTH), the parents as given here.
    parents = ("mother_nik", "mother_name", "father_nik", "father_name", "father_birth_place")
    data = {
        **{key: value for key, value in BIRTH.items() if key not in parents},
        "mother_name": "Sri Wahyuni",
        **details,
    }
    form = BirthForm(data, person=person)
    person.is_valid()
    form.is_valid()
    return form


@pytest.mark.usefixtures("regions")
def test_the_mothers_nik_may_be_empty_only_for_a_child_of_unknown_origin():
    """The parents of a child of unknown origin are not known (Perpres 96/2018)."""
    assert birth_forms(reason="unknown_origin").errors == {}
    refused = birth_forms(reason="parents_known")
    assert refused.errors["mother_nik"] == [
        "Fill in the mother's NIK, or choose a child of unknown origin."
    ]
    assert birth_forms(reason="parents_known", mother_nik=NIK_WOMAN).errors == {}


DEATH_PROOFS = {
    "surat-kematian",  # doctor or kepala desa/lurah
    "surat-keterangan-kepolisian",  # an unidentified body
    "penetapan-pengadilan",  # a missing person, body not found (UU 24/2013 Pasal 44 (4))
    "pernyataan-pengangkut",  # the airline or carrier
    "keterangan-perwakilan-ri",  # died abroad: the Indonesian mission
}


@pytest.mark.parametrize("proof", sorted(DEATH_PROOFS))
def test_any_one_proof_of_death_completes_the_death_proof(p, proof):
    """Perpres 96/2018 (pencatatan kematian); UU 23/2006 jo. UU 24/2013 Pasal 44: a death is
    recorded on the surat kematian, or for an unidentified body on the police's statement, for
    a missing person on the court's decision, for a lost aircraft's passenger on the airline's
    statement, for a death abroad on the Indonesian mission's letter: one of them."""
    request = make_draft(p.desa_a, "akta-kematian")
    state = checklist(request, uploads=[])
    group = {item.code for item in state.items if item.group == "bukti-kematian"}
    assert group == DEATH_PROOFS

    others = [Upload(requirement_code=code) for code in ("f-201", "kk", "ktp-el", proof)]
    assert checklist(request, uploads=others).complete


def marriage(groom_birth: date, bride_birth: date, married: date) -> dict[str, str]:
    return {
        "groom_birth_date": groom_birth.isoformat(),
        "bride_birth_date": bride_birth.isoformat(),
        "marriage_date": married.isoformat(),
    }


def test_the_court_dispensation_counts_the_age_at_the_marriage_date(p):
    """UU 1/1974 Pasal 7 as amended by UU 16/2019: under 19 on the day of the marriage needs
    the court's dispensation, even if 19 by the day it is reported."""
    request = make_draft(
        p.desa_a,
        "akta-perkawinan",
        # The bride was 18 at the marriage (1 June 2025) and is 20 today.
        details=marriage(date(1998, 1, 1), date(2006, 9, 1), date(2025, 6, 1)),
    )
    assert {"dispensasi-kawin", "izin-orang-tua"} <= applying(request)


def test_the_parents_permission_counts_the_age_at_the_marriage_date(p):
    """UU 1/1974 Pasal 6 ayat (2): under 21 at the marriage needs the parents' permission; 21
    at the report does not undo it, and 21 at the marriage needs none even if the report is
    late."""
    young = make_draft(
        p.desa_a,
        "akta-perkawinan",
        details=marriage(date(1998, 1, 1), date(2004, 12, 1), date(2025, 6, 1)),  # 20 then
    )
    assert "izin-orang-tua" in applying(young)
    assert "dispensasi-kawin" not in applying(young)
    grown = make_draft(
        p.desa_a,
        "akta-perkawinan",
        details=marriage(date(1998, 1, 1), date(2004, 1, 1), date(2025, 6, 1)),  # 21 then
    )
    assert not {"izin-orang-tua", "dispensasi-kawin"} & applying(grown)


DEATH = {
    "death_date": "2026-11-30",
    "death_place": "Sungai Brantas, Desa Tawangrejo",
    "cause": "other",
    "certified_by": "other",
}


def death_forms(person: dict[str, str], **details: str):
    from paradewi.requests.forms import DeathForm
    from paradewi.requests.tests.factories import WITNESSES

    person_form = PersonForm(
        {
            "subject_name": "Tidak dikenal",
            "subject_sex": "L",
            "reporter_relationship": "other",
            "reporter_nik": NIK_MAN,
            "reporter_name": "Slamet Riyadi",
            **person,
        },
        service_code="akta-kematian",
    )
    form = DeathForm({**DEATH, **WITNESSES, **details}, person=person_form)
    person_form.is_valid()
    form.is_valid()
    return person_form, form


@pytest.mark.usefixtures("regions")
def test_an_unidentified_body_is_filed_without_nik_kk_or_birth():
    """Perpres 96/2018 (pencatatan kematian); UU 23/2006 jo. UU 24/2013 Pasal 44: the death of
    a person whose identity is unknown is recorded on the police's statement, so its NIK, KK
    and date of birth are not asked; a known person's death still needs them."""
    person, details = death_forms({}, reason="unidentified")
    assert person.errors == {}
    assert details.errors == {}
    person, _details = death_forms({}, reason="identified")
    assert set(person.errors) == {
        "subject_nik",
        "subject_kk",
        "subject_birth_place",
        "subject_birth_date",
    }
    assert person.errors["subject_nik"] == ["Fill this in, or choose an unidentified body."]


def test_an_unidentified_body_asks_no_kk_or_ktp_el(p):
    """The police's statement stands for the identity: no KK or KTP-el of the deceased."""
    known = make_draft(p.desa_a, "akta-kematian", details={"death_date": "2026-11-30"})
    unknown = make_draft(
        p.desa_a,
        "akta-kematian",
        subject_nik="",
        subject_kk="",
        details={"reason": "unidentified", "death_date": "2026-11-30"},
    )

    def applying(request) -> set[str]:
        return {item.code for item in checklist(request, uploads=[]).items if item.applies}

    assert {"kk", "ktp-el"} <= applying(known)
    assert not {"kk", "ktp-el"} & applying(unknown)
    assert "surat-keterangan-kepolisian" in applying(unknown)


def test_the_death_form_of_an_unidentified_body_prints(p):
    """F-2.01 prints with the identity left empty (the police's statement is attached)."""
    from paradewi.documents.official_forms import FORMS, official_form_pdf

    unknown = make_draft(
        p.desa_a,
        "akta-kematian",
        subject_nik="",
        subject_kk="",
        subject_birth_place="",
        subject_birth_date=None,
        details={"reason": "unidentified", "death_date": "2026-11-30"},
    )
    assert official_form_pdf(unknown, FORMS["F-2.01"]).startswith(b"%PDF")
