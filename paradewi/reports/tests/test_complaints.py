"""Complaint figures beside U9 of the IKM: the dashboard, the XLSX export and the PDF report,
each scoped to the reader's area."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from paradewi.complaints import services
from paradewi.complaints.tests.factories import file_complaint
from paradewi.regions.models import Region
from paradewi.requests.tests.factories import make_submitted
from paradewi.testing import DISTRICT_C

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA)
PERIOD = "2026-11"


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def filed(personas):
    """Three complaints of Kecamatan Jatirejo (one answered in two hours, one reopened) and
    one of Gondang, in November 2026."""
    with time_machine.travel(MONDAY, tick=False):
        request = make_submitted(personas.desa_a)
        quick = file_complaint(request=request)
        reopened = file_complaint(request=request, category="data_wrong")
        file_complaint(request=request, category="fees")
        file_complaint(district=Region.objects.get(code=DISTRICT_C))
    with time_machine.travel(datetime(2026, 11, 2, 11, 0, tzinfo=JAKARTA), tick=False):
        services.complaint_answer(actor=personas.head, complaint=quick, text="Sudah kami cek.")
        services.complaint_answer(actor=personas.head, complaint=reopened, text="Sudah benar.")
        services.complaint_reopen(complaint=reopened, text="Nama ibu masih salah.")


def _figures(client):
    return client.get(reverse("reports_ikm"), {"period": PERIOD}).context["complaints"]


def test_the_dashboard_shows_the_area_s_complaints(personas, en, filed):
    en.force_login(personas.head)
    figures = _figures(en)
    assert figures.total == 4
    assert figures.first_answer.median == 120
    assert figures.reopened == 1
    en.force_login(personas.kecamatan_a)
    figures = _figures(en)
    assert figures.total == 3
    assert dict(figures.by_category) == {
        "Too slow": 1,
        "Data wrong on the document": 1,
        "Fees asked": 1,
    }
    en.force_login(personas.kecamatan_c)
    assert _figures(en).total == 1
    en.force_login(personas.desa_b)
    assert _figures(en).total == 0


def test_the_viewer_sees_the_figures_and_no_complaint(personas, en, filed):
    en.force_login(personas.viewer)
    page = en.get(reverse("reports_ikm"), {"period": PERIOD})
    html = page.content.decode()
    assert page.context["complaints"].total == 4
    assert "ADU-" not in html  # aggregates only: no complaint number
    assert "Sudah kami cek" not in html


def test_the_export_and_the_report_carry_the_figures(personas, en, filed):
    en.force_login(personas.head)
    book = load_workbook(
        io.BytesIO(en.get(reverse("reports_ikm_xlsx"), {"period": PERIOD}).content)
    )
    assert {"Complaints", "Complaints by group"} <= set(book.sheetnames)
    values = {row[0]: row[1] for row in book["Complaints"].iter_rows(values_only=True)}
    assert values["Complaints filed"] == 4
    assert values["Reopened"] == 1
    pdf = en.get(reverse("reports_pdf"), {"period": PERIOD}).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Complaints (pengaduan)" in text
    assert "Fees asked" in text
