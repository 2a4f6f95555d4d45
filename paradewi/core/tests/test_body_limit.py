"""Oversize uploads are refused from their declared Content-Length, before the body is read;
and the site's manifest and icon for phones' home screens."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from paradewi.catalogue.services import catalogue_load
from paradewi.core.middleware import MULTIPART_SLACK
from paradewi.requests.models import Upload
from paradewi.requests.tests.factories import make_draft, pdf_bytes

pytestmark = pytest.mark.django_db

CODE = "kk-lama"  # a requirement of the draft's service ("KK perubahan data")


class UnreadBody(io.BytesIO):
    """A request body that fails the test when anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def post_declared(client: Client, url: str, length: int, **headers: str) -> Any:
    """A multipart POST whose header declares `length` bytes, with a body nobody may read."""
    environ: dict[str, Any] = {
        "CONTENT_LENGTH": str(length),
        "wsgi.input": UnreadBody(),
        **headers,
    }
    return client.generic(
        "POST", url, b"", content_type="multipart/form-data; boundary=x", **environ
    )


@pytest.fixture
def draft(personas):
    catalogue_load()
    return make_draft(personas.desa_a)


def test_an_oversize_upload_from_the_script_is_refused_unread_with_the_sizes(
    client, personas, draft
):
    client.force_login(personas.desa_a)
    url = reverse("request_upload", args=[draft.pk, CODE])
    big = 13 * 1024 * 1024
    with translation.override("id"):
        response = post_declared(client, url, big, HTTP_HX_REQUEST="true")
    assert response.status_code == 413
    text = response.content.decode().replace("\xa0", " ")
    assert "13,0 MB" in text
    assert "5,0 MB" in text
    assert "Foto setiap halaman" in text
    assert not Upload.objects.filter(request=draft).exists()


def test_an_oversize_plain_form_goes_back_to_its_page_with_the_message(client, personas, draft):
    client.force_login(personas.desa_a)
    url = reverse("request_upload", args=[draft.pk, CODE])
    edit = f"http://testserver{reverse('request_edit', args=[draft.pk])}"
    response = post_declared(client, url, 12 * 1024 * 1024, HTTP_REFERER=edit)
    assert response.status_code == 303
    assert response["Location"] == edit
    page = client.get(edit).content.decode().replace("\xa0", " ")
    assert "12,0 MB" in page


def test_without_a_referer_on_this_site_a_413_page_says_why(client, personas, draft):
    client.force_login(personas.desa_a)
    url = reverse("request_upload", args=[draft.pk, CODE])
    response = post_declared(
        client, url, 12 * 1024 * 1024, HTTP_REFERER="https://elsewhere.example/x"
    )
    assert response.status_code == 413
    assert b"errorlist" in response.content


def test_a_body_within_the_limit_goes_on_to_the_view(client, personas, draft):
    client.force_login(personas.desa_a)
    url = reverse("request_upload", args=[draft.pk, CODE])
    scan = SimpleUploadedFile("kk.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(url, {f"{CODE}-file": scan}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Upload.objects.filter(request=draft, requirement_code=CODE).exists()
    assert settings.UPLOAD_MAX_BYTES + MULTIPART_SLACK < 6 * 1024 * 1024


def test_the_dinas_completion_takes_several_large_pdfs_but_not_without_end(client, personas):
    client.force_login(personas.clerk)
    url = reverse("request_complete", args=[1])
    response = post_declared(client, url, 200 * 1024 * 1024, HTTP_HX_REQUEST="true")
    assert response.status_code == 413


def test_views_without_a_declared_limit_are_left_to_django(client):
    response = post_declared(client, reverse("login"), 50 * 1024 * 1024, HTTP_HX_REQUEST="true")
    assert response.status_code != 413


def test_the_manifest_makes_the_site_installable_from_a_phone(client):
    response = client.get(reverse("web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/home/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL))
    page = client.get("/").content.decode()
    assert 'rel="manifest"' in page
    assert 'rel="apple-touch-icon"' in page


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"
