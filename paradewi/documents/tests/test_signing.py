"""PAdES signatures of receipts and generated forms, checked with pyHanko's validator."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import SimpleSigner
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from paradewi.core import signing
from paradewi.documents.management.commands.make_signing_key import make_pkcs12
from paradewi.documents.official_forms import form_slug
from paradewi.requests.tests.factories import make_submitted, pdf_bytes

PASSWORD = "test-signing-password"


@pytest.fixture(scope="session")
def key_file(tmp_path_factory):
    """One test key for the session (an RSA key takes a moment to make)."""
    path = tmp_path_factory.mktemp("signing") / "test-signing.p12"
    path.write_bytes(
        make_pkcs12(
            common_name="paradewi test signing key", organisation="Dinas test", password=PASSWORD
        )
    )
    return path


@pytest.fixture
def trust(key_file) -> ValidationContext:
    """A validation context that trusts the test certificate and fetches nothing."""
    signer = SimpleSigner.load_pkcs12_data(
        key_file.read_bytes(), other_certs=(), passphrase=PASSWORD.encode()
    )
    return ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)


@pytest.fixture
def signing_on(settings, key_file):
    settings.SIGNING_PKCS12_PATH = str(key_file)
    settings.SIGNING_PKCS12_PASSWORD = PASSWORD
    settings.SIGNING_TIMESTAMP_URL = ""
    signing._load_key.cache_clear()
    yield
    signing._load_key.cache_clear()


@pytest.fixture
def signing_off(settings):
    settings.SIGNING_PKCS12_PATH = ""
    signing._load_key.cache_clear()
    yield
    signing._load_key.cache_clear()


@pytest.fixture
def p(personas):
    return personas


def status_of(pdf: bytes, trust: ValidationContext):
    signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    assert len(signatures) == 1
    return validate_pdf_signature(signatures[0], trust)


def assert_signed_whole(pdf: bytes, trust: ValidationContext) -> None:
    status = status_of(pdf, trust)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.docmdp_ok
    assert status.bottom_line
    assert status.md_algorithm == "sha256"
    assert "paradewi test signing key" in status.signing_cert.subject.human_friendly


def receipt(client, user, request):
    client.force_login(user)
    response = client.get(reverse("request_receipt", args=[request.pk]))
    assert response.status_code == 200
    return response.content


def form(client, user, request, code: str):
    client.force_login(user)
    response = client.get(reverse("official_form", args=[request.pk, form_slug(code)]))
    assert response.status_code == 200
    return response.content


# --- signed when a key is configured ------------------------------------------------------------


def test_a_signed_receipt_validates_and_covers_the_whole_file(client, p, signing_on, trust):
    request = make_submitted(p.desa_a)
    pdf = receipt(client, p.desa_a, request)
    assert_signed_whole(pdf, trust)
    # Still the same receipt for the resident.
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert request.number in text
    assert request.pin in text


def test_the_thermal_receipt_is_signed_too(client, p, signing_on, trust):
    request = make_submitted(p.desa_a)
    client.force_login(p.desa_a)
    response = client.get(reverse("request_receipt", args=[request.pk]) + "?layout=thermal")
    assert_signed_whole(response.content, trust)


def test_a_signed_form_validates_and_covers_the_whole_file(client, p, signing_on, trust):
    request = make_submitted(p.desa_a, "kk-perubahan")
    pdf = form(client, p.desa_a, request, "F-1.02")
    assert_signed_whole(pdf, trust)
    assert "Slamet Riyadi" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_signature_says_what_where_and_is_a_pades_certification(p, signing_on, trust):
    pdf = signing.sign_pdf(pdf_bytes(), reason="Bukti pengajuan 1", location="Kab. X")
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert signature.sig_object["/Reason"] == "Bukti pengajuan 1"
    assert signature.sig_object["/Location"] == "Kab. X"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.docmdp_level is not None  # certification: no change allowed afterwards


def test_one_byte_changed_inside_the_signed_range_breaks_the_signature(p, signing_on, trust):
    pdf = signing.sign_pdf(pdf_bytes(text="Surat asli"), reason="r", location="l")
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    first_range_end = signature.byte_range[1]
    position = pdf.index(b"/Creator")
    assert position < first_range_end
    tampered = bytearray(pdf)
    tampered[position + 2] ^= 0x01  # /Creator -> /Cseator, still a well-formed PDF
    try:
        status = status_of(bytes(tampered), trust)
    except SignatureValidationError:
        return
    assert not status.intact
    assert not status.bottom_line


def test_an_appended_change_to_the_content_is_reported(p, signing_on, trust):
    pdf = signing.sign_pdf(pdf_bytes(text="Surat asli"), reason="r", location="l")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 500 Td (DIUBAH) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = io.BytesIO()
    writer.write(out)

    status = status_of(out.getvalue(), trust)
    assert status.intact  # the signed revision itself is untouched
    assert status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    assert not status.docmdp_ok
    assert not status.bottom_line


def test_the_key_is_read_once_per_process(tmp_path, settings, key_file, signing_off):
    copy = tmp_path / "copy.p12"
    copy.write_bytes(key_file.read_bytes())
    settings.SIGNING_PKCS12_PATH = str(copy)
    settings.SIGNING_PKCS12_PASSWORD = PASSWORD
    signing.sign_pdf(pdf_bytes(), reason="r", location="l")
    copy.unlink()
    signed = signing.sign_pdf(pdf_bytes(), reason="r", location="l")
    assert PdfFileReader(io.BytesIO(signed)).embedded_signatures


# --- unsigned without a key; loud when the key is wrong -----------------------------------------


def test_without_a_key_pdfs_are_returned_unchanged(client, p, signing_off):
    data = pdf_bytes()
    assert signing.sign_pdf(data, reason="r", location="l") is data
    assert not signing.is_signing_enabled()
    request = make_submitted(p.desa_a, "kk-perubahan")
    for pdf in (receipt(client, p.desa_a, request), form(client, p.desa_a, request, "F-1.02")):
        assert PdfFileReader(io.BytesIO(pdf)).embedded_signatures == []
        assert b"/ByteRange" not in pdf


def test_a_missing_key_file_is_a_configuration_error(settings, tmp_path, signing_off):
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "nothing.p12")
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured, match="SIGNING_PKCS12_PATH"):
        signing.sign_pdf(pdf_bytes(), reason="r", location="l")


def test_in_demo_mode_a_missing_key_only_leaves_pdfs_unsigned(settings, tmp_path, signing_off):
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "demo-signing.p12")
    settings.DEMO_MODE = True
    data = pdf_bytes()
    assert signing.sign_pdf(data, reason="r", location="l") is data


def test_a_wrong_password_is_a_configuration_error(settings, key_file, signing_off):
    settings.SIGNING_PKCS12_PATH = str(key_file)
    settings.SIGNING_PKCS12_PASSWORD = "wrong"
    with pytest.raises(ImproperlyConfigured, match="SIGNING_PKCS12_PASSWORD"):
        signing.sign_pdf(pdf_bytes(), reason="r", location="l")


# --- the demo key -------------------------------------------------------------------------------


def test_make_signing_key_writes_a_self_signed_signing_certificate(regions, settings, tmp_path):
    path = tmp_path / "var" / "demo-signing.p12"
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "demo-pass"
    out = io.StringIO()
    call_command("make_signing_key", stdout=out)
    assert "Signing key created" in out.getvalue()
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only

    key, certificate, _others = pkcs12.load_key_and_certificates(path.read_bytes(), b"demo-pass")
    assert key is not None
    assert certificate is not None
    assert certificate.subject == certificate.issuer
    common_name = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value
    assert common_name == "paradewi demo signing key — Kabupaten Mojokerto"
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature
    assert usage.content_commitment  # nonRepudiation
    assert not usage.key_cert_sign
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size == 2048


def test_make_signing_key_refuses_to_overwrite_unless_forced(regions, settings, tmp_path):
    path = tmp_path / "key.p12"
    path.write_bytes(b"keep me")
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "pw"
    with pytest.raises(CommandError, match="--force"):
        call_command("make_signing_key", stdout=io.StringIO())
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("make_signing_key", "--if-missing", stdout=out)
    assert "kept" in out.getvalue()
    assert path.read_bytes() == b"keep me"
    call_command("make_signing_key", "--force", stdout=io.StringIO())
    assert path.read_bytes() != b"keep me"


def test_make_signing_key_without_a_configured_path(regions, settings):
    settings.SIGNING_PKCS12_PATH = ""
    out = io.StringIO()
    call_command("make_signing_key", "--if-missing", stdout=out)
    assert "not signed" in out.getvalue()
    with pytest.raises(CommandError, match="SIGNING_PKCS12_PATH"):
        call_command("make_signing_key", stdout=io.StringIO())


def test_make_run_makes_the_demo_key_only_in_demo_mode(regions, settings, tmp_path):
    path = tmp_path / "demo-signing.p12"
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSWORD = "pw"
    settings.DEMO_MODE = False
    out = io.StringIO()
    call_command("make_signing_key", "--if-missing", stdout=out)
    assert "Not in demo mode" in out.getvalue()
    assert not path.exists()
    settings.DEMO_MODE = True
    call_command("make_signing_key", "--if-missing", stdout=io.StringIO())
    assert path.exists()


def test_make_signing_key_with_path_and_password_options(regions, tmp_path):
    path = tmp_path / "elsewhere.p12"
    call_command("make_signing_key", "--path", str(path), "--password", "x1", stdout=io.StringIO())
    assert pkcs12.load_key_and_certificates(path.read_bytes(), b"x1")[1] is not None


def test_demo_mode_defaults_to_the_demo_key_in_the_key_folder(tmp_path):
    env = {
        **os.environ,
        "PARADEWI_DEMO": "true",
        "PARADEWI_VAR_DIR": str(tmp_path / "var"),
        "PARADEWI_KEY_DIR": str(tmp_path / "keys"),
        "SIGNING_PKCS12_PATH": "",
        "SIGNING_PKCS12_PASSWORD": "",
    }
    code = "import paradewi.settings as s; print(s.SIGNING_PKCS12_PATH, s.SIGNING_PKCS12_PASSWORD)"
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == [
        str(tmp_path / "keys" / "demo-signing.p12"),
        "paradewi-demo-signing",
    ]
