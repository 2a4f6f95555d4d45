"""Delivery from the outbox: once, with retries and backoff, and nothing lost when a worker dies."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend

from paradewi.notifications import delivery, services
from paradewi.notifications.models import Channel, Event, OptOut, Outbox, OutboxStatus
from paradewi.notifications.tasks import deliver_message

PHONE = "+6281234567890"


def queued(channel: str = Channel.WHATSAPP, recipient: str = PHONE, **fields) -> Outbox:
    return Outbox.objects.create(
        event=Event.RESIDENT_DONE,
        channel=channel,
        recipient=recipient,
        language="id",
        subject=fields.pop("subject", ""),
        body=fields.pop("body", "Dokumen Anda sudah selesai."),
        next_attempt_at=fields.pop("next_attempt_at", timezone.now()),
        dedupe_key=str(uuid.uuid4()),
        **fields,
    )


def run_together(calls):
    """Start every call at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def reload(message: Outbox) -> Outbox:
    return Outbox.objects.get(pk=message.pk)


@pytest.fixture
def few_attempts(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    settings.NOTIFICATIONS_RETRY_SECONDS = 60


def test_it_sends_a_queued_message_and_records_it(db, gateway):
    message = queued()
    assert deliver_message.enqueue(str(message.pk)).return_value == "sent"
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.lease_until is None
    assert "gw-1" in message.provider_reference
    assert gateway.texts_to(PHONE) == ["Dokumen Anda sudah selesai."]


def test_a_task_run_twice_sends_the_message_once(db, gateway):
    message = queued()
    first = deliver_message.enqueue(str(message.pk))
    second = deliver_message.enqueue(str(message.pk))
    assert (first.return_value, second.return_value) == ("sent", "skipped")
    assert len(gateway.calls) == 1
    assert reload(message).attempts == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between threads need PostgreSQL (the test SQLite database is in memory)",
)
def test_two_workers_on_the_same_row_send_it_once(gateway, settings):
    gateway.delay = 0.3
    message = queued()
    for _round in range(3):
        Outbox.objects.filter(pk=message.pk).update(status=OutboxStatus.QUEUED, attempts=0)
        results = run_together([lambda: delivery.deliver(message.pk) for _ in range(4)])
        assert sorted(results) == ["sent", "skipped", "skipped", "skipped"]
    assert len(gateway.calls) == 3


def test_a_failing_gateway_is_retried_with_backoff_then_the_message_fails_with_the_reason(
    db, gateway, few_attempts
):
    gateway.answers = [503, 503, 503]
    message = queued()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert delivery.deliver(message.pk) == "retry"
        message = reload(message)
        assert message.status == OutboxStatus.QUEUED
        assert message.attempts == 1
        assert message.next_attempt_at == start + timedelta(seconds=60)
        assert "HTTP 503" in message.last_error

        # Not due yet: the sweep leaves it alone.
        delivery.sweep()
        assert len(gateway.calls) == 1

        clock.shift(timedelta(seconds=61))
        delivery.sweep()  # the inline test backend cannot defer: the sweep enqueues due rows
        message = reload(message)
        assert message.attempts == 2
        assert message.next_attempt_at == start + timedelta(seconds=61 + 120)

        clock.shift(timedelta(seconds=121))
        delivery.sweep()
    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert "HTTP 503" in message.last_error
    assert len(gateway.calls) == 3
    assert gateway.delivered == {}


def test_a_gateway_that_recovers_delivers_on_a_later_attempt(db, gateway, few_attempts):
    gateway.answers = [500]
    message = queued()
    assert delivery.deliver(message.pk) == "retry"
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        delivery.sweep()
    assert reload(message).status == OutboxStatus.SENT
    assert gateway.texts_to(PHONE) == ["Dokumen Anda sudah selesai."]


def test_a_refused_request_fails_at_once_without_retrying(db, gateway):
    gateway.answers = [400]
    message = queued()
    assert delivery.deliver(message.pk) == "failed"
    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "HTTP 400" in message.last_error


