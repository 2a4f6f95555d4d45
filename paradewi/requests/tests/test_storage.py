"""Files on S3-compatible storage: the whole path against a loopback S3 server (moto).

Uploads, downloads and issued documents go through Django's storage API only, so switching
STORAGES["default"] to S3 changes where the bytes are and nothing else: the same access checks,
the same headers, private objects, and no storage address ever reaches a page.

Both backends encrypt every file (core/storage.py): the disk and the bucket hold ciphertext
only, read here straight from the folder and with boto3 from the S3 server, while every
download through the views gives back the exact bytes that were recorded.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from reportlab.pdfgen import canvas
from storages.backends.s3 import S3Storage

from paradewi.core.storage import (
    MAGIC,
    EncryptedS3Storage,
    key_ids,
    open_raw,
    read_header,
    rewrap_files,
)
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.requests import services
from paradewi.requests.archive import build_archive
from paradewi.requests.models import ServiceRequest, Status, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.conftest import S3
from paradewi.requests.tests.factories import (
    KK_NUMBER,
    NIK_MAN,
    make_draft,
    pdf_file,
    run_upload_checks,
    upload_all,
)
from paradewi.requests.tests.test_action_views import as_user, in_state, url

PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",)


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def s3(s3: S3, settings) -> S3:
    """The loopback bucket behind the encrypting backend settings.py names for S3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "BACKEND": "paradewi.core.storage.EncryptedS3Storage",
        },
    }
    return s3


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_every_file_field_follows_the_s3_setting(s3):
    # FileFields hold the lazy default storage (bound when the models were defined), which
    # resolves to whatever STORAGES["default"] says now.
    assert Upload._meta.get_field("file").storage is default_storage
    assert OutputFile._meta.get_field("file").storage is default_storage
    assert isinstance(default_storage, S3Storage)
    assert isinstance(default_storage, EncryptedS3Storage)


def test_no_code_reads_files_by_path_or_url():
    """Files are reached through the storage API only (`.path` exists on local disk alone,
    `.url` would be a public address)."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"\.file\.(path|url)\b|storage\.(path|url)\(|MEDIA_(ROOT|URL)")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in (".py", ".html")
        and "tests" not in path.parts
        and "migrations" not in path.parts
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_an_upload_through_the_page_lands_in_the_bucket(client, p, s3):
    request = make_draft(p.desa_a)
    response = as_user(client, p.desa_a).post(
        reverse("request_upload", args=[request.pk, "kk-lama"]),
        {"kk-lama-file": pdf_file("KK lama.pdf", text="kk lama")},
    )
    assert response.status_code in (200, 302)
    upload = Upload.objects.get(request=request, requirement_code="kk-lama")
    assert upload.file.name in s3.names()
    stored = s3.read(upload.file.name)
    assert stored.startswith(MAGIC)
    assert b"%PDF" not in stored
    assert hashlib.sha256(stored).hexdigest() != upload.sha256
    with default_storage.open(upload.file.name) as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == upload.sha256


def test_a_download_streams_the_stored_bytes_privately(client, p, s3):
    request = in_state(p, "submitted")
    upload = Upload.objects.filter(request=request).first()
    response = as_user(client, p.kecamatan_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 200
    body = streamed(response)
    assert body.startswith(b"%PDF-")
    assert hashlib.sha256(body).hexdigest() == upload.sha256
    assert response["Content-Length"] == str(upload.size)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_another_village_gets_a_404_for_a_file_on_s3(client, p, s3):
    request = in_state(p, "submitted")
    upload = Upload.objects.filter(request=request).first()
    response = as_user(client, p.desa_b).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404(client, p, s3):
    request = in_state(p, "submitted")
    upload = Upload.objects.filter(request=request).first()
    s3.client.delete_object(Bucket=s3.bucket, Key=f"{s3.prefix}/{upload.file.name}")
    response = as_user(client, p.kecamatan_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 404


def test_objects_are_private(p, s3):
    request = in_state(p, "done")
    names = [u.file.name for u in Upload.objects.filter(request=request)]
    names += [o.file.name for o in OutputFile.objects.filter(request=request)]
    assert names
    for name in names:
        grantees = [grant["Grantee"] for grant in s3.grants(name)]
        assert not [g for g in grantees if g.get("URI") in PUBLIC_GROUPS]
        assert {grant["Permission"] for grant in s3.grants(name)} == {"FULL_CONTROL"}
        assert s3.anonymous_get(name) == 403


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_no_page_shows_a_storage_address(client, p, s3, persona):
    request = in_state(p, "done")
    as_user(client, getattr(p, persona))
    html = client.get(url("request_detail", request)).content.decode()
    for name in [u.file.name for u in Upload.objects.filter(request=request)]:
        assert url("request_upload_file", request, upload_pk=Upload.objects.get(file=name).pk) in (
            html
        )
    assert s3.endpoint.split("//")[1] not in html
    assert s3.bucket not in html
    assert s3.prefix not in html
    assert "X-Amz-" not in html
    assert "Signature=" not in html


def test_completing_stores_the_issued_pdf_in_the_bucket(client, p, s3):
    request = in_state(p, "in_process")
    documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload("kk", pdf_file("kk.pdf", text="KK 3516010101200003"))],
    )
    output = OutputFile.objects.get(request=request)
    assert output.file.name in s3.names()
    assert s3.read(output.file.name).startswith(MAGIC)
    response = as_user(client, p.desa_a).get(
        url("request_output_file", request, output_pk=output.pk)
    )
    assert response.status_code == 200
    assert hashlib.sha256(streamed(response)).hexdigest() == output.sha256


def test_the_answer_names_neither_the_bucket_nor_the_object(client, p, s3):
    request = in_state(p, "done")
    output = OutputFile.objects.get(request=request)
    response = as_user(client, p.desa_a).get(
        url("request_output_file", request, output_pk=output.pk)
    )
    assert response.status_code == 200
    assert s3.endpoint not in str(response.headers)
    assert output.file.name not in str(response.headers)
    assert "X-Accel-Redirect" not in response


# --- encryption at rest: what a copy of the folder or the bucket holds ---------------------------

# What no stored byte may contain: the starts of a PDF, a JPEG and a PNG, and the numbers.
IN_CLEAR = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", NIK_MAN.encode(), KK_NUMBER.encode())


@dataclass
class Stored:
    """The raw files of one test's storage, read without the storage API."""

    read_all: Callable[[], dict[str, bytes]]


