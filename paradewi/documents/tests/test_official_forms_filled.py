"""F-1.01, F-1.03 and F-2.01 (birth) filled from realistic requests made through the pages,
checked for every field the form asks (Permendagri 109/2019).

With FORMS_SHOTS_DIR set, the pages are also saved as PNG (pypdfium2) to look at them:

    FORMS_SHOTS_DIR=/tmp/shots .venv/bin/python -m pytest -q \
        paradewi/documents/tests/test_official_forms_filled.py

What stays blank on purpose is listed in BLANK_BY_DESIGN (docs/documents.md says why).
"""

from __future__ import annotations

import io
import os
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from paradewi.requests.models import ServiceRequest
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    NIK_WOMAN,
    WITNESSES,
    load_catalogue,
    movers_posted,
    rows_posted,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CHILD_NIK = "3516010109240003"  # a boy born 2024-09-01

# Fields each form leaves for the hand at the counter, or that do not apply to these requests.
BLANK_BY_DESIGN = {
    "F-1.01": (
        "Alamat Sebelumnya (only when the applicant moved in)",
        "Nomor Paspor / Tanggal Berakhir (only a passport holder)",
        "the signatures, the place and date of signing, the village head's name",
    ),
    "F-1.03": (
        "Jenis Permohonan SKPLN (a move within Indonesia)",
        "Status No. KK bagi yang Tidak Pindah (the whole family moves: noted so)",
        "the signatures, the place and date of signing, the village head's name",
    ),
    "F-2.01": (
        "Nomor Dokumen Perjalanan (Indonesians with a NIK)",
        "DATA SUBJEK AKTA KEDUA (a birth has one subject)",
        "the signatures, the place and date of signing, the village head's name",
    ),
}


def _person(**overrides: Any) -> dict[str, Any]:
    return {
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
        **overrides,
    }


NEW_KK = _person(
    reason="marriage",
    head_name="",
    address="Dusun Krajan",
    rt="2",
    rw="1",
    postcode="61374",
    members_count="3",
    relationship_in_family="1",
    religion="1",
    marital_status="2",
    education="5",
    occupation="9",
    blood_type="4",
    birth_certificate_number="3516-LT-12051990-0001",
    marriage_certificate_number="0345/012/VI/2023",
    marriage_date="2023-06-10",
    disability="no",
    mother_nik="3516014403650005",  # born 1965-03-04
    mother_name="Sumiati",
    father_nik="3516012107620006",  # born 1962-07-21
    father_name="Kasnadi",
    **rows_posted(
        "other_members",
        [
            {
                "name": "Sri Wahyuni",
                "nik": NIK_WOMAN,
                "birth_place": "Sidoarjo",
                "relationship": "3",
                "religion": "1",
                "marital_status": "2",
                "education": "7",
                "occupation": "2",
                "blood_type": "1",
                "mother_name": "Kasiyem",
                "father_name": "Darmo",
            },
            {
                "name": "Bagus Pratama",
                "nik": CHILD_NIK,
                "birth_place": "Mojokerto",
                "relationship": "4",
                "religion": "1",
                "marital_status": "1",
                "education": "1",
                "occupation": "1",
                "blood_type": "13",
                "mother_name": "Sri Wahyuni",
                "father_name": "Slamet Riyadi",
            },
        ],
    ),
)
MOVE = _person(
    head_name="",
    address="Dusun Krajan",
    rt="2",
    rw="1",
    postcode="61374",
    destination_address="Jl. Ijen 5",
    destination_rt="1",
    destination_rw="2",
    destination_postcode="65119",
    destination_village="Oro-oro Dowo",
    destination_district="Klojen",
    destination_regency="Kota Malang",
    reason="work",
    move_kind="head_and_all",
    kk_status_moving="keep",
    kk_status_staying="",
    planned_date=(TODAY + timedelta(days=14)).isoformat(),
    **movers_posted(
        (NIK_MAN, "Slamet Riyadi", "1"),
        (NIK_WOMAN, "Sri Wahyuni", "3"),
        (CHILD_NIK, "Bagus Pratama", "4"),
    ),
)
BIRTH = _person(
    subject_nik="",
    subject_name="Putri Ayu Lestari",
    subject_sex="P",
    subject_birth_date=(TODAY - timedelta(days=10)).isoformat(),
    reporter_relationship="parent",
    reporter_nik=NIK_MAN,
    reporter_name="Slamet Riyadi",
    reason="parents_known",
    birth_facility="puskesmas",
    birth_time="08:15",
    birth_type="single",
    birth_order="2",
    attendant="midwife",
    weight_kg="3.1",
    length_cm="49",
    mother_nik=NIK_WOMAN,
    mother_name="Sri Wahyuni",
    mother_birth_place="Sidoarjo",
    father_nik=NIK_MAN,
    father_name="",
    father_birth_place="Mojokerto",
    **WITNESSES,
)


