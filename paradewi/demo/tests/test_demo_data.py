"""The demo's requests are made of data the pages' own forms accept."""

from __future__ import annotations

from datetime import date

import pytest

from paradewi.demo.requests import Plan, Resident, _plans, validated_plan
from paradewi.documents.official_forms import FORMS, official_form_pdf
from paradewi.requests.details import InvalidRequestData, stored_keys, validated_details
from paradewi.requests.tests.factories import make_draft


def test_every_demo_request_passes_the_forms_a_user_fills(regions):
    """Each plan's person and details validate through PersonForm and the service's detail
    form, and keep only keys those forms store, so a demo form prints what a user's does."""
    for plan in _plans():
        _person, details = validated_plan(plan, phone="081230000000")
        assert set(details) <= stored_keys(plan.service), plan.key


@pytest.mark.parametrize(
    ("service", "wrong"),
    [
        ("pindah", {"destination": "Kota Surabaya", "reason": "Pekerjaan"}),
        ("kk-perubahan", {"change": "Tambah anggota keluarga"}),
        ("akta-kelahiran", {"child_name": "Putri Ayu"}),
    ],
)
def test_a_detail_key_no_form_has_is_refused(regions, service, wrong):
    """The keys the demo once wrote (`destination`/`reason` for pindah, `change` for
    kk-perubahan, `child_name` for births) are no field of the detail forms: refused."""
    person = Resident("Wahyu Hidayat", date(1988, 11, 30), False, 14).person("")
    with pytest.raises(InvalidRequestData, match="unknown detail keys"):
        validated_details(service, person, wrong)


def test_a_value_the_form_refuses_is_refused_with_the_form_s_message(regions):
    person = Resident("Wahyu Hidayat", date(1988, 11, 30), False, 14).person("")
    with pytest.raises(InvalidRequestData, match="reason"):
        validated_details("kk-hilang-rusak", person, {"reason": "stolen"})


def test_the_demo_pindah_fills_the_sections_of_f103(regions, personas):
    """The demo's pindah request prints its destination, reason, kind of move, KK status and
    planned date on F-1.03 (Permendagri 109/2019), not empty sections."""
    plan: Plan = next(plan for plan in _plans() if plan.key == "t-verified")
    person, details = validated_plan(plan, phone="")
    request = make_draft(personas.desa_a, "pindah", details=details, **person)
    text = _text(official_form_pdf(request, FORMS["F-1.03"]))
    for expected in ("Rungkut Kidul", "Kota Surabaya", "Dusun Krajan", "004", "Wahyu Hidayat"):
        assert expected in text
    # The destination's RT/RW and postcode, and every mover's SHDK (Permendagri 109/2019).
    assert "004 / 007" in text
    assert "60293" in text
    grid = text.split("KELUARGA YANG PINDAH")[1]
    assert "Kepala Keluarga" in grid
    assert "Istri" in grid


def test_the_demo_kk_baru_fills_the_other_members_of_f101(regions, personas):
    """The demo's KK baru lists the other member of the new card in F-1.01's grid
    (Permendagri 109/2019), entered through the detail form's rows."""
    plan: Plan = next(plan for plan in _plans() if plan.key == "r-verified-late")
    person, details = validated_plan(plan, phone="")
    (wife,) = details["other_members"]
    assert (wife["sex"], wife["birth_date"]) == ("P", "1997-04-22")  # read from the NIK
    request = make_draft(personas.desa_a, "kk-baru", details=details, **person)
    grid = _text(official_form_pdf(request, FORMS["F-1.01"])).split("ANGGOTA KELUARGA")[-1]
    for expected in ("Dewi Lestari", "Istri", "Guru", "Sulikah", "22-04-1997"):
        assert expected in grid


def test_the_demo_marriage_names_its_two_witnesses(regions, personas):
    """PP 9/1975 Pasal 10 ayat 3: two witnesses; F-2.01 DATA SAKSI I and II prints them."""
    plan: Plan = next(plan for plan in _plans() if plan.key == "r-in-process")
    person, details = validated_plan(plan, phone="")
    request = make_draft(personas.desa_a, "akta-perkawinan", details=details, **person)
    text = _text(official_form_pdf(request, FORMS["F-2.01"]))
    assert "Suparman" in text
    assert "Siti Khotijah" in text


def _text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