@pytest.fixture(params=["local", "s3"])
def stored(request, settings, tmp_path) -> Stored:
    if request.param == "s3":
        bucket: S3 = request.getfixturevalue("s3")
        return Stored(lambda: {name: bucket.read(name) for name in bucket.names()})
    root = tmp_path / "encrypted-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return Stored(
        lambda: {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file()
        }
    )


def readable_pdf(text: str) -> bytes:
    """A PDF whose page text is stored uncompressed: the numbers are in its bytes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=0)
    pdf.drawString(72, 720, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def photo() -> bytes:
    image = Image.new("RGB", (900, 600), "white")
    image.paste((20, 20, 120), (100, 100, 500, 400))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def post_upload(client, request: ServiceRequest, code: str, name: str, data: bytes) -> None:
    response = client.post(
        reverse("request_upload", args=[request.pk, code]),
        {f"{code}-file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code in (200, 302)


def finished_request(client, p) -> tuple[ServiceRequest, bytes, bytes]:
    """A request taken to the end through the pages: a scan (PDF) and a photo (PNG) uploaded,
    an issued PDF on completion; both PDFs carry the NIK and KK number in clear."""
    scan = readable_pdf(f"KK lama {KK_NUMBER} NIK {NIK_MAN}")
    issued = readable_pdf(f"Kartu Keluarga {KK_NUMBER} kepala keluarga NIK {NIK_MAN}")
    assert NIK_MAN.encode() in scan
    assert NIK_MAN.encode() in issued
    request = in_state(p, "draft")
    upload_all(p.desa_a, request)
    as_user(client, p.desa_a)
    post_upload(client, request, "kk-lama", "KK lama.pdf", scan)
    post_upload(client, request, "bukti-peristiwa", "akta.png", photo())
    assert run_upload_checks() == 1  # the worker's check of the photo, which the commit starts
    request = services.request_submit(actor=p.desa_a, request=request)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    response = as_user(client, p.clerk).post(
        url("request_complete", request),
        {"output-kk": SimpleUploadedFile("kk.pdf", issued, content_type="application/pdf")},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.DONE
    return request, scan, issued


def test_a_whole_request_leaves_no_document_and_no_nik_in_clear(client, p, stored):
    request, scan, issued = finished_request(client, p)
    as_user(client, p.clerk)
    uploads = list(Upload.objects.filter(request=request))
    for upload in uploads:
        for size in ("thumb", "full"):
            preview = client.get(
                reverse(
                    "request_upload_preview",
                    kwargs={"pk": request.pk, "upload_pk": upload.pk, "page": 1, "size": size},
                )
            )
            assert streamed(preview).startswith(b"\xff\xd8\xff")
    archive = build_archive(request, made_by=p.clerk)
    with archive.file, zipfile.ZipFile(archive.file) as members:
        contents = {sha256(members.read(name)) for name in members.namelist()}
    assert {u.sha256 for u in uploads} | {sha256(issued)} <= contents

    files = stored.read_all()
    assert len(files) == len(uploads) + 1 + 2 * len(uploads)  # scans, the output, previews
    assert sum(name.startswith("previews/") for name in files) == 2 * len(uploads)
    for name, raw in files.items():
        assert raw.startswith(MAGIC), name
        for marker in IN_CLEAR:
            assert marker not in raw, (name, marker)

    for upload in uploads:
        response = client.get(url("request_upload_file", request, upload_pk=upload.pk))
        body = streamed(response)
        assert sha256(body) == upload.sha256
        assert response["Content-Length"] == str(len(body)) == str(upload.size)
    scan_upload = Upload.objects.get(
        request=request, requirement_code="kk-lama", replaced_at__isnull=True
    )
    download = client.get(url("request_upload_file", request, upload_pk=scan_upload.pk))
    assert streamed(download) == scan
    output = OutputFile.objects.get(request=request)
    download = client.get(url("request_output_file", request, output_pk=output.pk))
    assert streamed(download) == issued
    assert output.sha256 == sha256(issued)


# --- key rotation on the bucket ------------------------------------------------------------------


def key_id_in(raw: bytes) -> str:
    header = read_header(io.BytesIO(raw))
    assert header is not None
    return header.key_id


def downloads(client, p, request: ServiceRequest) -> dict[str, str]:
    as_user(client, p.clerk)
    found = {}
    for upload in Upload.objects.filter(request=request):
        response = client.get(url("request_upload_file", request, upload_pk=upload.pk))
        found[upload.file.name] = sha256(streamed(response))
    for output in OutputFile.objects.filter(request=request):
        response = client.get(url("request_output_file", request, output_pk=output.pk))
        found[output.file.name] = sha256(streamed(response))
    return found


def test_rotation_moves_every_object_to_the_new_key_and_the_old_key_can_go(client, p, s3, settings):
    keys = dict(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = {"t1": keys["t1"]}
    request = in_state(p, "done")
    s3.client.put_object(Bucket=s3.bucket, Key=f"{s3.prefix}/old/plain.pdf", Body=b"%PDF-1.4 old")
    recorded = {u.file.name: u.sha256 for u in Upload.objects.filter(request=request)}
    recorded |= {o.file.name: o.sha256 for o in OutputFile.objects.filter(request=request)}
    assert downloads(client, p, request) == recorded
    before = {name: s3.read(name) for name in s3.names()}
    assert {key_id_in(raw) for name, raw in before.items() if name != "old/plain.pdf"} == {"t1"}

    settings.ENCRYPTION_KEYS = {"t2": keys["t2"], "t1": keys["t1"]}
    assert key_ids() == {"t1": len(before) - 1, "": 1}
    assert rewrap_files() == len(before)
    assert key_ids() == {"t2": len(before)}

    after = {name: s3.read(name) for name in s3.names()}
    assert after.keys() == before.keys()
    assert {key_id_in(raw) for raw in after.values()} == {"t2"}
    for name, raw in after.items():
        if name != "old/plain.pdf":  # only the header changed
            assert raw[-1000:] == before[name][-1000:]
    assert b"%PDF" not in after["old/plain.pdf"]
    assert downloads(client, p, request) == recorded
    with default_storage.open("old/plain.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 old"
    assert rewrap_files() == 0

    # The old key removed (the database's own rotation is not part of this test: the files
    # are read through the storage by the names recorded above).
    settings.ENCRYPTION_KEYS = {"t2": keys["t2"]}
    for name, digest in recorded.items():
        with default_storage.open(name) as handle:
            assert sha256(handle.read()) == digest


def test_a_download_open_during_rotation_on_s3_completes_with_valid_bytes(s3, settings):
    keys = dict(settings.ENCRYPTION_KEYS)
    settings.ENCRYPTION_KEYS = {"t1": keys["t1"]}
    data = readable_pdf(f"NIK {NIK_MAN}") + bytes(300_000)
    name = default_storage.save("uploads/1/scan.pdf", ContentFile(data))
    settings.ENCRYPTION_KEYS = {"t2": keys["t2"], "t1": keys["t1"]}
    early = default_storage.open(name)
    first = early.read(1000)
    assert rewrap_files() == 1
    assert key_id_in(s3.read(name)) == "t2"
    assert first + early.read() == data
    early.close()
    with default_storage.open(name) as handle:
        assert handle.read() == data
    assert default_storage.size(name) == len(data)


def test_sizes_on_s3_are_plaintext_sizes_read_from_the_header(s3):
    for data in (b"", b"%PDF-1.7 scan", bytes(200_000)):
        name = default_storage.save("uploads/1/scan.pdf", ContentFile(data))
        assert default_storage.size(name) == len(data)
        assert len(s3.read(name)) > len(data)
    s3.client.put_object(Bucket=s3.bucket, Key=f"{s3.prefix}/old/empty", Body=b"")
    s3.client.put_object(Bucket=s3.bucket, Key=f"{s3.prefix}/old/plain.pdf", Body=b"%PDF-1.4")
    assert default_storage.size("old/empty") == 0
    assert default_storage.size("old/plain.pdf") == 8
    with pytest.raises(FileNotFoundError):
        default_storage.size("old/missing.pdf")


def test_open_raw_reads_the_ciphertext_from_the_bucket(s3):
    name = default_storage.save("uploads/1/scan.pdf", ContentFile(b"%PDF-1.7 scan"))
    with open_raw(default_storage, name) as handle:
        assert handle.read() == s3.read(name)
