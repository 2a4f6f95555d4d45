"""Page previews and the viewer: sizes, caching, access, deleted files, clean-up."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject

from paradewi.requests import previews, services
from paradewi.requests.models import ServiceRequest, Upload
from paradewi.requests.tests.factories import (
    add_upload,
    load_catalogue,
    make_draft,
    pdf_bytes,
    upload_all,
)

PHOTO_SIZE = (2000, 1500)
A4_THUMB = (227, 320)  # 595 x 842 pt brought to a long side of 320 px


@pytest.fixture
def p(personas):
    load_catalogue()
    return personas


def photo_bytes(size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    image = Image.new("RGB", size, "white")
    image.paste((20, 20, 120), (100, 100, size[0] // 2, size[1] // 2))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def send(request: ServiceRequest, actor, code: str, name: str, content: bytes) -> Upload:
    return add_upload(
        actor=actor,
        request=request,
        requirement_code=code,
        file=SimpleUploadedFile(name, content),
    )


@pytest.fixture
def submitted(p):
    """A request of desa A at the kecamatan: F-1.02 (1-page PDF), the old KK as a 3-page PDF,
    the proof of the event as a photo."""
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    send(request, p.desa_a, "kk-lama", "kk-lama.pdf", pdf_bytes(pages=3))
    send(request, p.desa_a, "bukti-peristiwa", "akta.jpg", photo_bytes())
    return services.request_submit(actor=p.desa_a, request=request)


def current(request: ServiceRequest, code: str) -> Upload:
    return Upload.objects.get(request=request, requirement_code=code, replaced_at__isnull=True)


def preview_url(upload: Upload, page: int = 1, size: str = "thumb") -> str:
    return reverse(
        "request_upload_preview",
        kwargs={"pk": upload.request_id, "upload_pk": upload.pk, "page": page, "size": size},
    )


def viewer_url(upload: Upload) -> str:
    return reverse(
        "request_upload_viewer", kwargs={"pk": upload.request_id, "upload_pk": upload.pk}
    )


def jpeg_of(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.format == "JPEG"
    return image


# --- sizes --------------------------------------------------------------------------------------


def test_a_photo_has_a_thumbnail_and_a_full_size_preview(p, client, submitted):
    photo = current(submitted, "bukti-peristiwa")
    client.force_login(p.kecamatan_a)
    assert jpeg_of(client.get(preview_url(photo, size="thumb"))).size == (320, 240)
    assert jpeg_of(client.get(preview_url(photo, size="full"))).size == (1600, 1200)


def test_a_small_photo_is_not_blown_up(p, client):
    request = make_draft(p.desa_a)
    small = send(request, p.desa_a, "kk-lama", "kk.jpg", photo_bytes((640, 480)))
    client.force_login(p.desa_a)
    assert jpeg_of(client.get(preview_url(small, size="full"))).size == (640, 480)


def test_every_page_of_a_pdf_has_its_thumbnail(p, client, submitted):
    scan = current(submitted, "kk-lama")
    assert scan.pages == 3
    client.force_login(p.clerk)
    for page in (1, 2, 3):
        response = client.get(preview_url(scan, page))
        assert jpeg_of(response).size == A4_THUMB
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        assert previews.render(scan, page, "thumb") != previews.render(
            scan, 1 + page % 3, "thumb"
        )  # each page drawn, not the first one three times
    assert jpeg_of(client.get(preview_url(scan, 2, "full"))).size == (1132, 1600)


def test_a_thumbnail_is_light(p, submitted):
    for upload in Upload.objects.filter(request=submitted):
        assert 0 < len(previews.render(upload, 1, "thumb")) < 30_000


def test_a_page_with_a_huge_mediabox_is_drawn_at_the_preview_size(p, client):
    writer = PdfWriter()
    writer.add_blank_page(14_400, 14_400)
    writer.pages[0][NameObject("/MediaBox")] = ArrayObject(
        [FloatObject(0), FloatObject(0), FloatObject(200_000), FloatObject(100_000)]
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    request = make_draft(p.desa_a)
    upload = send(request, p.desa_a, "kk-lama", "huge.pdf", buffer.getvalue())
    client.force_login(p.desa_a)
    assert jpeg_of(client.get(preview_url(upload, size="full"))).size == (1600, 800)


@pytest.mark.parametrize(("page", "size"), [(0, "thumb"), (4, "thumb"), (1, "huge"), (1, "x")])
def test_a_page_or_size_that_does_not_exist_is_a_404(p, client, submitted, page, size):
    client.force_login(p.clerk)
    assert client.get(preview_url(current(submitted, "kk-lama"), page, size)).status_code == 404


def test_the_viewer_announces_the_size_each_page_is_drawn_at(p, submitted):
    scan = current(submitted, "kk-lama")
    dimensions = previews.page_dimensions(scan)
    drawn = [Image.open(io.BytesIO(previews.render(scan, n, "full"))).size for n in (1, 2, 3)]
    assert dimensions == drawn
    photo = current(submitted, "bukti-peristiwa")
    assert previews.page_dimensions(photo) == [(1600, 1200)]


# --- cache and clean-up -------------------------------------------------------------------------


def test_a_preview_is_drawn_once_and_then_read_from_storage(p, client, submitted, monkeypatch):
    scan = current(submitted, "kk-lama")
    client.force_login(p.kecamatan_a)
    first = b"".join(client.get(preview_url(scan, 2)).streaming_content)
    name = previews.preview_name(scan, 2, "thumb")
    assert name == f"previews/{submitted.pk}/{scan.pk}/2-thumb.jpg"
    assert default_storage.exists(name)

    def no_drawing(*args, **kwargs):
        raise AssertionError("drawn again")

    monkeypatch.setattr(previews, "render", no_drawing)
    assert b"".join(client.get(preview_url(scan, 2)).streaming_content) == first


def test_a_preview_drawn_twice_at_once_leaves_one_file(p, submitted, monkeypatch):
    scan = current(submitted, "kk-lama")
    name = previews.preview_name(scan, 1, "thumb")
    real_exists = FileSystemStorage.exists
    looked: list[str] = []

    def exists_before_the_other_saves(storage, candidate: str) -> bool:
        if candidate == name and not looked:
            looked.append(candidate)
            # The other request stores its copy between this one's look-up and its save.
            storage.save(name, io.BytesIO(b"drawn by the other request"))
            return False
        return real_exists(storage, candidate)

    monkeypatch.setattr(FileSystemStorage, "exists", exists_before_the_other_saves)
    assert previews.ensure_preview(scan, 1, "thumb") == name
    monkeypatch.undo()
    _dirs, files = default_storage.listdir(f"previews/{submitted.pk}/{scan.pk}")
    assert files == ["1-thumb.jpg"]


def test_delete_previews_removes_every_preview_of_the_upload(p, submitted):
    scan = current(submitted, "kk-lama")
    other = current(submitted, "bukti-peristiwa")
    for page in (1, 2, 3):
        for size in previews.SIZES:
            previews.ensure_preview(scan, page, size)
    previews.ensure_preview(other, 1, "thumb")
    previews.delete_previews(scan)
    for page in (1, 2, 3):
        for size in previews.SIZES:
            assert not default_storage.exists(previews.preview_name(scan, page, size))
    assert default_storage.exists(previews.preview_name(other, 1, "thumb"))
    previews.delete_previews(scan)  # nothing left to delete: no error


# --- who sees them ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desa_a", 200),
        ("kecamatan_a", 200),
        ("clerk", 200),
        ("head", 200),
        ("desa_b", 404),  # another village of the same kecamatan
        ("desa_c", 404),
        ("kecamatan_c", 404),
        ("viewer", 404),  # leadership sees no personal data
        ("admin", 404),
    ],
)
def test_only_those_who_handle_the_request_see_its_previews(p, client, submitted, persona, status):
    scan = current(submitted, "kk-lama")
    client.force_login(getattr(p, persona))
    assert client.get(preview_url(scan)).status_code == status
    assert client.get(viewer_url(scan)).status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, submitted):
    scan = current(submitted, "kk-lama")
    response = client.get(preview_url(scan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_upload_of_another_request_is_a_404(p, client, submitted):
    mine = make_draft(p.desa_a)
    upload_all(p.desa_a, mine)
    foreign = current(submitted, "kk-lama")
    client.force_login(p.desa_a)
    url = reverse(
        "request_upload_preview",
        kwargs={"pk": mine.pk, "upload_pk": foreign.pk, "page": 1, "size": "thumb"},
    )
    assert client.get(url).status_code == 404


def test_a_deleted_file_has_no_preview_and_no_viewer(p, client, submitted):
    scan = current(submitted, "kk-lama")
    client.force_login(p.clerk)
    assert client.get(preview_url(scan)).status_code == 200
    Upload.objects.filter(pk=scan.pk).update(purged_at=timezone.now())
    assert client.get(preview_url(scan)).status_code == 404
    assert client.get(viewer_url(scan)).status_code == 404


# --- pages --------------------------------------------------------------------------------------


def test_the_viewer_shows_every_page_and_links_the_neighbours(p, client, submitted):
    scan = current(submitted, "kk-lama")
    client.cookies["django_language"] = "en"
    client.force_login(p.kecamatan_a)
    page = client.get(viewer_url(scan)).content.decode()
    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == 3
    for number, tag in enumerate(images, start=1):
        assert f'src="{preview_url(scan, number, "full")}"' in tag
        assert 'width="1132" height="1600"' in tag
        assert f"Kartu Keluarga lama, page {number} of 3" in tag
    assert 'loading="lazy"' not in images[0]  # the first page is in view at once
    assert all('loading="lazy"' in tag for tag in images[1:])
    assert reverse("request_upload_file", args=[submitted.pk, scan.pk]) in page
    assert viewer_url(current(submitted, "f-102")) in page  # the requirement before
    assert viewer_url(current(submitted, "bukti-peristiwa")) in page  # and after


def test_the_viewer_is_built_in_a_bounded_number_of_queries(
    p, client, submitted, django_assert_max_num_queries
):
    scan = current(submitted, "kk-lama")
    one_page = current(submitted, "f-102")
    client.force_login(p.clerk)
    for upload in (scan, one_page):
        client.get(viewer_url(upload))  # page sizes now cached
    # What every page costs (session, user, its devices, the unread counter) plus the request
    # and one query for this upload and the current ones: never one per page or file.
    with CaptureQueriesContext(connection) as single:
        client.get(viewer_url(one_page))
    with django_assert_max_num_queries(len(single.captured_queries)):
        assert client.get(viewer_url(scan)).status_code == 200
    with django_assert_max_num_queries(8):
        client.get(viewer_url(scan))


def test_the_detail_page_shows_a_thumbnail_of_each_file(p, client, submitted):
    client.cookies["django_language"] = "en"
    client.force_login(p.kecamatan_a)
    page = client.get(reverse("request_detail", args=[submitted.pk])).content.decode()
    for upload in Upload.objects.filter(request=submitted, replaced_at__isnull=True):
        assert f'href="{viewer_url(upload)}"' in page
        assert f'src="{preview_url(upload)}" loading="lazy"' in page
    assert "3 pages" in page
    assert "1 page<" in page  # the one-page F-1.02


def test_the_worker_draws_a_new_uploads_thumbnail_once_it_is_saved(
    p, django_capture_on_commit_callbacks
):
    """The request page's first viewer finds the thumbnail already drawn (requests/tasks.py);
    the other pages are still drawn when first asked for."""
    request = make_draft(p.desa_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_add(
            actor=p.desa_a,
            request=request,
            requirement_code="bukti-peristiwa",
            file=SimpleUploadedFile("akta.jpg", photo_bytes()),
        )
    # The commit started the photo's check, which drew the thumbnail once the photo was ready.
    upload.refresh_from_db()
    assert upload.state == "ready"
    assert default_storage.exists(previews.preview_name(upload, 1, "thumb"))
    assert not default_storage.exists(previews.preview_name(upload, 1, "full"))


def test_the_thumbnail_task_lets_a_file_it_cannot_draw_or_a_deleted_upload_be(p):
    from paradewi.requests.tasks import render_thumbnail_task

    assert render_thumbnail_task.call(0) == "gone"
    request = make_draft(p.desa_a)
    upload = send(request, p.desa_a, "bukti-peristiwa", "akta.jpg", photo_bytes())
    Upload.objects.filter(pk=upload.pk).update(purged_at=timezone.now())
    assert render_thumbnail_task.call(upload.pk) == "unavailable"
