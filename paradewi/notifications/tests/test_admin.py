"""The administrator sees, filters and retries the outbox, edits templates with a preview and
records opt-outs; nobody else enters these pages."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from paradewi.notifications.models import (
    Channel,
    Event,
    MessageTemplate,
    OptOut,
    Outbox,
    OutboxStatus,
)

OUTBOX = reverse("admin:notifications_outbox_changelist")


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.admin)
    return client


def message(status=OutboxStatus.SENT, **fields):
    return Outbox.objects.create(
        event=fields.pop("event", Event.RESIDENT_DONE),
        channel=fields.pop("channel", Channel.WHATSAPP),
        recipient=fields.pop("recipient", "+6281234567890"),
        language="id",
        body="Dokumen selesai",
        status=status,
        next_attempt_at=timezone.now(),
        dedupe_key=str(uuid.uuid4()),
        **fields,
    )


def test_the_administrator_sees_the_outbox_with_phone_numbers_masked(admin_client):
    message(last_error="")
    message(status=OutboxStatus.FAILED, last_error="HTTP 503: gateway down")
    response = admin_client.get(OUTBOX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "+62812****7890" in content
    assert "+6281234567890" not in content
    assert "HTTP 503: gateway down" in content


def test_the_outbox_filters_by_status_and_channel(admin_client):
    message()
    failed = message(status=OutboxStatus.FAILED)
    message(channel=Channel.EMAIL, recipient="a@example.org")
    response = admin_client.get(OUTBOX, {"status__exact": "failed"})
    assert [row.pk for row in response.context["cl"].result_list] == [failed.pk]
    response = admin_client.get(OUTBOX, {"channel__exact": "email"})
    assert response.context["cl"].result_count == 1


def test_the_administrator_retries_failed_messages(admin_client, gateway, committed):
    admin_client.cookies["django_language"] = "en"
    failed = message(status=OutboxStatus.FAILED, attempts=8)
    sent = message()
    with committed():
        response = admin_client.post(
            OUTBOX,
            {"action": "retry", "_selected_action": [str(failed.pk), str(sent.pk)]},
            follow=True,
        )
    assert "1 message queued again." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert len(gateway.calls) == 1


def test_the_outbox_is_a_record_nobody_edits_or_deletes(admin_client):
    row = message()
    url = reverse("admin:notifications_outbox_change", args=[row.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "+62812****7890" in page.content.decode()
    admin_client.post(url, {"body": "changed"})
    row.refresh_from_db()
    assert row.body == "Dokumen selesai"
    assert admin_client.get(reverse("admin:notifications_outbox_add")).status_code == 403


@pytest.mark.parametrize("persona", ["head", "clerk", "desa_a", "viewer"])
def test_nobody_else_enters_the_notification_admin(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(OUTBOX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def template(event=Event.RESIDENT_DONE, channel="text", language="id"):
    return MessageTemplate.objects.get_or_create(
        event=event,
        channel=channel,
        language=language,
        defaults={"subject": "", "body": "Yth. {first_name}, {number} selesai. {tracking_url}"},
    )[0]


def test_the_administrator_edits_a_template_and_sees_the_preview(admin_client):
    row = template()
    url = reverse("admin:notifications_messagetemplate_change", args=[row.pk])
    response = admin_client.post(
        url,
        {
            "event": row.event,
            "channel": "text",
            "language": "id",
            "subject": "",
            "body": "Yth. {first_name}, dokumen {number} selesai: {tracking_url}",
            "_continue": "1",
        },
    )
    assert response.status_code == 302
    page = admin_client.get(url).content.decode()
    assert "Yth. S*****, dokumen 3516012001-2611-0007 selesai" in page  # the preview
    assert "{tracking_url}" in page  # the placeholders it may use


def test_a_template_with_an_unknown_placeholder_is_not_saved(admin_client):
    row = template()
    response = admin_client.post(
        reverse("admin:notifications_messagetemplate_change", args=[row.pk]),
        {"event": row.event, "channel": "text", "language": "id", "body": "NIK {nik}"},
    )
    assert response.status_code == 200
    assert "{nik}" in response.content.decode()
    row.refresh_from_db()
    assert "{nik}" not in row.body


def test_the_live_preview_shows_the_text_and_its_sms_length_without_saving(admin_client):
    admin_client.cookies["django_language"] = "en"
    row = template()
    response = admin_client.post(
        reverse("admin:notifications_messagetemplate_preview"),
        {"event": row.event, "channel": "text", "language": "id", "body": "Nomor {number}"},
    )
    content = response.content.decode()
    assert "Nomor 3516012001-2611-0007" in content
    assert "26 characters (GSM-7), 1 part(s)" in content
    row.refresh_from_db()
    assert row.body != "Nomor {number}"


def test_put_back_the_default_text(admin_client):
    row = template()
    MessageTemplate.objects.filter(pk=row.pk).update(body="edited {number}")
    admin_client.post(
        reverse("admin:notifications_messagetemplate_changelist"),
        {"action": "reset", "_selected_action": [str(row.pk)]},
    )
    row.refresh_from_db()
    assert row.body.startswith("Yth. {first_name}, dokumen {service}")


def test_the_administrator_records_an_opt_out_typed_any_way(admin_client):
    response = admin_client.post(
        reverse("admin:notifications_optout_add"), {"phone": "0812-3456-7890"}
    )
    assert response.status_code == 302
    opt = OptOut.objects.get()
    assert (opt.phone, opt.source) == ("+6281234567890", "office")
    changelist = admin_client.get(reverse("admin:notifications_optout_changelist"))
    assert "+62812****7890" in changelist.content.decode()
    found = admin_client.get(
        reverse("admin:notifications_optout_changelist"), {"q": "0812 3456 7890"}
    )
    assert found.context["cl"].result_count == 1


def test_the_admin_index_lists_the_notification_pages(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    for name in ("outbox", "messagetemplate", "optout"):
        assert reverse(f"admin:notifications_{name}_changelist") in content
