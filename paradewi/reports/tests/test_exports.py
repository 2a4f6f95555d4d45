"""XLSX exports and the PDF report: the dashboards' figures, and nothing personal."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from paradewi.reports.services import refresh_activity
from paradewi.surveys.models import SurveyTicket
from paradewi.surveys.tests.factories import answer, handed_over


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def rated(p):
    requests = []
    for number in range(6):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        answer(request, 4 if number % 2 else 3)
        requests.append(request)
    refresh_activity()
    return requests


def query():
    return {"period": f"{timezone.localdate():%Y-%m}"}


def cells(workbook):
    return [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]


def workbook_of(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return load_workbook(io.BytesIO(response.content))


def test_the_speed_export_holds_the_dashboard_figures(p, en, rated):
    en.force_login(p.head)
    response = en.get(reverse("reports_speed_xlsx"), query())
    assert f'filename="kecepatan-35.16-{query()["period"]}.xlsx"' in response["Content-Disposition"]
    book = workbook_of(response)
    assert book.sheetnames == [
        "Service speed",
        "Stages",
        "By area",
        "By service",
        "By month",
        "Corrections (Dinas)",
    ]
    summary = {row[0]: row[1] for row in book["Service speed"].iter_rows(values_only=True)}
    assert summary["Submitted"] == 6
    assert summary["Handed over"] == 6
    areas = {row[1]: row for row in book["By area"].iter_rows(min_row=2, values_only=True)}
    assert areas["Kecamatan Jatirejo"][2] == 6
    assert len(areas) == 18


def test_the_ikm_export_has_exact_values_and_no_ticket_or_resident(p, en, rated):
    en.force_login(p.head)
    book = workbook_of(en.get(reverse("reports_ikm_xlsx"), query()))
    about = {row[0]: row[1] for row in book["Satisfaction (IKM)"].iter_rows(values_only=True)}
    assert about["IKM"] == 87.5
    assert about["Responses"] == 6
    elements = list(book["Elements"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in elements] == [f"U{n}" for n in range(1, 10)]
    assert elements[0][3] == 3.5
    assert elements[0][4] == 0.3889  # NRR x 1/9 with the four decimals of NI
    tabulation = list(book["Tabulation"].iter_rows(min_row=2, values_only=True))
    assert len(tabulation) == 6
    assert sorted(row[-1] for row in tabulation) == [3, 3, 3, 4, 4, 4]
    text = " ".join(cells(book))
    for ticket in SurveyTicket.objects.values_list("ticket", flat=True):
        assert ticket not in text
    for request in rated:
        assert request.number not in text
        assert request.subject_nik not in text
    assert "Slamet Riyadi" not in text


@pytest.mark.parametrize("persona", ["clerk", "kecamatan_a", "desa_a"])
def test_only_the_leadership_gets_the_tabulation_of_answers(p, en, rated, persona):
    en.force_login(getattr(p, persona))
    book = workbook_of(en.get(reverse("reports_ikm_xlsx"), query()))
    assert "Tabulation" not in book.sheetnames
    assert "Elements" in book.sheetnames


def test_the_pdf_report_states_the_method_and_the_figures(p, en, rated):
    en.force_login(p.viewer)
    response = en.get(reverse("reports_pdf"), query())
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Kabupaten Mojokerto" in text
    assert "87.50" in text
    assert "exactly 1/9" in text
    assert "U1 Requirements" in text
    assert "Kecamatan Jatirejo" in text
    assert "Slamet Riyadi" not in text
    for request in rated:
        assert request.number not in text


def test_the_pdf_report_of_a_village_hides_a_small_index(p, en):
    request = handed_over(p)
    answer(request, 4)
    refresh_activity()
    en.force_login(p.desa_a)
    response = en.get(reverse("reports_pdf"), query())
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Fewer than 5 responses" in text
    assert "Desa Tawangrejo" in text


def test_the_tabulation_comes_with_a_month_not_with_a_year(p, en, rated):
    en.force_login(p.head)
    book = workbook_of(
        en.get(reverse("reports_ikm_xlsx"), {"period": f"{timezone.localdate():%Y}"})
    )
    assert "Tabulation" not in book.sheetnames
    about = {row[0]: row[1] for row in book["Satisfaction (IKM)"].iter_rows(values_only=True)}
    assert "export of each month" in about["Tabulation"]


def test_the_ikm_export_gives_the_official_two_decimal_index_with_number_formats(p, en):
    """PermenPAN-RB 14/2017 states the IKM with two decimals (and NI with four): the
    headline is that figure, formatted, with the exact value in a further column; every
    figure of the workbook carries a number format (none is left in General)."""
    for number in range(6):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        # Sums 4x6 + 3 and 3x6 + 4: IKM 25 x (52/9)/6 ... an index with a long expansion.
        answer(request, *([4] * 8 + [3]) if number % 3 else [3] * 8 + [4])
    refresh_activity()
    en.force_login(p.head)
    response = en.get(reverse("reports_ikm_xlsx"), query())
    book = load_workbook(io.BytesIO(response.content))
    rows = {row[0].value: row for row in book["Satisfaction (IKM)"].iter_rows()}
    ikm_row = rows["IKM"]
    exact = ikm_row[2].value
    assert isinstance(exact, float)
    assert ikm_row[1].value == round(exact, 2) != exact
    assert ikm_row[1].number_format == "0.00"
    assert ikm_row[2].number_format == "0.000000"
    assert rows["NI (IKM / 25)"][1].value == round(exact / 25, 4)
    assert rows["NI (IKM / 25)"][1].number_format == "0.0000"
    assert "handed over" in str(rows["Counted by"][1].value)
    for sheet in book.worksheets:
        if sheet.title in ("Tabulation", "Comments"):
            continue
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (sheet.title, cell.coordinate)
