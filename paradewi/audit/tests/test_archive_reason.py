"""The request archive is an export of personal data: it asks for a reason and logs it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from paradewi.audit.models import AccessLog, Action

REASON = "Permintaan Inspektorat surat no. 12/2026"


def archive_url(request):
    return reverse("request_archive", kwargs={"pk": request.pk})


def test_the_archive_link_asks_for_the_reason_first(client, p, done):
    client.force_login(p.clerk)
    response = client.get(archive_url(done))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    assert b'name="reason"' in response.content
    assert b"<textarea" in response.content
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("reason", "code"),
    [("", "required"), ("   ", "required"), ("singkat", "min_length"), ("x" * 501, "max_length")],
)
def test_an_archive_without_a_valid_reason_is_refused_and_keeps_the_text(
    client, p, done, reason, code
):
    client.force_login(p.clerk)
    response = client.post(archive_url(done), {"reason": reason})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert [error.code for error in form.errors.as_data()["reason"]] == [code]
    assert b'role="alert"' in response.content
    if reason.strip():
        assert reason.encode() in response.content
    assert not AccessLog.objects.exists()


def test_with_a_reason_the_archive_is_logged_and_sent(client, p, done, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(p.kecamatan_a)
    response = client.post(
        archive_url(done),
        {"reason": f"  {REASON}  "},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert "summary.pdf" in archive.namelist()
    row = AccessLog.objects.get()
    assert row.action == Action.ARCHIVE_EXPORTED
    assert row.user_id == p.kecamatan_a.pk
    assert row.role == "district_operator"
    assert row.request_id == done.pk
    assert row.reason == REASON
    assert row.address == "198.51.100.7"


@pytest.mark.parametrize("persona", ["desa_a", "desa_b", "kecamatan_c", "viewer", "admin"])
def test_those_who_may_not_take_the_archive_get_a_404_and_nothing_is_logged(
    client, p, done, persona
):
    client.force_login(getattr(p, persona))
    assert client.get(archive_url(done)).status_code == 404
    assert client.post(archive_url(done), {"reason": REASON}).status_code == 404
    assert not AccessLog.objects.exists()
