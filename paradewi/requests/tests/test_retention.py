"""Retention: scans of requests that ended more than UPLOAD_RETENTION_DAYS ago are deleted;
their records, the history and the issued documents stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.utils import timezone

from paradewi.core.clock import tick
from paradewi.documents import services as documents_services
from paradewi.documents.models import OutputFile
from paradewi.requests import services
from paradewi.requests.models import ServiceRequest, Transition, Upload
from paradewi.requests.previews import ensure_preview
from paradewi.requests.retention import purge_expired_uploads
from paradewi.requests.tasks import purge_expired_uploads_task
from paradewi.requests.tests.factories import add_upload, jpeg_file, make_submitted, pdf_file
from paradewi.requests.tests.test_action_views import as_user, in_state, url

DAYS = 30


@pytest.fixture
def p(personas, settings):
    settings.UPLOAD_RETENTION_DAYS = DAYS
    return personas


def ended(request: ServiceRequest, days_ago: float) -> ServiceRequest:
    """Pretend the request reached its current state `days_ago` days ago."""
    moment = timezone.now() - timedelta(days=days_ago)
    ServiceRequest.objects.filter(pk=request.pk).update(status_changed_at=moment)
    request.refresh_from_db()
    return request


def handed_over(p) -> ServiceRequest:
    """Done with a replaced scan and an issued KK, then handed over to the resident."""
    request = in_state(p, "returned")
    add_upload(
        actor=p.desa_a, request=request, requirement_code="kk-lama", file=jpeg_file("new.jpg")
    )
    request = services.request_submit(actor=p.desa_a, request=request)
    request = services.request_verify(actor=p.kecamatan_a, request=request)
    request = services.request_claim(actor=p.clerk, request=request)
    request = documents_services.request_complete(
        actor=p.clerk,
        request=request,
        outputs=[services.OutputUpload("kk", pdf_file("kk.pdf"))],
    )
    return services.request_hand_over(actor=p.desa_a, request=request)


def rejected(p) -> ServiceRequest:
    request = in_state(p, "verified")
    return services.request_reject(actor=p.clerk, request=request, reason="Bukan warga")


def cancelled(p) -> ServiceRequest:
    request = make_submitted(p.desa_a)
    return services.request_cancel(actor=p.desa_a, request=request, reason="Salah layanan")


def stored(upload):
    return upload.file.storage.exists(upload.file.name)


@pytest.fixture
def world(p):
    """Requests in every relevant situation, keyed by what retention must do with them."""
    return {
        "old_handed_over": ended(handed_over(p), DAYS + 1),
        "old_rejected": ended(rejected(p), DAYS + 5),
        "old_cancelled": ended(cancelled(p), 400),
        "recent_handed_over": ended(handed_over(p), DAYS - 1),
        "old_but_done": ended(in_state(p, "done"), 400),  # not handed over yet: not final
        "old_but_returned": ended(in_state(p, "returned"), 400),
    }


EXPIRED = ("old_handed_over", "old_rejected", "old_cancelled")


def test_it_deletes_only_the_files_of_requests_that_ended_long_enough_ago(world):
    before = {key: list(Upload.objects.filter(request=r)) for key, r in world.items()}
    count = purge_expired_uploads()
    assert count == sum(len(before[key]) for key in EXPIRED)
    for key, uploads in before.items():
        for upload in uploads:
            upload.refresh_from_db()
            if key in EXPIRED:
                assert upload.purged_at is not None, key
                assert not stored(upload), key
            else:
                assert upload.purged_at is None, key
                assert stored(upload), key


def test_replaced_scans_go_too(world):
    purge_expired_uploads()
    replaced = Upload.objects.filter(
        request=world["old_handed_over"], replaced_at__isnull=False
    ).get()
    assert replaced.purged_at is not None
    assert not stored(replaced)


def test_records_history_hashes_and_issued_documents_stay(world):
    request = world["old_handed_over"]
    uploads = {u.pk: (u.sha256, u.size, u.original_name) for u in request.uploads.all()}
    history = list(Transition.objects.filter(request=request).values_list("pk", flat=True))
    output = OutputFile.objects.get(request=request)
    purge_expired_uploads()
    after = {u.pk: (u.sha256, u.size, u.original_name) for u in request.uploads.all()}
    assert after == uploads
    assert list(Transition.objects.filter(request=request).values_list("pk", flat=True)) == (
        history
    )
    output.refresh_from_db()
    assert output.file.storage.exists(output.file.name)
    request.refresh_from_db()
    assert request.status == "handed_over"


def test_it_is_idempotent(world):
    first = purge_expired_uploads()
    purged_at = dict(Upload.objects.filter(purged_at__isnull=False).values_list("pk", "purged_at"))
    assert first > 0
    assert purge_expired_uploads() == 0
    again = dict(Upload.objects.filter(purged_at__isnull=False).values_list("pk", "purged_at"))
    assert again == purged_at


def test_a_file_already_gone_from_storage_is_no_error(world):
    upload = Upload.objects.filter(request=world["old_rejected"]).first()
    upload.file.storage.delete(upload.file.name)
    purge_expired_uploads()
    upload.refresh_from_db()
    assert upload.purged_at is not None


def test_it_works_in_batches(world):
    expected = Upload.objects.filter(request__in=[world[key] for key in EXPIRED]).count()
    assert purge_expired_uploads(batch_size=2) == expected


def test_the_period_counts_from_the_day_the_request_ended(world, settings):
    settings.UPLOAD_RETENTION_DAYS = 500
    assert purge_expired_uploads() == 0
    later = timezone.now() + timedelta(days=500 - DAYS)
    assert purge_expired_uploads(now=later) > 0


def test_a_storage_error_leaves_the_upload_for_the_next_run(world, monkeypatch):
    calls = []
    real_delete = FileSystemStorage.delete

    def flaky_delete(storage, name):
        if name.startswith("uploads/"):
            calls.append(name)
            if len(calls) == 1:
                raise OSError("store unreachable")
        return real_delete(storage, name)

    monkeypatch.setattr(FileSystemStorage, "delete", flaky_delete)
    expected = Upload.objects.filter(request__in=[world[key] for key in EXPIRED]).count()
    assert purge_expired_uploads() == expected - 1
    assert Upload.objects.filter(purged_at__isnull=True, file=calls[0]).exists()
    assert purge_expired_uploads() == 1


def test_previews_are_deleted_with_the_file(world):
    old = Upload.objects.filter(request=world["old_handed_over"], replaced_at__isnull=True)
    recent = Upload.objects.filter(request=world["recent_handed_over"]).first()
    previews = [ensure_preview(upload, 1, "thumb") for upload in old]
    kept = ensure_preview(recent, 1, "thumb")
    storage = recent.file.storage
    assert all(storage.exists(name) for name in [*previews, kept])
    purge_expired_uploads()
    assert not any(storage.exists(name) for name in previews)
    assert storage.exists(kept)


# --- the task, the daily tick, the command ----------------------------------------------------


def test_the_task_runs_the_purge(world):
    result = purge_expired_uploads_task.enqueue()
    assert result.return_value == Upload.objects.filter(purged_at__isnull=False).count() > 0


def test_the_tick_enqueues_the_purge_once_a_day(world):
    today = timezone.localtime().replace(hour=9, minute=0)
    with time_machine.travel(today, tick=False):
        assert purge_expired_uploads_task.name in tick()
        assert purge_expired_uploads_task.name not in tick()
    assert Upload.objects.filter(purged_at__isnull=False).exists()
    with time_machine.travel(today + timedelta(days=1), tick=False):
        assert purge_expired_uploads_task.name in tick()


def test_the_command_purges_and_its_dry_run_only_counts(world, capsys):
    expected = Upload.objects.filter(request__in=[world[key] for key in EXPIRED]).count()
    call_command("purge_uploads", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would delete the files of {expected} uploads of 3 requests" in out
    assert not Upload.objects.filter(purged_at__isnull=False).exists()
    call_command("purge_uploads")
    assert f"Deleted the files of {expected} uploads" in capsys.readouterr().out
    assert Upload.objects.filter(purged_at__isnull=False).count() == expected


# --- pages after the purge ---------------------------------------------------------------------


def test_a_purged_file_answers_410_with_an_explanation(client, p, world):
    request = world["old_handed_over"]
    purge_expired_uploads()
    upload = Upload.objects.filter(request=request).first()
    client.cookies["django_language"] = "en"
    response = as_user(client, p.desa_a).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 410
    text = response.content.decode()
    assert "This file was deleted on" in text
    assert "retention period" in text
    assert "no-store" in response["Cache-Control"]


def test_a_purged_file_of_another_village_is_still_a_404(client, p, world):
    request = world["old_handed_over"]
    purge_expired_uploads()
    upload = Upload.objects.filter(request=request).first()
    response = as_user(client, p.desa_b).get(
        url("request_upload_file", request, upload_pk=upload.pk)
    )
    assert response.status_code == 404


def test_the_detail_page_says_deleted_instead_of_linking(client, p, world):
    request = world["old_handed_over"]
    purge_expired_uploads()
    client.cookies["django_language"] = "en"
    html = as_user(client, p.clerk).get(url("request_detail", request)).content.decode()
    for upload in Upload.objects.filter(request=request):
        assert url("request_upload_file", request, upload_pk=upload.pk) not in html
        assert upload.original_name in html
    date = timezone.localtime(Upload.objects.filter(request=request).first().purged_at)
    assert f"deleted after the retention period ({date:%-d %b %Y})" in html
    output = OutputFile.objects.get(request=request)
    assert url("request_output_file", request, output_pk=output.pk) in html


def test_retention_deletes_the_objects_from_s3(p, s3):
    old = ended(handed_over(p), DAYS + 1)
    recent = ended(handed_over(p), 1)
    old_names = {u.file.name for u in old.uploads.all()}
    recent_names = {u.file.name for u in recent.uploads.all()}
    outputs = {o.file.name for o in OutputFile.objects.all()}
    assert old_names | recent_names | outputs <= s3.names()
    assert purge_expired_uploads() == len(old_names)
    keys = s3.names()
    assert not old_names & keys
    assert recent_names <= keys
    assert outputs <= keys
