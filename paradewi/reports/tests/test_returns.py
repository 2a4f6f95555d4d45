"""What requests are returned for, per village: counts per requirement, the return rate, the
order of the villages, and who sees which villages."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.tests.factories import make_submitted

WIB = ZoneInfo("Asia/Jakarta")
PERIOD = {"period": "2026-03"}


def at(day, hour):
    return time_machine.travel(datetime(2026, 3, day, hour, tzinfo=WIB), tick=False)


def submitted(officer, count, first):
    return [
        make_submitted(officer, subject_nik=f"35160112059{first + n:05d}") for n in range(count)
    ]


@pytest.fixture
def history(personas):
    """Desa A: five requests, two returned (one of them twice). Desa B: five, one returned
    for its data. Desa C (another kecamatan): one, never returned."""
    p = personas
    with at(2, 9):
        a = submitted(p.desa_a, 5, 10)
        b = submitted(p.desa_b, 5, 20)
        submitted(p.desa_c, 1, 30)
    with at(2, 10):
        first = services.request_return(
            actor=p.kecamatan_a,
            request=a[0],
            items={"f-102": "Belum ditandatangani", "kk-lama": "Buram"},
        )
        services.request_return(actor=p.kecamatan_a, request=a[1], items={"kk-lama": "Terpotong"})
        services.request_return(actor=p.kecamatan_a, request=b[0], items={"data": "Nama salah"})
    with at(2, 11):
        again = services.request_submit(actor=p.desa_a, request=first)
    with at(2, 12):
        services.request_return(actor=p.kecamatan_a, request=again, reason="Data tidak cocok")
    with at(5, 8):
        refresh_activity()
    return p


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def test_villages_come_with_their_rate_and_most_frequent_reasons(history, en):
    en.force_login(history.head)
    with at(5, 9):
        page = en.get(reverse("reports_returns"), PERIOD)
    report = page.context["report"]
    assert (report.submitted, report.returned_requests) == (11, 3)
    rows = [(v.name, v.submitted, v.returned_requests, v.returns) for v in report.villages]
    # Highest rate first; a village with fewer than five requests after the others.
    assert rows == [
        ("Desa Tawangrejo", 5, 2, 3),
        ("Desa Rejosari", 5, 1, 1),
        ("Desa Gumeng", 1, 0, 0),
    ]
    tawangrejo = report.villages[0]
    assert tawangrejo.rate == pytest.approx(0.4)
    assert [(r.requirement, r.service, r.returns) for r in tawangrejo.top] == [
        ("Kartu Keluarga lama", "Kartu Keluarga (KK) perubahan data", 2),
        ("A general reason (no requirement named)", "", 1),
        ("Formulir Pendaftaran Peristiwa Kependudukan", "Kartu Keluarga (KK) perubahan data", 1),
    ]
    assert [r.requirement for r in report.villages[1].top] == ["The data typed in"]
    html = page.content.decode()
    assert "Kartu Keluarga lama" in html
    assert "40.0 %" in html
    # The reasons' text stays with the request.
    assert "Buram" not in html
    assert "Nama salah" not in html


def test_a_kecamatan_sees_its_villages_and_a_village_itself(history, en):
    with at(5, 9):
        en.force_login(history.kecamatan_a)
        names = [
            v.name for v in en.get(reverse("reports_returns"), PERIOD).context["report"].villages
        ]
        assert names == ["Desa Tawangrejo", "Desa Rejosari"]
        en.force_login(history.desa_b)
        report = en.get(reverse("reports_returns"), PERIOD).context["report"]
        assert [v.name for v in report.villages] == ["Desa Rejosari"]
        assert [r.requirement for r in report.reasons] == ["The data typed in"]
        assert en.get(reverse("reports_returns"), {"area": "35.16.01.2001"}).status_code == 404
        en.force_login(history.kecamatan_c)
        report = en.get(reverse("reports_returns"), PERIOD).context["report"]
        assert [v.name for v in report.villages] == ["Desa Gumeng"]
        assert report.reasons == []
        assert en.get(reverse("reports_returns_xlsx"), {"area": "35.16.01"}).status_code == 404


def test_the_export_lists_the_top_three_and_every_reason(history, en):
    en.force_login(history.kecamatan_a)
    with at(5, 9):
        response = en.get(reverse("reports_returns_xlsx"), PERIOD)
    assert 'filename="pengembalian-35.16.01-2026-03.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Returns", "Villages", "Reasons per village", "Reasons in the area"]
    villages = list(book["Villages"].iter_rows(values_only=True))
    assert villages[1][:7] == (
        "35.16.01.2001",
        "Desa Tawangrejo",
        "Kecamatan Jatirejo",
        5,
        2,
        0.4,
        3,
    )
    assert villages[1][7:10] == ("Kartu Keluarga lama", "Kartu Keluarga (KK) perubahan data", 2)
    every = list(book["Reasons per village"].iter_rows(min_row=2, values_only=True))
    assert len(every) == 4
    area = {
        row[0]: row[2] for row in book["Reasons in the area"].iter_rows(min_row=2, values_only=True)
    }
    assert area["Kartu Keluarga lama"] == 2
    assert area["The data typed in"] == 1
