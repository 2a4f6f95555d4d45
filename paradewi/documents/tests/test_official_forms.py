"""Official forms pre-filled from a request: what each prints, who may get it, the links."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from paradewi.documents.official_forms import (
    FORMS,
    FormData,
    form_from_slug,
    form_slug,
    forms_of,
    official_form_pdf,
    tanggal,
)
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    make_draft,
    make_submitted,
)

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
    "birth_time": "08:30",
    "birth_order": 2,
    "attendant": "midwife",
    "mother_nik": NIK_WOMAN,
    "father_nik": NIK_MAN,
}
DECEASED: dict[str, Any] = {
    "subject_name": "Sutrisno",
    "reporter_nik": NIK_WOMAN,
    "reporter_name": "Sri Wahyuni",
    "reporter_relationship": "spouse",
}
DEATH: dict[str, Any] = {
    "death_date": "2026-11-01",
    "death_place": "RSUD Prof. Dr. Soekandar",
    "cause": "illness",
    "certified_by": "village_head",
}
MARRIAGE: dict[str, Any] = {
    "groom_name": "Slamet Riyadi",
    "groom_nik": NIK_MAN,
    "groom_birth_date": "1990-05-12",
    "bride_name": "Sri Wahyuni",
    "bride_nik": NIK_WOMAN,
    "bride_birth_date": "1992-08-17",
    "marriage_date": "2026-10-10",
    "religious_leader": "Pdt. Yohanes Setiawan, GKJW Mojokerto",
    "married_before": False,
}
MOVE: dict[str, Any] = {
    "destination_address": "Jl. Kawi 5",
    "destination_village": "Klojen",
    "destination_district": "Klojen",
    "destination_regency": "Kota Malang",
    "destination_regency_code": "35.73",
    "reason": "work",
    "members": [NIK_MAN, NIK_WOMAN],
}

# Per form: a service that asks for it, its details and person data, and texts the PDF holds.
CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any], list[str]]] = {
    "F-1.01": ("kk-baru", {"reason": "marriage", "moved_in": False}, {}, ["Slamet Riyadi"]),
    "F-1.02": (
        "kk-perubahan",
        {
            "changes": ["add_member", "element"],
            "element_change": True,
            "description": "Anak kedua lahir",
        },
        {},
        ["Slamet Riyadi", "Anak kedua lahir", "Kartu Keluarga lama"],
    ),
    "F-1.03": ("pindah", MOVE, {}, ["Slamet Riyadi", "Jl. Kawi 5", "Kota Malang", NIK_WOMAN]),
    "F-1.06": (
        "perubahan-biodata",
        {"description": "Pekerjaan: petani menjadi wiraswasta"},
        {},
        ["Slamet Riyadi", "petani menjadi wiraswasta"],
    ),
    "F-2.01": ("akta-kelahiran", BIRTH, CHILD, ["Putri Ayu Lestari", "08:30", NIK_WOMAN]),
    "F-2.03": ("akta-kelahiran", BIRTH, CHILD, ["Putri Ayu Lestari", "Slamet Riyadi"]),
    "F-2.04": ("akta-kelahiran", BIRTH, CHILD, ["Putri Ayu Lestari", NIK_WOMAN]),
}


@pytest.fixture
def p(personas):
    return personas


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def form_url(request, code: str) -> str:
    return reverse("official_form", args=[request.pk, form_slug(code)])


def get_form(client, user, request, code):
    client.force_login(user)
    return client.get(form_url(request, code))


def test_every_form_of_the_catalogue_has_a_builder_and_the_registry_has_all_seven():
    assert sorted(FORMS) == ["F-1.01", "F-1.02", "F-1.03", "F-1.06", "F-2.01", "F-2.03", "F-2.04"]
    for code, form in FORMS.items():
        assert form.code == code
        assert form_from_slug(form.slug) is form
    assert form_slug("F-1.01") == "f-1-01"
    assert form_from_slug("f-9-99") is None


def test_each_form_is_built_in_its_own_module():
    for code, form in FORMS.items():
        module = "f" + code[2:].replace(".", "").lstrip("0")
        assert form.build.__module__ == f"paradewi.documents.official_forms.{module}"


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_form_prints_the_request_data_and_the_region(p, code):
    service, details, person, expected = CASES[code]
    request = make_draft(p.desa_a, service, details=details, **person)
    assert FORMS[code] in forms_of(request)

    pdf = official_form_pdf(request, FORMS[code], today=date(2026, 11, 28))

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.27, abs=0.1)  # A4
    assert float(box.height) == pytest.approx(841.89, abs=0.1)
    text = text_of(pdf)
    assert code in text  # top right of every page
    for word in FORMS[code].title.upper().split():
        assert word in text.upper()
    for value in ("Tawangrejo", "Jatirejo", "Kabupaten Mojokerto", "Jawa Timur", "2001"):
        assert value in text
    assert "Dibuat oleh sistem paradewi, Kabupaten Mojokerto, 28 November 2026" in text
    if not code.startswith("F-2.0") or code == "F-2.01":  # the SPTJM: witnesses, no official
        assert "Kepala Desa Tawangrejo" in text
    for value in expected:
        assert value in text
    if person.get("subject_nik", NIK_MAN):
        assert NIK_MAN in text  # digit boxes read as one number


def test_the_f101_fills_nik_kk_birth_and_the_marital_status_box(p):
    request = make_draft(p.desa_a, "kk-baru", details={"reason": "marriage"})
    text = text_of(official_form_pdf(request, FORMS["F-1.01"], today=date(2026, 11, 28)))
    assert NIK_MAN in text
    assert KK_NUMBER in text
    assert "12 Mei 1990" in text
    assert "36 tahun" in text
    assert "FORMULIR BIODATA KELUARGA" in text


def test_the_f201_of_a_death_fills_date_place_cause_and_who_certified(p):
    request = make_draft(p.desa_a, "akta-kematian", details=DEATH, **DECEASED)
    text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
    assert "1 November 2026" in text
    assert "RSUD Prof. Dr. Soekandar" in text
    assert "Sutrisno" in text
    assert "Sri Wahyuni" in text  # the reporter
    assert "KEMATIAN" in text
    assert "KELAHIRAN\n" not in text  # only the section of the reported event


def test_the_f201_of_a_marriage_names_groom_and_bride(p):
    request = make_draft(p.desa_a, "akta-perkawinan", details=MARRIAGE)
    text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
    assert "Slamet Riyadi" in text
    assert "Sri Wahyuni" in text
    assert NIK_WOMAN in text
    assert "10 Oktober 2026" in text
    assert "Pdt. Yohanes Setiawan" in text


def test_the_f201_of_a_divorce_fills_the_court_decision(p):
    details = {
        "court": "Pengadilan Negeri Mojokerto",
        "decision_number": "12/Pdt.G/2026/PN Mjk",
        "decision_date": "2026-10-01",
    }
    request = make_draft(p.desa_a, "akta-perceraian", details=details)
    text = text_of(official_form_pdf(request, FORMS["F-2.01"]))
    assert "Pengadilan Negeri Mojokerto" in text
    assert "12/Pdt.G/2026/PN Mjk" in text
    assert "1 Oktober 2026" in text


def test_the_f103_classifies_a_move_to_another_regency_of_the_province(p):
    request = make_draft(p.desa_a, "pindah", details=MOVE)
    data = FormData.of(request)
    from paradewi.documents.official_forms.f103 import _move_classification

    assert _move_classification(data) == 4
    data.request.details = {**MOVE, "destination_regency_code": "31.71"}
    assert _move_classification(data) == 5


def test_markup_in_the_data_prints_literally(p):
    request = make_draft(
        p.desa_a,
        "kk-perubahan",
        details={"changes": ["element"], "description": "<b>bold</b> & <i>x</i>"},
        subject_name="Siti <b>Aminah</b> & Co",
        subject_birth_place="Desa <br/> Baru",
    )
    for code in ("F-1.02", "F-1.06"):
        text = text_of(official_form_pdf(request, FORMS[code]))
        assert "Siti <b>Aminah</b> & Co" in text
        assert "<b>bold</b> & <i>x</i>" in text


def test_nothing_personal_is_in_the_pdf_metadata(p):
    request = make_submitted(p.desa_a, "kk-perubahan")
    reader = PdfReader(io.BytesIO(official_form_pdf(request, FORMS["F-1.02"])))
    metadata = str(reader.metadata)
    assert request.number in metadata
    assert "Riyadi" not in metadata
    assert NIK_MAN not in metadata


def test_indonesian_dates():
    assert tanggal(date(2026, 8, 17)) == "17 Agustus 2026"
    assert tanggal(None) == ""


# --- the view -----------------------------------------------------------------------------------


def test_the_village_gets_the_form_inline_never_cached(client, p):
    request = make_submitted(p.desa_a, "kk-perubahan")
    response = get_form(client, p.desa_a, request, "F-1.02")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{request.number}-F-1.02.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "Slamet Riyadi" in text_of(response.content)


def test_a_draft_has_a_form_too_named_after_its_id(client, p):
    request = make_draft(p.desa_a, "kk-baru", details={"reason": "marriage"})
    response = get_form(client, p.desa_a, request, "F-1.01")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'inline; filename="draf-{request.pk}-F-1.01.pdf"'


@pytest.mark.parametrize("who", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_those_who_handle_the_request_get_the_form(client, p, who):
    request = make_submitted(p.desa_a, "kk-perubahan")
    assert get_form(client, getattr(p, who), request, "F-1.02").status_code == 200


@pytest.mark.parametrize("who", ["desa_b", "desa_c", "kecamatan_c", "viewer", "admin"])
def test_anyone_else_gets_404(client, p, who):
    request = make_submitted(p.desa_a, "kk-perubahan")
    assert get_form(client, getattr(p, who), request, "F-1.02").status_code == 404


def test_the_dinas_does_not_see_a_draft_form(client, p):
    request = make_draft(p.desa_a, "kk-perubahan")
    assert get_form(client, p.clerk, request, "F-1.02").status_code == 404


def test_logged_out_users_are_sent_to_the_login(client, p):
    request = make_submitted(p.desa_a, "kk-perubahan")
    response = client.get(form_url(request, "F-1.02"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("slug", ["f-1-03", "f-2-01", "f-9-99", "F-1.02", "f-1-02x"])
def test_a_form_the_service_does_not_use_or_that_does_not_exist_is_404(client, p, slug):
    request = make_submitted(p.desa_a, "kk-perubahan")
    client.force_login(p.desa_a)
    url = f"/requests/{request.pk}/forms/{slug}/"
    assert client.get(url).status_code == 404


def test_only_get_is_allowed(client, p):
    request = make_submitted(p.desa_a, "kk-perubahan")
    client.force_login(p.desa_a)
    assert client.post(form_url(request, "F-1.02")).status_code == 405


# --- the links ----------------------------------------------------------------------------------


def test_the_edit_page_links_each_form_requirement_to_its_pre_filled_form(client, p):
    request = make_draft(p.desa_a, "akta-kelahiran", details=BIRTH, **CHILD)
    client.force_login(p.desa_a)
    response = client.get(reverse("request_edit", args=[request.pk]))
    content = response.content.decode()
    for code in ("F-2.01", "F-2.03", "F-2.04"):
        assert form_url(request, code) in content
    # The other requirements (surat keterangan lahir, KK, ...) have no form link.
    assert len(re.findall(r"/forms/f-\d-\d\d/", content)) == 3


def test_the_detail_page_links_the_forms_next_to_their_badge(client, p):
    request = make_submitted(p.desa_a, "kk-perubahan")
    client.force_login(p.desa_a)
    content = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert form_url(request, "F-1.02") in content
    assert form_url(request, "F-1.06") in content  # listed, though not needed here


def test_a_form_code_without_a_builder_gets_no_link(p):
    from django.template import Context, Template

    request = make_draft(p.desa_a, "kk-perubahan")
    template = Template(
        "{% load official_forms %}{% official_form_url req code as url %}[{{ url }}]"
    )
    assert template.render(Context({"req": request, "code": "F-1.99"})) == "[]"
    assert template.render(Context({"req": request, "code": ""})) == "[]"
    rendered = template.render(Context({"req": request, "code": "F-1.02"}))
    assert rendered == f"[{form_url(request, 'F-1.02')}]"
