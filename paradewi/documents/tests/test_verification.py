"""Verifying issued documents: codes, the public page, copies, revocation, supersession, slips."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from paradewi.documents import services as documents_services
from paradewi.documents import slips, verification
from paradewi.documents.models import OutputFile
from paradewi.documents.services import output_revoke
from paradewi.documents.tests.signed import signed
from paradewi.documents.verification import (
    SUPERSEDED,
    check_copy,
    display_code,
    normalise_code,
    verify_code,
)
from paradewi.requests import services
from paradewi.requests.errors import NotAllowedError, WorkflowError
from paradewi.requests.models import ServiceRequest, Transition
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    make_submitted,
    pdf_bytes,
    pdf_file,
)

OTHER_KK = "3516010101200099"
SITE = "https://paradewi.example.go.id"


@pytest.fixture
def p(personas, settings):
    settings.SITE_URL = SITE
    return personas


@pytest.fixture
def resident():
    """A visitor reading the pages in English (the assertions below are on English text)."""
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def in_process(p, **person) -> ServiceRequest:
    """A KK perubahan data of desa A, verified by the kecamatan and held by the clerk."""
    request = make_submitted(p.desa_a, "kk-perubahan", **person)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    return services.request_claim(actor=p.clerk, request=request)


def issue_kk(p, *, data: bytes | None = None, number: str = "", **person) -> OutputFile:
    """Complete a KK request with one issued KK (PDF bytes `data`) and return the output."""
    request = in_process(p, **person)
    upload = SimpleUploadedFile("kk.pdf", data or signed(pdf_bytes(text="KK")), "application/pdf")
    documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", upload, number)]
    )
    return OutputFile.objects.get(request=request)


def page_url(output: OutputFile) -> str:
    return reverse("verify_result", args=[output.verification_code])


def check(client, output, data: bytes, ip="192.0.2.20", name="copy.pdf"):
    return client.post(
        page_url(output),
        {"file": SimpleUploadedFile(name, data, "application/pdf")},
        REMOTE_ADDR=ip,
    )


def fresh(output: OutputFile) -> OutputFile:
    return OutputFile.objects.get(pk=output.pk)


# --- codes and names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "ABCD2345WX00",
        "abcd2345wx00",
        "ABCD-2345-WX00",
        " abcd 2345 wx00 ",
        "ABCD-2345-WXOO",  # the letter O typed for the digit 0
        "abcd\u20132345\u2013wxoo",  # en dashes from a phone keyboard
    ],
)
def test_codes_are_read_whatever_the_case_dashes_spaces_and_look_alikes(typed):
    assert normalise_code(typed) == "ABCD2345WX00"


def test_i_and_l_are_read_as_one():
    assert normalise_code("ABCDIL23WX00") == "ABCD1123WX00"


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD2345WX001", "ABCD2345WXU0", "ABCD2345WX0!"])
def test_anything_else_is_no_code(typed):
    assert normalise_code(typed) is None


def test_codes_are_shown_in_groups_of_four():
    assert display_code("ABCD2345WX00") == "ABCD-2345-WX00"


# --- the public page ----------------------------------------------------------------------------


def test_a_fresh_document_is_valid_with_its_type_number_date_name_and_issuer(p, resident):
    output = issue_kk(p, number="3516010101200003")
    response = resident.get(page_url(output))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Valid document" in content
    assert "Kartu Keluarga" in content
    assert "3516010101200003" in content
    assert timezone.localdate(output.uploaded_at).strftime("%-d %B %Y") in content
    assert "S***** R*****" in content
    assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Mojokerto" in content
    assert display_code(output.verification_code) in content
    result = verify_code(output.verification_code.lower())
    assert result is not None
    assert result.is_valid
    assert result.document_type == "Kartu Keluarga"


def test_without_a_document_number_the_registration_number_is_the_reference(p, resident):
    output = issue_kk(p)
    assert output.document_number == ""
    content = resident.get(page_url(output)).content.decode()
    assert "Registration number" in content
    assert output.request.number in content


@pytest.mark.parametrize("shape", [str.lower, display_code, lambda code: code.replace("0", "O")])
def test_the_page_opens_for_the_code_as_people_type_it(p, resident, shape):
    output = issue_kk(p)
    code = output.verification_code
    response = resident.get(reverse("verify_result", args=[shape(code)]))
    assert response.status_code == 200
    assert "Valid document" in response.content.decode()


@pytest.mark.parametrize("code", ["ZZZZ-ZZZZ-ZZZZ", "not-a-code", "ABCD2345WXU0", "%3Cb%3E"])
def test_unknown_and_garbled_codes_answer_a_clear_404(p, resident, code):
    issue_kk(p)
    response = resident.get(f"/verify/{code}/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "No document has this verification code" in content
    assert "<b>" not in content


def test_the_page_shows_no_personal_data(p, resident):
    output = issue_kk(p, number="AB-12/3")
    request = output.request
    output_revoke(output, actor=p.clerk, reason="Data salah cetak")
    content = resident.get(page_url(output)).content.decode()
    for secret in (
        NIK_MAN,
        KK_NUMBER,
        request.pin,
        "Slamet",
        "Riyadi",
        "SLAMET",
        "081234567890",
        "Mojokerto, 12",  # place and date of birth
        reverse("request_detail", args=[request.pk]),
        "/t/",  # no way from here to the request's status page
    ):
        assert secret not in content, secret


def test_the_public_page_is_not_cached_nor_indexed(p, resident):
    output = issue_kk(p)
    response = resident.get(page_url(output))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    not_found = resident.get("/verify/ZZZZZZZZZZZZ/")
    assert not_found["X-Robots-Tag"] == "noindex, nofollow"


def test_the_public_page_runs_a_bounded_number_of_queries(
    p, resident, django_assert_max_num_queries
):
    output = issue_kk(p)
    resident.get(page_url(output))  # the regency is cached after the first page
    with django_assert_max_num_queries(2):
        response = resident.get(page_url(output))
    assert response.status_code == 200


def test_the_form_leads_to_the_page_of_a_typed_code(p, resident):
    output = issue_kk(p)
    typed = display_code(output.verification_code).lower()
    response = resident.get(reverse("verify"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == page_url(output)
    response = resident.get(reverse("verify"), {"code": "12"})
    assert response.status_code == 200
    assert "This is not a verification code" in response.content.decode()


# --- checking a copy ----------------------------------------------------------------------------


def test_the_issued_pdf_is_identical(p, resident, tmp_path):
    issued = pdf_bytes(text="KK 3516010101200003")
    output = issue_kk(p, data=issued)
    files_before = sorted(Path(tmp_path, "media").rglob("*"))
    response = check(resident, output, issued)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Identical to the document issued." in content
    assert "NOT identical" not in content
    # The file sent to check is not kept.
    assert sorted(Path(tmp_path, "media").rglob("*")) == files_before


def test_a_copy_with_one_byte_changed_is_not_identical(p, resident):
    issued = pdf_bytes(text="KK 3516010101200003")
    output = issue_kk(p, data=issued)
    tampered = bytearray(issued)
    tampered[len(issued) // 2] ^= 0x01  # one bit of one byte, in the middle of the file
    response = check(resident, output, bytes(tampered))
    assert response.status_code == 200
    content = response.content.decode()
    assert "NOT identical: this file differs from what was issued." in content
    assert "Identical to the document issued." not in content


def test_a_file_above_the_output_limit_is_refused(p, settings):
    output = issue_kk(p)
    settings.OUTPUT_MAX_BYTES = 1024
    with pytest.raises(ValidationError):
        check_copy(output, SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000))


def test_an_upload_declared_too_large_is_refused_before_it_is_read(p, resident, settings):
    output = issue_kk(p)
    settings.OUTPUT_MAX_BYTES = 1024
    response = check(resident, output, b"%PDF-" + b"0" * 200_000)
    assert response.status_code == 413


def test_the_check_needs_the_csrf_token(p):
    output = issue_kk(p)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        page_url(output), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1", "application/pdf")}
    )
    assert response.status_code == 403
    page = strict.get(page_url(output))
    token = page.cookies["csrftoken"].value
    response = strict.post(
        page_url(output),
        {
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1", "application/pdf"),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200


# --- rate limits --------------------------------------------------------------------------------


def test_lookups_are_limited_per_client_address(p, resident):
    output = issue_kk(p)
    for _attempt in range(verification.LOOKUP_LIMIT):
        assert resident.get(page_url(output), REMOTE_ADDR="192.0.2.30").status_code == 200
    response = resident.get(page_url(output), REMOTE_ADDR="192.0.2.30")
    assert response.status_code == 429
    assert "Too many checks from this connection" in response.content.decode()
    # Unknown codes count alike, and another address is not affected.
    assert resident.get("/verify/ZZZZZZZZZZZZ/", REMOTE_ADDR="192.0.2.30").status_code == 429
    assert resident.get(page_url(output), REMOTE_ADDR="192.0.2.31").status_code == 200


def test_the_message_is_in_indonesian_for_residents(p):
    output = issue_kk(p)
    client = Client()
    for _attempt in range(verification.CHECK_LIMIT):
        check(client, output, b"%PDF-1", ip="192.0.2.40")
    response = check(client, output, b"%PDF-1", ip="192.0.2.40")
    assert response.status_code == 429
    assert response.headers["Content-Language"] == "id"


def test_file_checks_are_limited_per_client_address(p, resident):
    output = issue_kk(p)
    for _attempt in range(verification.CHECK_LIMIT):
        assert check(resident, output, b"%PDF-1", ip="192.0.2.41").status_code == 200
    assert check(resident, output, b"%PDF-1", ip="192.0.2.41").status_code == 429
    # Looking at the page is still possible.
    assert resident.get(page_url(output), REMOTE_ADDR="192.0.2.41").status_code == 200


# --- revocation ---------------------------------------------------------------------------------


def test_a_revoked_document_shows_when_and_why(p, resident):
    output = issue_kk(p)
    revoked = output_revoke(output, actor=p.clerk, reason="Salah cetak, diganti di kantor Dinas")
    assert revoked.revoked_at is not None
    content = resident.get(page_url(output)).content.decode()
    assert "Revoked: not valid" in content
    assert "Valid document" not in content
    assert "Salah cetak, diganti di kantor Dinas" in content
    assert timezone.localdate(revoked.revoked_at).strftime("%-d %B %Y") in content
    assert "replaced by a newer document" not in content


def test_a_revocation_needs_a_reason_and_happens_once(p):
    output = issue_kk(p)
    with pytest.raises(WorkflowError, match="Say why"):
        output_revoke(output, actor=p.clerk, reason="  ")
    output_revoke(output, actor=p.head, reason="Dicabut")
    with pytest.raises(WorkflowError, match="already revoked"):
        output_revoke(output, actor=p.clerk, reason="Lagi")
    assert fresh(output).revoked_reason == "Dicabut"
    assert fresh(output).revoked_by == p.head


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "viewer", "admin"])
def test_only_the_dinas_may_revoke(p, persona):
    output = issue_kk(p)
    with pytest.raises(NotAllowedError):
        output_revoke(output, actor=getattr(p, persona), reason="Dicabut")
    assert fresh(output).revoked_at is None


@pytest.mark.parametrize("persona", ["desa_a", "desa_b", "kecamatan_a", "viewer", "admin"])
def test_the_revoke_page_is_a_404_for_everyone_but_the_dinas(client, p, persona):
    output = issue_kk(p)
    client.force_login(getattr(p, persona))
    url = reverse("output_revoke", args=[output.request_id, output.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"reason": "Dicabut", "confirm": "on"})
    assert response.status_code == 404
    assert fresh(output).revoked_at is None


@pytest.mark.parametrize("persona", ["clerk", "head"])
def test_the_dinas_revokes_after_confirming(client, p, persona):
    output = issue_kk(p)
    client.force_login(getattr(p, persona))
    url = reverse("output_revoke", args=[output.request_id, output.pk])
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {"reason": "Dicabut"})
    assert unconfirmed.status_code == 200
    assert fresh(output).revoked_at is None
    response = client.post(url, {"reason": "Dicabut", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("request_detail", args=[output.request_id])
    assert fresh(output).revoked_reason == "Dicabut"
    # A revocation changes no status: the request's history stays as it was.
    assert not Transition.objects.filter(request=output.request, action="revoke").exists()


def test_the_revoke_page_of_another_request_is_a_404(client, p):
    output = issue_kk(p)
    other = issue_kk(p, subject_kk=OTHER_KK)
    client.force_login(p.clerk)
    url = reverse("output_revoke", args=[other.request_id, output.pk])
    assert client.post(url, {"reason": "Dicabut", "confirm": "on"}).status_code == 404
    assert fresh(output).revoked_at is None


# --- supersession -------------------------------------------------------------------------------


def test_a_new_kk_of_the_same_kk_number_supersedes_the_earlier_one(p, resident):
    first = issue_kk(p)
    second = issue_kk(p, subject_nik="3516015708920002", subject_name="Siti Aminah")
    first, second = fresh(first), fresh(second)
    assert first.revoked_at is not None
    assert first.revoked_reason == SUPERSEDED
    assert first.superseded_by == second
    assert second.revoked_at is None
    content = resident.get(page_url(first)).content.decode()
    assert "Revoked: not valid" in content
    assert "It was replaced by a newer document." in content
    # Nothing of the newer document: not its code, not its holder's name.
    assert second.verification_code not in content
    assert display_code(second.verification_code) not in content
    assert "S*** A*****" not in content
    assert SUPERSEDED not in content


def test_a_kk_of_another_kk_number_supersedes_nothing(p):
    first = issue_kk(p)
    issue_kk(p, subject_kk=OTHER_KK)
    assert fresh(first).revoked_at is None


def test_a_request_without_a_kk_number_supersedes_nothing(p):
    first = issue_kk(p, subject_kk="")
    issue_kk(p, subject_kk="")
    assert fresh(first).revoked_at is None


def test_an_already_revoked_document_keeps_its_own_reason(p):
    first = issue_kk(p)
    output_revoke(first, actor=p.clerk, reason="Dicabut")
    issue_kk(p)
    first = fresh(first)
    assert first.revoked_reason == "Dicabut"
    assert first.superseded_by is None


# --- the document number at completion ----------------------------------------------------------


def complete_url(request):
    return reverse("request_complete", args=[request.pk])


def test_the_clerk_types_the_document_number_when_completing(client, p):
    request = in_process(p)
    client.force_login(p.clerk)
    response = client.post(
        complete_url(request),
        {"output-kk": pdf_file("kk.pdf"), "number-kk": " 3516010101200003 "},
    )
    assert response.status_code == 302
    assert OutputFile.objects.get(request=request).document_number == "3516010101200003"


@pytest.mark.parametrize("number", ["3516 0101", "KK#1", "x" * 41])
def test_a_document_number_has_only_letters_digits_dashes_slashes_and_dots(client, p, number):
    request = in_process(p)
    client.force_login(p.clerk)
    response = client.post(complete_url(request), {"output-kk": pdf_file(), "number-kk": number})
    assert response.status_code == 200
    assert response.context["form"].errors["number-kk"]
    assert not OutputFile.objects.filter(request=request).exists()


def test_the_service_refuses_a_malformed_document_number(p):
    request = in_process(p)
    with pytest.raises(WorkflowError):
        documents_services.request_complete(
            actor=p.clerk,
            request=request,
            outputs=[OutputUpload("kk", pdf_file(), "no spaces please")],
        )


def test_an_akta_style_number_is_kept_in_capitals(p):
    output = issue_kk(p, number="3516-lt-12012024-0001")
    assert output.document_number == "3516-LT-12012024-0001"


# --- the detail page and the slip ---------------------------------------------------------------


def detail(client, user, output):
    client.force_login(user)
    return client.get(reverse("request_detail", args=[output.request_id])).content.decode()


def test_the_detail_page_shows_code_status_qr_and_slip(client, p):
    output = issue_kk(p)
    content = detail(client, p.desa_a, output)
    assert display_code(output.verification_code) in content
    assert 'class="qr"' in content
    assert "<path" in content
    assert reverse("output_slip", args=[output.request_id, output.pk]) in content
    assert reverse("output_revoke", args=[output.request_id, output.pk]) not in content


@pytest.mark.parametrize("persona", ["clerk", "head"])
def test_the_dinas_sees_the_revoke_button_until_it_is_revoked(client, p, persona):
    output = issue_kk(p)
    revoke_url = reverse("output_revoke", args=[output.request_id, output.pk])
    assert revoke_url in detail(client, getattr(p, persona), output)
    output_revoke(output, actor=p.clerk, reason="Dicabut")
    assert revoke_url not in detail(client, getattr(p, persona), output)


def test_the_qr_code_of_the_detail_page_opens_the_verification_page(client, p, monkeypatch):
    output = issue_kk(p)
    encoded: list[str] = []
    make_qr = verification_qr_spy(monkeypatch, encoded)
    detail(client, p.desa_a, output)
    assert encoded == [f"{SITE}/verify/{output.verification_code}/"]
    assert make_qr.calls == 1


class _Spy:
    def __init__(self, real, encoded):
        self.real, self.encoded, self.calls = real, encoded, 0

    def __call__(self, data, **kwargs):
        self.calls += 1
        self.encoded.append(data)
        return self.real(data, **kwargs)


def verification_qr_spy(monkeypatch, encoded):
    import segno

    spy = _Spy(segno.make_qr, encoded)
    monkeypatch.setattr(segno, "make_qr", spy)
    return spy


def slip_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("layout", ["", "thermal"])
def test_the_slip_carries_the_code_the_document_and_the_address(client, p, monkeypatch, layout):
    output = issue_kk(p, number="3516010101200003")
    encoded: list[str] = []
    verification_qr_spy(monkeypatch, encoded)
    client.force_login(p.desa_a)
    url = reverse("output_slip", args=[output.request_id, output.pk])
    response = client.get(f"{url}?layout={layout}" if layout else url)
    text = slip_text(response)
    page_address = f"{SITE}/verify/{output.verification_code}/"
    assert encoded == [page_address]
    assert display_code(output.verification_code) in text
    assert "Kartu Keluarga" in text
    assert "3516010101200003" in text
    assert page_address in re.sub(r"\s", "", text)
    words = " ".join(text.split())
    assert "Pindai untuk memeriksa dokumen ini" in words


def test_the_slip_of_an_a6_is_a6(client, p):
    output = issue_kk(p)
    client.force_login(p.clerk)
    response = client.get(reverse("output_slip", args=[output.request_id, output.pk]))
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert float(box.width) == pytest.approx(297.6, abs=0.1)
    assert float(box.height) == pytest.approx(419.5, abs=0.1)
    assert slips.slip_filename(output) in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["desa_b", "desa_c", "kecamatan_c", "viewer", "admin"])
def test_another_village_gets_no_slip(client, p, persona):
    output = issue_kk(p)
    client.force_login(getattr(p, persona))
    url = reverse("output_slip", args=[output.request_id, output.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_those_who_may_download_the_document_get_its_slip(client, p, persona):
    output = issue_kk(p)
    client.force_login(getattr(p, persona))
    url = reverse("output_slip", args=[output.request_id, output.pk])
    assert client.get(url).status_code == 200