def _made_through_the_pages(client, officer, service: str, data: dict[str, Any]):
    client.force_login(officer)
    response = client.post(
        reverse("request_create", args=[service]),
        {"idempotency_key": str(uuid.uuid4()), **data},
    )
    assert response.status_code == 302, response.context["details_form"].errors
    return ServiceRequest.objects.filter(service__code=service).latest("pk")


def _pdf(client, request: ServiceRequest, code: str) -> bytes:
    slug = code.lower().replace(".", "-")
    response = client.get(reverse("official_form", args=[request.pk, slug]))
    assert response.status_code == 200
    pdf: bytes = response.content
    shots = os.environ.get("FORMS_SHOTS_DIR")
    if shots:
        import pypdfium2

        Path(shots).mkdir(parents=True, exist_ok=True)
        document = pypdfium2.PdfDocument(pdf)
        for number, page in enumerate(document, 1):
            image = page.render(scale=2).to_pil()
            image.save(Path(shots) / f"{code}-{request.service.code}-{number}.png")
    return pdf


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


@pytest.fixture
def officer(personas):
    load_catalogue()
    return personas.desa_a


def test_f101_of_a_new_family_made_through_the_pages(client, officer):
    """F-1.01 (Permendagri 109/2019) of a KK baru after a recorded marriage (Permendagri
    108/2019 Pasal 10): the head, the address, the applicant's data and elements, and every
    other member in the grid, as typed on the page."""
    request = _made_through_the_pages(client, officer, "kk-baru", NEW_KK)
    text = _text(_pdf(client, request, "F-1.01"))
    for expected in (
        "Slamet Riyadi",
        "Dusun Krajan",
        "002 / 001",
        "61374",
        "3 orang",
        "+6281234567890",
        NIK_MAN,
        KK_NUMBER,
        "12 Mei 1990",
        "3516-LT-12051990-0001",
        "0345/012/VI/2023",
        "10 Juni 2023",
        "9. Petani/Pekebun",
        "Sumiati",
        "Kasnadi",
        "3516014403650005",
        "3516012107620006",
        # the other members
        "Sri Wahyuni",
        NIK_WOMAN,
        "17-08-1992",
        "Istri",
        "Bagus Pratama",
        CHILD_NIK,
        "01-09-2024",
        "Anak",
        "Kasiyem",
        "Mengurus Rumah Tangga",
        "Belum/Tidak Bekerja",
    ):
        assert expected in text, expected


def test_f103_of_a_family_moving_made_through_the_pages(client, officer):
    """F-1.03 (Permendagri 109/2019) of a whole family moving to Kota Malang: origin, kind of
    move, KK status, planned date, the destination with RT/RW and postcode, and every mover
    with NIK, name and SHDK."""
    request = _made_through_the_pages(client, officer, "pindah", MOVE)
    text = _text(_pdf(client, request, "F-1.03"))
    for expected in (
        KK_NUMBER,
        "Slamet Riyadi",
        "Dusun Krajan",
        "Jl. Ijen 5",
        "001 / 002",
        "65119",
        "Oro-oro Dowo",
        "Klojen",
        "Kota Malang",
        "JAWA TIMUR",
        "3 orang",
        "seluruh keluarga pindah",
    ):
        assert expected.casefold() in text.casefold(), expected
    grid = text.split("KELUARGA YANG PINDAH")[1]
    for expected in ("Kepala Keluarga", "Istri", "Anak", "Bagus Pratama", CHILD_NIK):
        assert expected in grid, expected


def test_f201_of_a_birth_made_through_the_pages(client, officer):
    """F-2.01 (Permendagri 109/2019) of a birth reported by the father: the reporter, the
    child, both parents (names, places and dates of birth), both witnesses (SE Dirjen
    Dukcapil 470/13287/Dukcapil, 2021) and the KELAHIRAN part."""
    request = _made_through_the_pages(client, officer, "akta-kelahiran", BIRTH)
    text = _text(_pdf(client, request, "F-2.01"))
    for expected in (
        "Putri Ayu Lestari",
        "Slamet Riyadi",
        "Sri Wahyuni",
        "Sidoarjo",
        "17 Agustus 1992",
        "12 Mei 1990",
        "08:15",
        "3,1 kg",
        "49 cm",
        *WITNESSES.values(),
    ):
        assert expected in text, expected
