"""Hostile names of uploaded files: folders, NUL, right-to-left override, 300 characters,
quotes and line breaks, Windows device names, no name at all, markup.

The stored file is named by a uuid, never by the user; nothing is written outside the media
folder; the download's Content-Disposition carries the cleaned name safely (no header
injection; read by RFC 6266 rules it gives back exactly the cleaned name: a quote in an
ASCII name is escaped in the quoted string, other names are RFC 5987-encoded); pages show
the name as text; the archive's entries stay inside the archive.
"""

from __future__ import annotations

import io
import re
import zipfile
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paradewi.core.tests.attacks.markup import live_markup
from paradewi.core.tests.attacks.support import body_of
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Status, Upload
from paradewi.requests.requirements import checklist
from paradewi.requests.tests.factories import (
    add_upload,
    jpeg_bytes,
    make_draft,
    run_upload_checks,
    upload_all,
)
from paradewi.testing import Client, Personas

RLO = "\u202e"
NAMES = {
    "posix traversal": "../../etc/passwd.jpg",
    "windows traversal": "..\\..\\boot.ini.pdf",
    "absolute": "/var/www/paradewi/media/x.jpg",
    "nul byte": "scan\x00.php.jpg",
    "right-to-left override": f"foto{RLO}gpj.exe",
    "300 characters": "a" * 300 + ".jpg",
    "quote and line breaks": 'ktp".jpg\r\nSet-Cookie: session=stolen\r\nX: ".jpg',
    "windows device": "con.jpg",
    "markup": '"><img src=x onerror=alert(1)>.jpg',
    "dots only": "....jpg",
    "not ASCII": "Akta Siti Aminah \u2713 \u00e9.jpg",
}
STORED = re.compile(r"^uploads/\d+/[0-9a-f]{32}$")
BOUNDARY = "attack-boundary-7f3a"


