"""The receipt PDF (bukti pengajuan): contents, layouts, QR link and who may print it."""

from __future__ import annotations

import io
import re
import time
from urllib.parse import urlsplit

import pytest
import segno
from django.urls import reverse
from pypdf import PdfReader

from paradewi.requests import receipts
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tests.factories import NIK_MAN, make_draft, make_submitted
from paradewi.requests.tracking import group_number, make_token


@pytest.fixture
def p(personas):
    return personas


def receipt_url(request, layout=None):
    url = reverse("request_receipt", args=[request.pk])
    return f"{url}?layout={layout}" if layout else url


def get_receipt(client, user, request, layout=None):
    client.force_login(user)
    return client.get(receipt_url(request, layout))


def pdf_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_prints_an_a4_receipt_with_number_pin_and_masked_name(client, p):
    request = make_submitted(p.desa_a)
    response = get_receipt(client, p.desa_a, request)
    reader = pdf_of(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.27, abs=0.1)
    assert float(box.height) == pytest.approx(841.89, abs=0.1)
    text = text_of(reader)
    assert request.number in text
    assert group_number(request.number) in text  # large, in groups for the phone
    assert request.pin in text
    assert "S***** R*****" in text
    assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto" in text
    assert "Kartu Keluarga (KK) perubahan data" in text
    assert "Desa Tawangrejo, Kecamatan Jatirejo" in text
    assert "WIB" in text  # submitted and due times in the local time zone
    assert "/track/" in text


def test_a_one_word_name_is_masked_too(client, p):
    """UU 27/2022 (minimisation): "SUTRISNO" alone is the whole name; with the village and the
    service it identifies the person, so the receipt shows only its initial (core/masking.py)."""
    request = make_submitted(p.desa_a, subject_name="Sutrisno", reporter_name="Sutrisno")
    text = text_of(pdf_of(get_receipt(client, p.desa_a, request)))
    assert "S*******" in text
    assert "SUTRISNO" not in text.upper().replace("S*******", "")


def test_it_never_prints_the_full_name_or_the_nik(client, p):
    request = make_submitted(p.desa_a)
    response = get_receipt(client, p.desa_a, request)
    reader = pdf_of(response)
    text = text_of(reader).upper()
    assert "RIYADI" not in text
    assert NIK_MAN not in text
    assert "RIYADI" not in str(reader.metadata).upper()


def test_the_response_is_an_inline_pdf_that_is_never_cached(client, p):
    request = make_submitted(p.desa_a)
    response = get_receipt(client, p.desa_a, request)
    assert response["Content-Disposition"] == (
        f'inline; filename="bukti-pengajuan-{request.number}.pdf"'
    )
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_it_prints_a_58_mm_thermal_strip_as_long_as_its_content(client, p):
    request = make_submitted(p.desa_a)
    reader = pdf_of(get_receipt(client, p.desa_a, request, "thermal"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(164.4, abs=0.1)  # 58 mm
    assert 300 < float(box.height) < 700
    text = text_of(reader)
    assert request.pin in text
    assert "S***** R*****" in text
    assert re.sub(r"\s", "", request.number) in re.sub(r"\s", "", text)


def test_an_unknown_layout_falls_back_to_a4(client, p):
    request = make_submitted(p.desa_a)
    reader = pdf_of(get_receipt(client, p.desa_a, request, "poster"))
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.27, abs=0.1)


def test_the_qr_code_opens_the_request_s_status_page(client, p, monkeypatch):
    request = make_submitted(p.desa_a)
    encoded = []
    make_qr = segno.make_qr

    def spy(data, **kwargs):
        encoded.append(data)
        return make_qr(data, **kwargs)

    monkeypatch.setattr(segno, "make_qr", spy)
    response = get_receipt(client, p.desa_a, request)
    # The code is drawn as vector squares: many rectangles in the page's content.
    content = PdfReader(io.BytesIO(response.content)).pages[0].get_contents().get_data()
    assert content.count(b" re") > 100
    assert len(encoded) == 1
    url = urlsplit(encoded[0])
    assert url.scheme == "http"
    assert url.netloc == "testserver"
    assert url.path == reverse("track_token", args=[make_token(request)])
    client.logout()
    client.cookies["django_language"] = "en"
    page = client.get(url.path)
    assert page.status_code == 200
    assert group_number(request.number) in page.content.decode()


def test_markup_in_names_prints_as_plain_text(client, p):
    request = make_submitted(p.desa_a, subject_name='<b>Bad</b> & "Co" <font size=40>x')
    masked = '<********* & "*** <**** S********'  # the masked name keeps "<", "&" and '"'
    text = text_of(pdf_of(get_receipt(client, p.desa_a, request, "thermal")))
    assert masked in text
    text = text_of(pdf_of(get_receipt(client, p.desa_a, request)))
    assert masked in text


def test_names_outside_the_built_in_fonts_do_not_break_the_receipt(client, p):
    request = make_submitted(p.desa_a, subject_name="Ñoman 王 Şahin")
    text = text_of(pdf_of(get_receipt(client, p.desa_a, request)))
    assert "Ñ****" in text


def test_the_kecamatan_prints_receipts_of_its_villages(client, p):
    request = make_submitted(p.desa_a)
    assert get_receipt(client, p.kecamatan_a, request).status_code == 200


@pytest.mark.parametrize(
    "persona", ["desa_b", "desa_c", "kecamatan_c", "clerk", "head", "viewer", "admin"]
)
def test_nobody_else_gets_the_receipt(client, p, persona):
    request = make_submitted(p.desa_a)
    assert get_receipt(client, getattr(p, persona), request).status_code == 404


def test_a_draft_has_no_receipt(client, p):
    request = make_draft(p.desa_a)
    assert get_receipt(client, p.desa_a, request).status_code == 404


def test_an_unknown_request_has_no_receipt(client, p):
    assert get_receipt(client, p.desa_a, ServiceRequest(pk=999_999)).status_code == 404


def test_visitors_are_sent_to_log_in(client, p):
    request = make_submitted(p.desa_a)
    response = client.get(receipt_url(request))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_building_a_receipt_is_fast(p):
    request = ServiceRequest.objects.select_related("service_version", "village", "district").get(
        pk=make_submitted(p.desa_a).pk
    )
    url = "https://paradewi.example.org/t/" + make_token(request) + "/"
    receipts.receipt_pdf(request, tracking_url=url, token_url=url)  # warm up imports
    started = time.perf_counter()
    for layout in ("a4", "thermal") * 5:
        receipts.receipt_pdf(request, layout=layout, tracking_url="https://x/track/", token_url=url)
    # Typically ~10 ms each; the bound is loose so a busy test machine does not fail it.
    assert (time.perf_counter() - started) / 10 < 0.25
