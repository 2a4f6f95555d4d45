"""The electronic signature of the PDFs the Dinas issues: read with pyHanko on upload, shown to
the Dinas and on the public verification page, and required where the regency says so.

The signed PDFs are made here by pyHanko with a certificate generated for the test."""

from __future__ import annotations

import io

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from paradewi.documents import services as documents_services
from paradewi.documents import signatures
from paradewi.documents.management.commands.make_signing_key import make_pkcs12
from paradewi.documents.models import OutputFile
from paradewi.documents.signatures import SignatureStatus, check_signature
from paradewi.documents.tests.signed import PASSWORD, SIGNER, dinas_p12, signed
from paradewi.documents.tests.test_verification import in_process, page_url
from paradewi.requests.models import Status
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import pdf_bytes


@pytest.fixture(scope="module")
def p12() -> bytes:
    return dinas_p12()


@pytest.fixture(scope="module")
def other_p12() -> bytes:
    return make_pkcs12(common_name="Someone else", organisation="Elsewhere", password="x")


@pytest.fixture
def roots_of(tmp_path, settings):
    """Trust the certificate of a PKCS#12 file (SIGNATURE_TRUST_ROOTS)."""

    def trust(p12: bytes, password: bytes) -> None:
        cert = pkcs12.load_key_and_certificates(p12, password)[1]
        assert cert is not None
        path = tmp_path / "root.pem"
        path.write_bytes(cert.public_bytes(Encoding.PEM))
        settings.SIGNATURE_TRUST_ROOTS = [str(path)]
        signatures._trust_roots.cache_clear()

    yield trust
    signatures._trust_roots.cache_clear()


@pytest.fixture(autouse=True)
def no_roots(settings):
    settings.SIGNATURE_TRUST_ROOTS = []
    settings.OUTPUT_SIGNATURE_REQUIRED = False


# --- what is read -------------------------------------------------------------------------------


def test_an_unsigned_pdf_is_unsigned():
    check = check_signature(pdf_bytes(text="KK"))
    assert check.status == SignatureStatus.UNSIGNED
    assert not check.ok


def test_a_signed_pdf_names_its_signer_and_time(p12):
    check = check_signature(signed(pdf_bytes(text="KK"), p12))
    assert check.status == SignatureStatus.INTACT  # no trusted authority configured
    assert check.signer == SIGNER
    assert check.signed_at is not None
    assert check.ok


def test_with_its_authority_trusted_the_signature_is_valid(p12, roots_of):
    roots_of(p12, PASSWORD)
    assert check_signature(signed(pdf_bytes(), p12)).status == SignatureStatus.VALID


def test_a_signer_no_trusted_authority_vouches_for_is_untrusted(p12, other_p12, roots_of):
    roots_of(p12, PASSWORD)
    check = check_signature(signed(pdf_bytes(), other_p12, b"x"))
    assert check.status == SignatureStatus.UNTRUSTED
    assert not check.ok


def test_a_signed_pdf_changed_inside_the_signed_bytes_is_invalid(p12):
    data = bytearray(signed(pdf_bytes(text="KK ASLI"), p12))
    at = data.index(b"/MediaBox")
    data[at + 1 : at + 9] = b"MediaBoy"  # a change inside the signed range
    assert check_signature(bytes(data)).status == SignatureStatus.INVALID


def test_a_page_added_after_signing_is_invalid(p12):
    from pyhanko.pdf_utils import generic

    data = signed(pdf_bytes(text="KK"), p12)
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert check_signature(out.getvalue()).status == SignatureStatus.INVALID


# --- on completion ------------------------------------------------------------------------------


def complete(p, data: bytes) -> OutputFile:
    request = in_process(p)
    upload = SimpleUploadedFile("kk.pdf", data, "application/pdf")
    documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", upload, "")]
    )
    return OutputFile.objects.get(request=request)


def test_the_signature_is_stored_with_the_document(personas, p12):
    output = complete(personas, signed(pdf_bytes(text="KK"), p12))
    assert output.signature_status == SignatureStatus.INTACT
    assert output.signature_signer == SIGNER
    assert output.signature_signed_at is not None


def test_an_unsigned_pdf_is_accepted_with_its_status_unless_the_regency_requires_one(
    personas, settings
):
    assert complete(personas, pdf_bytes()).signature_status == SignatureStatus.UNSIGNED
    settings.OUTPUT_SIGNATURE_REQUIRED = True
    request = in_process(personas)
    upload = SimpleUploadedFile("kk.pdf", pdf_bytes(), "application/pdf")
    with pytest.raises(ValidationError, match="valid electronic signature"):
        documents_services.request_complete(
            actor=personas.clerk, request=request, outputs=[OutputUpload("kk", upload, "")]
        )
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS
    assert not OutputFile.objects.filter(request=request).exists()


def test_where_required_a_signed_pdf_completes(personas, settings, p12):
    settings.OUTPUT_SIGNATURE_REQUIRED = True
    assert complete(personas, signed(pdf_bytes(), p12)).signature_status == "intact"


def test_the_form_warns_the_clerk_of_an_unsigned_pdf_and_refuses_it_where_required(
    client, personas, settings
):
    client.cookies["django_language"] = "en"
    client.force_login(personas.clerk)
    request = in_process(personas)
    url = reverse("request_complete", args=[request.pk])
    settings.OUTPUT_SIGNATURE_REQUIRED = True
    page = client.post(url, {"output-kk": SimpleUploadedFile("kk.pdf", pdf_bytes())})
    assert page.status_code == 200
    assert "must carry a valid electronic signature" in page.content.decode()
    settings.OUTPUT_SIGNATURE_REQUIRED = False
    done = client.post(url, {"output-kk": SimpleUploadedFile("kk.pdf", pdf_bytes())}, follow=True)
    text = done.content.decode()
    assert "The request was completed." in text
    assert "Check the electronic signature" in text
    assert "not signed electronically" in text


# --- the public page says what it checked -------------------------------------------------------


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_the_verification_page_says_what_it_checked_for_a_signed_document(personas, p12):
    output = complete(personas, signed(pdf_bytes(text="KK"), p12))
    text = english().get(page_url(output)).content.decode()
    assert "Valid document" in text
    assert "What was checked" in text
    assert "Signed electronically" in text
    assert SIGNER in text
    assert "not changed since it was signed" in text
    assert "was not checked against a certification authority" in text


def test_an_unsigned_document_is_not_called_simply_valid(personas):
    output = complete(personas, pdf_bytes(text="KK"))
    text = english().get(page_url(output)).content.decode()
    assert "Valid document" not in text
    assert "Issued, but check the signature" in text
    assert "Not signed electronically" in text