def multipart(field: str, filename: str, content: bytes) -> bytes:
    """A form with one file, its name sent RFC 2231-encoded so every byte arrives as sent
    (the test client would cut folders off the name before the site sees it)."""
    head = (
        f"--{BOUNDARY}\r\n"
        f"Content-Disposition: form-data; name=\"{field}\"; filename*=UTF-8''"
        f"{quote(filename, safe='')}\r\n"
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{BOUNDARY}--\r\n".encode()


def first_requirement(request: ServiceRequest) -> str:
    return next(item.code for item in checklist(request).items if item.applies)


def upload_through_the_page(
    client: Client, request: ServiceRequest, name: str, content: bytes
) -> Any:
    code = first_requirement(request)
    return client.post(
        reverse("request_upload", args=[request.pk, code]),
        data=multipart(f"{code}-file", name, content),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def assert_clean(display: str) -> None:
    assert display
    assert "/" not in display
    assert "\\" not in display
    assert all(ch.isprintable() for ch in display), repr(display)
    assert RLO not in display
    assert not display.startswith(".")
    assert len(display) <= 150


def filename_of(disposition: str) -> str | None:
    message = Message()
    message["Content-Disposition"] = disposition
    return message.get_filename()


@pytest.fixture
def draft(personas: Personas) -> ServiceRequest:
    return make_draft(personas.desa_a)


def test_hostile_names_through_the_upload_page(client, personas, draft, tmp_path):
    media = tmp_path / "media"
    outside_before = files_under(tmp_path) - files_under(media)
    client.force_login(personas.desa_a)
    failures = []
    for index, (label, name) in enumerate(NAMES.items()):
        before = Upload.objects.count()
        # Each file differs: sending the same file again keeps the current upload.
        response = upload_through_the_page(client, draft, name, jpeg_bytes(size=(40 + index, 30)))
        assert response.status_code == 302, label
        run_upload_checks()  # the worker's check of the photo, which the commit starts
        upload = Upload.objects.order_by("-pk").first()
        assert upload is not None
        assert Upload.objects.count() == before + 1, f"{label}: not stored"
        assert STORED.match(upload.file.name), f"{label}: stored as {upload.file.name}"
        stored = Path(default_storage.path(upload.file.name)).resolve()
        assert stored.is_relative_to(media.resolve()), label
        assert_clean(upload.original_name)

        download = client.get(reverse("request_upload_file", args=[draft.pk, upload.pk]))
        assert download.status_code == 200, label
        disposition = download["Content-Disposition"]
        for header, value in download.items():
            if any(ch in value for ch in "\r\n\x00"):
                failures.append(f"{label}: {header} breaks the header")
        if filename_of(disposition) != upload.original_name:
            failures.append(f"{label}: {disposition!r} names {filename_of(disposition)!r}")
        if not upload.original_name.isascii() and "filename*=utf-8''" not in disposition.lower():
            failures.append(f"{label}: {disposition!r} is not RFC 5987-encoded")

        page = client.get(reverse("request_edit", args=[draft.pk]))
        if live_markup(body_of(page)) or RLO in body_of(page):
            failures.append(f"{label}: the edit page shows the name live")
    assert not failures, "\n".join(failures)
    assert files_under(tmp_path) - files_under(media) == outside_before


def test_a_file_without_a_name_is_refused_with_a_message(client, personas, draft):
    client.force_login(personas.desa_a)
    client.cookies["django_language"] = "en"
    response = upload_through_the_page(client, draft, "", jpeg_bytes())
    assert response.status_code == 302
    assert not Upload.objects.filter(request=draft).exists()
    page = client.get(response["Location"])
    assert "Choose a file to upload." in body_of(page)


def raw_named(name: str, content: bytes) -> SimpleUploadedFile:
    """A file whose name is exactly `name` (Django's own classes cut folders off)."""
    file = SimpleUploadedFile("x.jpg", content)
    file._name = name  # type: ignore[attr-defined]
    return file


def test_hostile_names_through_the_service_are_cleaned_too(personas, draft):
    """Below the form: the service cleans whatever name a caller passes."""
    code = first_requirement(draft)
    for index, (label, name) in enumerate({**NAMES, "empty": ""}.items()):
        upload = add_upload(
            actor=personas.desa_a,
            request=draft,
            requirement_code=code,
            file=raw_named(name, jpeg_bytes(size=(40 + index, 30))),
        )
        assert STORED.match(upload.file.name), label
        assert_clean(upload.original_name)


def test_the_archive_keeps_every_entry_inside_it(personas, draft):
    code = first_requirement(draft)
    for index, name in enumerate(NAMES.values()):
        add_upload(
            actor=personas.desa_a,
            request=draft,
            requirement_code=code,
            file=raw_named(name, jpeg_bytes(size=(40 + index, 30))),
        )
    upload_all(personas.desa_a, draft)
    request = services.request_submit(actor=personas.desa_a, request=draft)
    if request.status == Status.SUBMITTED:
        request = services.request_verify(actor=personas.kecamatan_a, request=request)
    clerk = Client()
    clerk.force_login(personas.clerk)
    from paradewi.core.tests.attacks.test_markup import archive_of

    with zipfile.ZipFile(io.BytesIO(archive_of(clerk, request.pk))) as archive:
        names = archive.namelist()
    assert len(names) >= len(NAMES)
    for name in names:
        assert not name.startswith("/"), name
        assert ".." not in name.split("/"), name
        assert "\\" not in name, name
        assert "\x00" not in name, name
        assert RLO not in name, name
        assert all(ch.isprintable() for ch in name), repr(name)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("foto.jpg", b"<html><script>alert(1)</script></html>"),
        ("foto.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("scan.pdf", b"<!DOCTYPE html><img src=x onerror=alert(1)>"),
    ],
)
def test_markup_behind_a_harmless_name_is_refused(client, personas, draft, name, content):
    """The type is decided by content: a page or an SVG named like a photo is not stored, so
    it can never be served from the site's own origin."""
    client.force_login(personas.desa_a)
    response = upload_through_the_page(client, draft, name, content)
    assert response.status_code == 302
    assert not Upload.objects.filter(request=draft).exists()
