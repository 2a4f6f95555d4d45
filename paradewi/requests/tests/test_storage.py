"""Files on S3-compatible storage: the whole path against a loopback S3 server (moto).

Uploads, downloads and issued documents go through Django's storage API only, so switching
STORAGES["default"] to S3 changes where the bytes are and nothing else: the same access checks,
the same headers, private objects, and no storage address ever reaches a page.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from storages.backends.s3 import S3Storage

from paradewi.requests import services
from paradewi.requests.models import OutputFile, Upload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_draft, pdf_file
from paradewi.requests.tests.test_action_views import as_user, in_state, url

PUBLIC_GROUPS = ("http://acs.amazonaws.com/groups/global/AllUsers",)


@pytest.fixture
def p(personas):
    return personas


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_every_file_field_follows_the_s3_setting(s3):
    # FileFields hold the lazy default storage (bound when the models were defined), which
    # resolves to whatever STORAGES["default"] says now.
    assert Upload._meta.get_field("file").storage is default_storage
    assert OutputFile._meta.get_field("file").storage is default_storage
    assert isinstance(default_storage, S3Storage)


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
    assert hashlib.sha256(stored).hexdigest() == upload.sha256
    assert stored.startswith(b"%PDF-")


def test_a_download_streams_the_stored_bytes_privately(client, p, s3):
    request = in_state(p, "submitted")
    upload = Upload.objects.filter(request=request).first()
    response = as_user(client, p.kecamatan_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 200
    body = streamed(response)
    assert body == s3.read(upload.file.name)
    assert hashlib.sha256(body).hexdigest() == upload.sha256
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
    services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[OutputUpload("kk", pdf_file("kk.pdf", text="KK 3516010101200003"))],
    )
    output = OutputFile.objects.get(request=request)
    assert output.file.name in s3.names()
    assert hashlib.sha256(s3.read(output.file.name)).hexdigest() == output.sha256
    response = as_user(client, p.desa_a).get(
        url("request_output_file", request, output_pk=output.pk)
    )
    assert response.status_code == 200
    assert streamed(response) == s3.read(output.file.name)


def test_behind_nginx_the_view_still_only_names_the_object(client, p, s3, settings):
    settings.PROTECTED_MEDIA_ACCEL_PREFIX = "/protected/"
    request = in_state(p, "done")
    output = OutputFile.objects.get(request=request)
    response = as_user(client, p.desa_a).get(
        url("request_output_file", request, output_pk=output.pk)
    )
    assert response["X-Accel-Redirect"] == f"/protected/{output.file.name}"
    assert response.content == b""
    assert s3.endpoint not in str(response.headers)
