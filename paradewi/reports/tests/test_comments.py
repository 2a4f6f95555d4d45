"""Residents' comments in the IKM report, its export and the PDF: who reads them, how
they are shown, and that nothing next to them leads back to the resident."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from paradewi.reports.services import refresh_activity
from paradewi.surveys.tests.factories import answer, handed_over

COMMENTS = [
    "Pelayanan cepat, terima kasih.",
    '<script>alert("x")</script> Petugas ramah.',
    '=HYPERLINK("http://example.com","klik")',
    "Antrean lama.\nMohon ditambah kursi.",
    "",
    "Sudah bagus, hubungi saya 081234567890.",
]


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def rated(p):
    """Six requests of desa A rated this month, five of them with a comment."""
    requests = []
    for number, comment in enumerate(COMMENTS):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        answer(request, 3 + number % 2, comment=comment)
        requests.append(request)
    refresh_activity()
    return requests


def month():
    return f"{timezone.localdate():%Y-%m}"


def ikm_page(client, **params):
    return client.get(reverse("reports_ikm"), {"period": month(), **params})


@pytest.mark.parametrize("persona", ["head", "kecamatan_a", "desa_a"])
def test_those_who_answer_for_the_service_read_the_comments(p, en, rated, persona):
    en.force_login(getattr(p, persona))
    page = ikm_page(en)
    comments = page.context["report"].comments
    assert len(comments) == 5
    assert {comment.month for comment in comments} == {timezone.localdate().replace(day=1)}
    # Six answers about the KK change this month: the service is named.
    assert {comment.service for comment in comments} == {"Kartu Keluarga (KK) perubahan data"}
    html = page.content.decode()
    assert "Pelayanan cepat, terima kasih." in html
    assert "Antrean lama.<br>Mohon ditambah kursi." in html
    # Markup is shown as text, never run.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Petugas ramah." in html
    assert '<script>alert("x")</script>' not in html
    # The number was removed when the comment was written.
    assert "081234567890" not in html
    assert "hubungi saya ***" in html


@pytest.mark.parametrize("persona", ["viewer", "clerk"])
def test_the_leadership_viewer_and_the_clerk_read_no_comments(p, en, rated, persona):
    en.force_login(getattr(p, persona))
    page = ikm_page(en)
    assert page.context["report"].comments is None
    html = page.content.decode()
    assert "Pelayanan cepat" not in html
    assert "shown only to the Dinas head, the kecamatan and the village" in html
    book = load_workbook(
        io.BytesIO(en.get(reverse("reports_ikm_xlsx"), {"period": month()}).content)
    )
    assert "Comments" not in book.sheetnames
    pdf = en.get(reverse("reports_pdf"), {"period": month()}).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Pelayanan cepat" not in text


def test_another_village_and_its_kecamatan_do_not_read_them(p, en, rated):
    for persona in ("desa_b", "kecamatan_c"):
        en.force_login(getattr(p, persona))
        page = ikm_page(en)
        assert page.context["report"].comments == []
        assert "Pelayanan cepat" not in page.content.decode()


def test_a_month_with_few_answers_shows_no_comment(p, en):
    for number in range(4):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        answer(request, 4, comment=f"Komentar {number}")
    refresh_activity()
    en.force_login(p.head)
    assert ikm_page(en).context["report"].comments == []


def test_a_service_with_few_answers_that_month_is_not_named(p, en, rated):
    other = handed_over(p, subject_nik="3516011205900020", service_code="kk-hilang-rusak")
    answer(other, 4, comment="Cepat sekali.")
    refresh_activity()
    en.force_login(p.head)
    page = ikm_page(en)
    comments = {comment.text: comment.service for comment in page.context["report"].comments}
    assert comments["Cepat sekali."] is None
    assert comments["Pelayanan cepat, terima kasih."] == "Kartu Keluarga (KK) perubahan data"
    assert "service not named" in page.content.decode()


def test_the_page_shows_the_latest_few_and_the_export_all(p, en, rated, monkeypatch):
    monkeypatch.setattr("paradewi.reports.views.COMMENTS_SHOWN", 3)
    en.force_login(p.head)
    page = ikm_page(en)
    assert len(page.context["report"].comments) == 3
    assert page.context["report"].more_comments
    assert "the export (XLSX) holds every comment" in page.content.decode()
    book = load_workbook(
        io.BytesIO(en.get(reverse("reports_ikm_xlsx"), {"period": month()}).content)
    )
    rows = list(book["Comments"].iter_rows(values_only=True))
    assert rows[0] == ("No.", "Month", "Service", "Comment")
    assert len(rows) == 1 + 5
    assert {row[3] for row in rows[1:]} == {
        text.replace("081234567890", "***") for text in COMMENTS if text
    }
    # A comment that looks like a formula is text in the workbook.
    cell = next(
        cell
        for row in book["Comments"].iter_rows()
        for cell in row
        if "HYPERLINK" in str(cell.value)
    )
    assert cell.data_type == "s"


def test_no_export_puts_anything_personal_next_to_an_answer(p, en, rated):
    en.force_login(p.head)
    personal = set()
    for request in rated:
        request.refresh_from_db()
        personal |= {request.number, request.subject_nik, request.subject_name, request.pin}
        personal |= {request.subject_kk, request.reporter_phone}
    personal |= {p.desa_a.full_name, p.desa_a.username, p.clerk.full_name, p.kecamatan_a.full_name}
    personal.discard("")
    for name in ("reports_ikm_xlsx", "reports_speed_xlsx", "reports_returns_xlsx"):
        book = load_workbook(io.BytesIO(en.get(reverse(name), {"period": month()}).content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                text = " ".join(str(value) for value in row if value is not None)
                for value in personal:
                    assert str(value) not in text, (name, sheet.title, value)
    pdf = en.get(reverse("reports_pdf"), {"period": month()}).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for value in personal:
        assert str(value) not in text


def test_the_pdf_report_carries_a_few_comments(p, en, rated):
    en.force_login(p.kecamatan_a)
    pdf = en.get(reverse("reports_pdf"), {"period": month()}).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Residents' comments" in text
    assert "Pelayanan cepat, terima kasih." in text
    assert '<script>alert("x")</script> Petugas ramah.' in text  # as text