def test_a_retry_is_scheduled_with_run_after_where_the_task_backend_can_defer(
    db, gateway, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    gateway.answers = [502]
    message = queued()
    with time_machine.travel(timezone.now(), tick=False):
        assert delivery.deliver(message.pk) == "retry"
        next_at = reload(message).next_attempt_at
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    [result] = backend.results
    assert result.task.name == "deliver_message"
    assert result.args == [str(message.pk)]
    assert result.task.run_after == next_at


def test_a_worker_killed_while_sending_neither_loses_nor_repeats_the_message(db, gateway, settings):
    settings.NOTIFICATIONS_LEASE_SECONDS = 300
    message = queued()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        # The worker claims the row and sends it, then dies before recording the outcome.
        claimed = delivery.claim(message.pk, timezone.now())
        assert claimed is not None
        delivery._send(claimed)
        assert reload(message).status == OutboxStatus.SENDING

        # While the lease runs, nobody else takes the row: no second copy in flight.
        assert delivery.deliver(message.pk) == "skipped"
        delivery.sweep()
        assert reload(message).status == OutboxStatus.SENDING

        # Past the lease, the sweep sends it again with the same idempotency key.
        clock.shift(timedelta(seconds=301))
        delivery.sweep()
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    keys = [call.headers["Idempotency-Key"] for call in gateway.calls]
    assert keys == [str(message.pk), str(message.pk)]
    # The gateway drops the duplicate: the resident gets the message once.
    assert gateway.texts_to(PHONE) == ["Dokumen Anda sudah selesai."]


def test_a_worker_killed_before_the_message_left_still_delivers_it(db, gateway):
    message = queued()
    delivery.claim(message.pk, timezone.now())  # dies right after claiming
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        delivery.sweep()
    assert reload(message).status == OutboxStatus.SENT
    assert len(gateway.calls) == 1


def test_a_stale_worker_cannot_overwrite_the_outcome_of_a_newer_attempt(db, gateway):
    message = queued()
    claimed = delivery.claim(message.pk, timezone.now())
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        delivery.sweep()  # re-queued and sent as attempt 2
    assert reload(message).status == OutboxStatus.SENT
    # The first worker wakes up and tries to record its failure: nothing changes.
    assert not delivery._record(claimed.pk, 1, status=OutboxStatus.FAILED, last_error="late")
    assert reload(message).status == OutboxStatus.SENT


def test_the_last_attempt_interrupted_ends_failed_with_a_reason(db, gateway, few_attempts):
    message = queued(attempts=2)
    delivery.claim(message.pk, timezone.now())  # attempt 3 of 3, then the worker dies
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        delivery.sweep()
    message = reload(message)
    assert message.status == OutboxStatus.FAILED
    assert "stopped" in message.last_error
    assert gateway.calls == []


def test_a_message_queued_before_the_resident_opted_out_is_not_sent(db, gateway):
    message = queued()
    OptOut.objects.create(phone=PHONE, source=OptOut.Source.RESIDENT)
    assert delivery.deliver(message.pk) == "cancelled"
    assert reload(message).status == OutboxStatus.CANCELLED
    assert gateway.calls == []


def test_opting_out_cancels_what_is_still_queued(db, gateway):
    message = queued(next_attempt_at=timezone.now() + timedelta(hours=1))
    services.opt_out(phone="0812 3456 7890", source=OptOut.Source.OFFICE)
    assert reload(message).status == OutboxStatus.CANCELLED


def test_the_administrator_retries_a_failed_message(
    db, gateway, django_capture_on_commit_callbacks
):
    message = queued(status=OutboxStatus.FAILED, attempts=8, last_error="HTTP 503")
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.retry([message.pk]) == 1
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1


def test_retry_leaves_sent_and_queued_messages_alone(db, gateway):
    sent = queued(status=OutboxStatus.SENT)
    assert delivery.retry([sent.pk]) == 0
    assert gateway.calls == []


def test_an_e_mail_carries_its_outbox_id_as_message_id_and_is_sent_once(db, settings):
    settings.SITE_URL = "https://paradewi.example.go.id"
    message = queued(
        channel=Channel.EMAIL, recipient="desa-a@example.org", subject="Permohonan dikembalikan"
    )
    delivery.deliver(message.pk)
    delivery.deliver(message.pk)
    [email] = mail.outbox
    assert email.to == ["desa-a@example.org"]
    assert email.subject == "Permohonan dikembalikan"
    assert email.extra_headers["Message-ID"] == f"<{message.pk}@paradewi.example.go.id>"
    assert reload(message).status == OutboxStatus.SENT


def test_a_mail_server_that_is_down_means_a_retry(db, settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    message = queued(channel=Channel.EMAIL, recipient="desa-a@example.org", subject="x")
    assert delivery.deliver(message.pk) == "retry"
    assert "connection refused" in reload(message).last_error


def test_backoff_doubles_and_is_capped(settings):
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert delivery.backoff(30) == timedelta(days=1)
