"""The request archive (ZIP) for the Dinas: contents, checksums, summary and who may take it."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.requests import services
from paradewi.requests.archive import build_archive
from paradewi.requests.models import Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import add_upload, jpeg_file, pdf_file
from paradewi.requests.tests.test_action_views import as_user, in_state, url


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def done(p):
    """A KK perubahan of desa A returned once (one scan replaced), then completed."""
    request = in_state(p, "returned")
    add_upload(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file("KK baru.jpg")
    )
    request = services.request_submit(actor=p.desa_a, request=request)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    return documents_services.request_complete(
        actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def summary_text(files: dict[str, bytes]) -> str:
    reader = PdfReader(io.BytesIO(files["summary.pdf"]))
    return " ".join(page.extract_text() for page in reader.pages)


def built(request) -> dict[str, bytes]:
    archive = build_archive(request)
    with archive.file:
        return unzip(archive.file.read())


def test_it_holds_every_file_under_readable_names(p, done):
    files = built(done)
    current = Upload.objects.filter(request=done, replaced_at__isnull=True)
    for upload in current:
        name = f"{upload.requirement_code}-{upload.original_name}"
        assert hashlib.sha256(files[name]).hexdigest() == upload.sha256
    assert "kk-lama-KK baru.jpg" in files
    earlier = [name for name in files if name.startswith("earlier/")]
    old = Upload.objects.get(request=done, replaced_at__isnull=False)
    assert len(earlier) == 1
    assert earlier[0].startswith("earlier/kk-lama-")
    assert earlier[0].endswith(f"-{old.original_name}")
    assert hashlib.sha256(files[earlier[0]]).hexdigest() == old.sha256
    output = OutputFile.objects.get(request=done)
    issued = files[f"{done.number}-kk.pdf"]
    assert hashlib.sha256(issued).hexdigest() == output.sha256
    assert set(files) == {
        *(f"{u.requirement_code}-{u.original_name}" for u in current),
        earlier[0],
        f"{done.number}-kk.pdf",
        "summary.pdf",
        "SHA256SUMS",
    }


def test_sha256sums_lists_every_other_member(p, done):
    files = built(done)
    lines = files["SHA256SUMS"].decode().splitlines()
    listed = {name: digest for digest, name in (line.split("  ", 1) for line in lines)}
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest


def test_the_summary_tells_the_story(p, done):
    text = summary_text(built(done))
    for expected in (
        done.number,
        done.definition["name"],
        "Tawangrejo",
        "Jatirejo",
        "Done",
        # Actors of the history, and the reason the kecamatan gave.
        p.desa_a.get_full_name(),
        p.kecamatan_a.get_full_name(),
        p.clerk.get_full_name(),
        "Foto buram",
        "Returned to the village",
        # Each file with its recorded SHA-256.
        *Upload.objects.filter(request=done).values_list("sha256", flat=True),
        OutputFile.objects.get(request=done).verification_code,
    ):
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\n", ""), expected


def test_a_purged_upload_is_listed_as_deleted_by_retention(p, done):
    services.request_hand_over(actor=p.desa_a, request=done)
    old = Upload.objects.get(request=done, replaced_at__isnull=False)
    old.file.storage.delete(old.file.name)
    Upload.objects.filter(pk=old.pk).update(purged_at=timezone.now())
    files = built(done)
    assert not [name for name in files if name.startswith("earlier/")]
    text = summary_text(files).replace("\n", " ")
    assert "deleted after the retention period" in text
    assert old.sha256 in text.replace(" ", "")


def test_a_file_missing_from_storage_is_noted_not_fatal(p, done):
    upload = Upload.objects.filter(request=done, replaced_at__isnull=True).first()
    upload.file.storage.delete(upload.file.name)
    files = built(done)
    assert f"{upload.requirement_code}-{upload.original_name}" not in files
    assert "Not found in the file store" in summary_text(files)


# --- the view ----------------------------------------------------------------------------------

WHO_GETS_IT = {
    "clerk": 200,
    "head": 200,
    "kecamatan_a": 200,
    "kecamatan_c": 404,
    "desa_a": 404,
    "desa_b": 404,
    "desa_c": 404,
    "viewer": 404,
    "admin": 404,
}


# An export of personal data: the ZIP comes with a stated reason (paradewi/audit).
REASON = {"reason": "Arsip untuk pemeriksaan Inspektorat"}


@pytest.mark.parametrize(("persona", "status"), WHO_GETS_IT.items())
def test_who_may_download_the_archive(client, p, done, persona, status):
    as_user(client, getattr(p, persona))
    assert client.get(url("request_archive", done)).status_code == status
    response = client.post(url("request_archive", done), REASON)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/zip"
        assert f'filename="{done.number}-archive.zip"' in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        files = unzip(b"".join(response.streaming_content))
        assert "summary.pdf" in files


def test_anonymous_visitors_are_sent_to_the_login(client, done):
    response = client.get(url("request_archive", done))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_archive_answers_only_get_and_post(client, p, done):
    assert as_user(client, p.clerk).put(url("request_archive", done)).status_code == 405


@pytest.mark.parametrize(
    ("persona", "shown"), [("clerk", True), ("kecamatan_a", True), ("desa_a", False)]
)
def test_the_detail_page_links_the_archive_for_those_who_may_take_it(
    client, p, done, persona, shown
):
    html = as_user(client, getattr(p, persona)).get(url("request_detail", done)).content.decode()
    assert (url("request_archive", done) in html) is shown


def test_the_archive_is_built_from_s3(client, p, s3, done):
    names = {u.file.name for u in Upload.objects.filter(request=done)}
    names.add(OutputFile.objects.get(request=done).file.name)
    assert names <= s3.names()
    response = as_user(client, p.clerk).post(url("request_archive", done), REASON)
    files = unzip(b"".join(response.streaming_content))
    for upload in Upload.objects.filter(request=done):
        # The bucket holds ciphertext; the storage reads it back as the upload's bytes.
        assert hashlib.sha256(s3.read(upload.file.name)).hexdigest() != upload.sha256
        with default_storage.open(upload.file.name) as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == upload.sha256
    digests = {hashlib.sha256(data).hexdigest() for data in files.values()}
    assert set(Upload.objects.filter(request=done).values_list("sha256", flat=True)) <= digests
    assert OutputFile.objects.get(request=done).sha256 in digests
