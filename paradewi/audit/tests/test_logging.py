"""Every view that shows or sends a resident's personal data writes one access-log row."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from paradewi.audit.models import AccessLog, Action
from paradewi.audit.services import (
    MissingReasonError,
    access_log_purge,
    access_record,
    short_user_agent,
)
from paradewi.audit.tasks import purge_access_log_task
from paradewi.core.clock import tick
from paradewi.documents.models import OutputFile
from paradewi.requests.models import Upload
from paradewi.requests.tests.test_action_views import in_state

PROXY = "10.0.0.1"
CLIENT = "198.51.100.7"
FORGED = "203.0.113.9"
BROWSER = "Mozilla/5.0 (Linux; Android 13) " + "x" * 400


def _ids(request):
    upload = Upload.objects.filter(request=request).order_by("pk").first()
    output = OutputFile.objects.get(request=request)
    return upload, output


# name, extra URL kwargs ("upload"/"output" for the object's id), persona, action, object.
LOGGED = [
    ("request_detail", {}, "desa_a", Action.REQUEST_OPENED, None),
    ("request_detail", {}, "head", Action.REQUEST_OPENED, None),
    ("request_upload_viewer", {"upload_pk": "upload"}, "clerk", Action.UPLOAD_VIEWED, "upload"),
    (
        "request_upload_file",
        {"upload_pk": "upload"},
        "kecamatan_a",
        Action.UPLOAD_DOWNLOADED,
        "upload",
    ),
    ("request_output_file", {"output_pk": "output"}, "desa_a", Action.OUTPUT_DOWNLOADED, "output"),
    ("output_slip", {"output_pk": "output"}, "desa_a", Action.SLIP_DOWNLOADED, "output"),
    ("request_receipt", {}, "kecamatan_a", Action.RECEIPT_DOWNLOADED, None),
    ("official_form", {"form_code": "f-1-02"}, "clerk", Action.FORM_DOWNLOADED, "F-1.02"),
]


def _url(name, request, extra):
    upload, output = _ids(request)
    objects = {"upload": upload.pk, "output": output.pk}
    kwargs = {key: objects.get(value, value) for key, value in extra.items()}
    return reverse(name, kwargs={"pk": request.pk, **kwargs})


def _expected_object(request, kind):
    upload, output = _ids(request)
    return {"upload": str(upload.pk), "output": str(output.pk), None: ""}.get(kind, kind)


@pytest.mark.parametrize(("name", "extra", "persona", "action", "kind"), LOGGED)
def test_each_logged_view_writes_exactly_one_row_with_who_what_and_where(
    client, p, done, settings, name, extra, persona, action, kind
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = getattr(p, persona)
    client.force_login(user)
    response = client.get(
        _url(name, done, extra),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}",
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 200
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert row.user_id == user.pk
    assert row.role == user.role
    assert row.area_id == user.area_id
    assert row.action == action
    assert row.request_id == done.pk
    assert row.object_id == _expected_object(done, kind)
    assert row.address == CLIENT
    assert row.user_agent == BROWSER[:200]
    assert row.reason == ""
    assert row.at <= timezone.now()


def test_the_role_and_area_are_those_the_user_had_then(client, p, done):
    client.force_login(p.clerk)
    client.get(reverse("request_detail", kwargs={"pk": done.pk}))
    p.clerk.role = "dinas_head"
    p.clerk.save()
    assert AccessLog.objects.get().role == "dinas_clerk"


@pytest.mark.parametrize(("name", "extra", "persona", "action", "kind"), LOGGED)
def test_a_refused_access_writes_nothing(client, p, done, name, extra, persona, action, kind):
    client.force_login(p.desa_b)
    response = client.get(_url(name, done, extra))
    assert response.status_code == 404
    assert not AccessLog.objects.exists()


def test_a_role_that_may_not_see_the_page_writes_nothing(client, p, done):
    client.force_login(p.viewer)
    assert client.get(reverse("request_detail", kwargs={"pk": done.pk})).status_code == 404
    client.force_login(p.clerk)  # the receipt is for the village and kecamatan only
    assert client.get(reverse("request_receipt", kwargs={"pk": done.pk})).status_code == 404
    assert not AccessLog.objects.exists()


def test_the_thumbnails_of_the_request_page_are_not_logged_one_by_one(client, p, done):
    upload, _output = _ids(done)
    client.force_login(p.clerk)
    preview = reverse(
        "request_upload_preview",
        kwargs={"pk": done.pk, "upload_pk": upload.pk, "page": 1, "size": "thumb"},
    )
    client.get(preview)
    assert not AccessLog.objects.exists()


def test_a_purged_scan_is_not_logged_as_downloaded(client, p, done):
    upload, _output = _ids(done)
    Upload.objects.filter(pk=upload.pk).update(purged_at=timezone.now())
    client.force_login(p.clerk)
    url = reverse("request_upload_file", kwargs={"pk": done.pk, "upload_pk": upload.pk})
    assert client.get(url).status_code == 410
    assert not AccessLog.objects.exists()


def test_the_log_holds_no_nik_or_kk_number(client, p, done):
    for persona in ("desa_a", "kecamatan_a", "clerk", "head"):
        client.force_login(getattr(p, persona))
        client.get(reverse("request_detail", kwargs={"pk": done.pk}))
    values = " ".join(str(value) for row in AccessLog.objects.values() for value in row.values())
    assert AccessLog.objects.count() == 4
    assert done.subject_nik not in values
    assert done.subject_name not in values
    assert done.subject_kk not in values


def test_without_a_proxy_the_address_is_the_peer(client, p, done):
    client.force_login(p.clerk)
    client.get(
        reverse("request_detail", kwargs={"pk": done.pk}),
        REMOTE_ADDR="192.0.2.5",
        HTTP_X_FORWARDED_FOR=FORGED,
    )
    assert AccessLog.objects.get().address == "192.0.2.5"


def test_recording_is_one_insert_and_nothing_else(rf, p, done):
    http_request = rf.get("/", HTTP_USER_AGENT="curl/8")
    with CaptureQueriesContext(connection) as queries:
        access_record(
            request=http_request,
            actor=p.clerk,
            action=Action.REQUEST_OPENED,
            service_request=done,
        )
    assert len(queries) == 1
    assert queries[0]["sql"].lstrip().upper().startswith("INSERT")


def test_an_export_cannot_be_logged_without_a_reason(rf, p, done):
    with pytest.raises(MissingReasonError):
        access_record(
            request=rf.get("/"),
            actor=p.clerk,
            action=Action.ARCHIVE_EXPORTED,
            service_request=done,
            reason="   ",
        )
    assert not AccessLog.objects.exists()


def test_the_user_agent_is_shortened_and_printable():
    assert short_user_agent("a\x00b\n  c" + "d" * 300) == ("a b c" + "d" * 300)[:200]


def test_the_purge_deletes_only_rows_past_the_retention_period(rf, p, done):
    old = access_record(
        request=rf.get("/"), actor=p.clerk, action=Action.REQUEST_OPENED, service_request=done
    )
    new = access_record(
        request=rf.get("/"), actor=p.clerk, action=Action.REQUEST_OPENED, service_request=done
    )
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=3000))
    assert access_log_purge(before=timezone.now() - timedelta(days=1825)) == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_purge_command_keeps_five_years_unless_configured(rf, p, done, settings):
    row = access_record(
        request=rf.get("/"), actor=p.clerk, action=Action.REQUEST_OPENED, service_request=done
    )
    AccessLog.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=1000))
    out = io.StringIO()
    call_command("purge_access_log", stdout=out)
    assert out.getvalue().startswith("0 access-log rows older than 1825 days deleted")
    settings.ACCESS_LOG_RETENTION_DAYS = 365
    call_command("purge_access_log", stdout=out)
    assert not AccessLog.objects.exists()


def test_the_daily_tick_purges_old_rows_once_a_day(rf, p, done):
    row = access_record(
        request=rf.get("/"), actor=p.clerk, action=Action.REQUEST_OPENED, service_request=done
    )
    AccessLog.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=2000))
    assert purge_access_log_task.name in tick()
    assert not AccessLog.objects.exists()
    assert purge_access_log_task.name not in tick()


def test_opening_the_edit_page_with_the_full_nik_is_logged(client, p):
    draft = in_state(p, "draft")
    client.force_login(p.desa_b)
    assert client.get(reverse("request_edit", kwargs={"pk": draft.pk})).status_code == 404
    assert not AccessLog.objects.exists()
    client.force_login(p.desa_a)
    assert client.get(reverse("request_edit", kwargs={"pk": draft.pk})).status_code == 200
    row = AccessLog.objects.get()
    assert (row.user_id, row.action, row.request_id) == (
        p.desa_a.pk,
        Action.REQUEST_EDIT_OPENED,
        draft.pk,
    )
