"""A photo sent for a requirement is received at once and checked by the worker.

The officer's upload is answered once the photo's type, size and header are known; the worker
decodes it in full and stores its clean JPEG (`services.upload_check`, started by the commit).
Until then nobody can open it, and the request cannot be submitted; a photo that turns out
damaged counts as missing, with the reason, until another is sent.
"""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paradewi.requests import services
from paradewi.requests.errors import WorkflowError
from paradewi.requests.models import Status, Upload
from paradewi.requests.requirements import checklist
from paradewi.requests.tasks import check_upload_task
from paradewi.requests.tests.factories import (
    jpeg_bytes,
    load_catalogue,
    make_draft,
    pdf_file,
    upload_all,
)
from paradewi.requests.tests.test_edit_views import login, upload_url
from paradewi.requests.tests.test_files import noise_jpeg


@pytest.fixture
def p(personas):
    load_catalogue()
    return personas


def photo(name: str = "kk.jpg", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes())


def truncated() -> bytes:
    """A photo whose header is whole and whose pixels stop half-way: only decoding finds it."""
    whole = noise_jpeg()
    return whole[: len(whole) * 6 // 10]


def send(p, request, data: bytes | None = None, code: str = "kk-lama") -> Upload:
    return services.upload_add(
        actor=p.desa_a, request=request, requirement_code=code, file=photo(data=data)
    )


def fresh(upload: Upload) -> Upload:
    upload.refresh_from_db()
    return upload


def test_a_photo_is_received_as_sent_and_checked_by_the_worker(p):
    request = make_draft(p.desa_a)
    data = jpeg_bytes()
    upload = send(p, request, data)
    assert upload.state == "checking"
    assert upload.sha256 == upload.received_sha256 == hashlib.sha256(data).hexdigest()
    sent = upload.file.name
    assert default_storage.exists(sent)

    assert services.upload_check(upload.pk) == "ready"
    upload = fresh(upload)
    assert upload.state == "ready"
    assert upload.content_type == "image/jpeg"
    assert upload.received_sha256 == hashlib.sha256(data).hexdigest()
    with default_storage.open(upload.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == upload.sha256
    assert not default_storage.exists(sent)
    # A second run (a retried task) finds nothing to do and changes nothing.
    assert services.upload_check(upload.pk) == "done"
    assert fresh(upload).sha256 == upload.sha256


def test_a_pdf_is_checked_while_the_officer_waits_and_ready_at_once(p):
    request = make_draft(p.desa_a)
    upload = services.upload_add(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=pdf_file()
    )
    assert upload.state == "ready"
    assert services.upload_check(upload.pk) == "done"


def test_a_header_that_says_too_many_pixels_is_refused_at_once(p, settings):
    settings.UPLOAD_MAX_PIXELS = 100 * 100
    request = make_draft(p.desa_a)
    with pytest.raises(ValidationError) as caught:
        send(p, request, jpeg_bytes(size=(200, 200)))
    assert caught.value.code == "too_many_pixels"
    assert not Upload.objects.exists()


def test_the_commit_starts_the_check_and_the_thumbnail(p, django_capture_on_commit_callbacks):
    request = make_draft(p.desa_a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload = send(p, request)
    assert len(callbacks) == 1
    assert fresh(upload).state == "ready"
    assert check_upload_task.call(upload.pk) == "done"


def test_a_photo_being_checked_cannot_be_opened_by_anyone(p, client):
    request = make_draft(p.desa_a)
    upload = send(p, request)
    login(client, p.desa_a)
    for name, kwargs in (
        ("request_upload_file", {}),
        ("request_upload_viewer", {}),
        ("request_upload_preview", {"page": 1, "size": "thumb"}),
    ):
        address = reverse(name, kwargs={"pk": request.pk, "upload_pk": upload.pk, **kwargs})
        assert client.get(address).status_code == 404, name
    page = client.get(reverse("request_detail", args=[request.pk])).content.decode()
    assert "being checked" in page
    assert reverse("request_upload_file", args=[request.pk, upload.pk]) not in page
    services.upload_check(upload.pk)
    assert (
        client.get(reverse("request_upload_file", args=[request.pk, upload.pk])).status_code == 200
    )


def test_no_submission_goes_out_with_a_photo_nobody_checked(p):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    upload = send(p, request)
    assert not checklist(request).complete
    with pytest.raises(WorkflowError, match="is still being checked"):
        services.request_submit(actor=p.desa_a, request=request)
    services.upload_check(upload.pk)
    assert services.request_submit(actor=p.desa_a, request=request).status == Status.SUBMITTED


def test_submitting_checks_at_once_the_photos_the_worker_has_not_reached(p, client):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    upload = send(p, request)
    login(client, p.desa_a)
    response = client.post(reverse("request_submit", args=[request.pk]))
    assert response["Location"] == reverse("request_detail", args=[request.pk])
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    assert fresh(upload).state == "ready"


def test_a_photo_found_damaged_at_submission_stops_it_with_the_reason(p, client):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    upload = send(p, request, truncated())
    login(client, p.desa_a)
    response = client.post(reverse("request_submit", args=[request.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "Upload “Kartu Keluarga lama” again" in page
    assert "arrived incomplete" in page
    request.refresh_from_db()
    assert request.status == Status.DRAFT
    assert fresh(upload).state == "damaged"


def test_who_may_not_submit_starts_no_check(p):
    request = make_draft(p.desa_a)
    upload = send(p, request)
    assert services.uploads_finish_checks(actor=p.desa_b, request=request) == 0
    assert services.uploads_finish_checks(actor=p.clerk, request=request) == 0
    assert fresh(upload).state == "checking"
    assert services.uploads_finish_checks(actor=p.desa_a, request=request) == 1


def test_a_damaged_photo_counts_as_missing_with_its_reason_until_sent_again(p, client):
    request = make_draft(p.desa_a)
    upload_all(p.desa_a, request)
    upload = send(p, request, truncated())
    sent = upload.file.name
    assert services.upload_check(upload.pk) == "damaged"
    upload = fresh(upload)
    assert (upload.state, upload.refusal, upload.file.name) == ("damaged", "truncated", "")
    assert not default_storage.exists(sent)  # nothing of the damaged file is kept
    check = checklist(request)
    assert not check.complete
    assert any("again" in line and "incomplete" in line for line in check.missing)

    login(client, p.desa_a)
    row = client.get(reverse("request_upload_row", args=[request.pk, "kk-lama"]))
    text = row.content.decode()
    assert "could not be read" in text
    assert "arrived incomplete" in text
    assert "hx-trigger" not in text  # nothing more to wait for
    assert "Replace with another file" not in text  # the form asks for the file anew
    client.post(reverse("request_submit", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == Status.DRAFT

    # The same damaged bytes again are checked again (and refused again), never taken as
    # the current file; a good photo replaces the damaged one.
    again = send(p, request, truncated())
    assert again.pk != upload.pk
    good = send(p, request)
    assert services.upload_check(good.pk) == "ready"
    assert checklist(request).complete


def test_the_same_photo_sent_again_is_recognised_before_and_after_its_check(p):
    request = make_draft(p.desa_a)
    data = jpeg_bytes()
    first = send(p, request, data)
    assert send(p, request, data).pk == first.pk
    services.upload_check(first.pk)
    assert send(p, request, data).pk == first.pk
    assert Upload.objects.count() == 1


def test_a_replaced_photo_is_still_checked(p):
    request = make_draft(p.desa_a)
    first = send(p, request, jpeg_bytes(size=(30, 40)))
    second = send(p, request, jpeg_bytes(size=(40, 30)))
    assert fresh(first).replaced_at is not None
    assert services.upload_check(first.pk) == "ready"
    assert services.upload_check(second.pk) == "ready"
    assert checklist(request).item("kk-lama").upload.pk == second.pk


def test_the_row_asks_again_while_the_photo_is_checked_and_stops_when_ready(p, client):
    request = make_draft(p.desa_a)
    upload = send(p, request)
    login(client, p.desa_a)
    address = reverse("request_upload_row", args=[request.pk, "kk-lama"])
    text = client.get(address).content.decode()
    assert f'hx-get="{address}"' in text
    assert "being checked" in text
    assert '<div id="missing" hx-swap-oob="true">' in text  # the missing list too
    services.upload_check(upload.pk)
    response = client.get(address)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "hx-get" not in text.split(">", 1)[0]
    assert reverse("request_upload_file", args=[request.pk, upload.pk]) in text


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desa_a", 200),
        ("desa_b", 404),
        ("desa_c", 404),
        ("kecamatan_c", 404),
        ("clerk", 404),
        ("viewer", 404),
    ],
)
def test_who_may_follow_a_row(p, client, persona, status):
    request = make_draft(p.desa_a)
    send(p, request)
    client.force_login(getattr(p, persona))
    response = client.get(reverse("request_upload_row", args=[request.pk, "kk-lama"]))
    assert response.status_code == status


def test_a_row_of_no_such_requirement_is_a_404_and_the_row_answers_only_get(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    assert (
        client.get(reverse("request_upload_row", args=[request.pk, "nothing"])).status_code == 404
    )
    address = reverse("request_upload_row", args=[request.pk, "kk-lama"])
    assert client.post(address).status_code == 405


def test_an_upload_through_the_page_answers_with_the_row_being_checked(p, client):
    request = make_draft(p.desa_a)
    login(client, p.desa_a)
    response = client.post(
        upload_url(request, "kk-lama"),
        {"kk-lama-file": photo("IMG_1.png", jpeg_bytes())},
        headers={"hx-request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "being checked" in text
    assert "IMG_1.jpg" in text  # named after the type it will be stored as


def test_a_photo_whose_check_was_lost_is_checked_at_the_next_tick(p):
    from datetime import timedelta

    from django.utils import timezone

    from paradewi.core import clock

    request = make_draft(p.desa_a)
    upload = send(p, request)
    assert services.uploads_check_forgotten() == 0  # its own task may still be on its way
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=timezone.now() - timedelta(minutes=3))
    assert "check_forgotten_uploads_task" in clock.tick()
    assert fresh(upload).state == "ready"


def test_a_photo_that_cannot_be_read_back_from_the_store_is_damaged_not_stuck(p):
    request = make_draft(p.desa_a)
    upload = send(p, request)
    default_storage.delete(upload.file.name)
    assert services.upload_check(upload.pk) == "damaged"
    upload = fresh(upload)
    assert upload.refusal == "corrupt"
    assert "Upload “Kartu Keluarga lama” again" in " ".join(checklist(request).missing)
