"""Delivering outbox rows: at most one sender at a time, retries with backoff, no message lost.

Life of a row: queued -> sending -> sent, or back to queued (a temporary failure, retried
after NOTIFICATIONS_RETRY_SECONDS x 2^(attempt-1)), or failed (a permanent failure, or the
last attempt), or cancelled (the resident opted out).

- A task *claims* its row with a compare-and-swap, `UPDATE ... SET status='sending',
  lease_until=now+lease WHERE id=? AND status='queued' AND next_attempt_at<=now`: a task run
  twice, or two workers on the same row, send it once; the loser does nothing.
- No transaction is open while the message travels: the claim commits first, the result is
  recorded after, guarded by the attempt number the claim produced.
- A worker killed between claiming and recording leaves the row "sending"; past its lease the
  sweep puts it back in the queue and it is sent again with the same idempotency key (the row's
  UUID), which the gateway uses to drop the duplicate. The lease is longer than the gateway's
  timeout, so a live sender never loses its row to the sweep.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from paradewi.notifications import gateway
from paradewi.notifications.models import Channel, OptOut, Outbox, OutboxStatus

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
# A queued row this long past its due time has lost its task (or the backend cannot defer).
LOST_AFTER = timedelta(minutes=2)


def backoff(attempt: int) -> timedelta:
    """Delay before the next attempt after `attempt` failed ones: 1, 2, 4, 8 ... minutes."""
    seconds = settings.NOTIFICATIONS_RETRY_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, 24 * 60 * 60))


def _send(message: Outbox) -> str:
    """Hand the message to its channel; the channel's reference, or DeliveryError."""
    if message.channel == Channel.EMAIL:
        domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            # The same Message-ID on a resent copy lets mail systems recognise it.
            headers={"Message-ID": f"<{message.pk}@{domain}>", "X-Paradewi-Id": str(message.pk)},
        )
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise gateway.DeliveryError(f"Address refused: {error}", permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            raise gateway.DeliveryError(f"Mail server: {error}") from None
        return ""
    return gateway.send(
        gateway.TextMessage(
            id=str(message.pk), phone=message.recipient, channel=message.channel, text=message.body
        )
    )


def _record(message_id: uuid.UUID, attempt: int, **fields: object) -> bool:
    """Record the outcome of the attempt this worker claimed (and only that one)."""
    done = Outbox.objects.filter(
        pk=message_id, status=OutboxStatus.SENDING, attempts=attempt
    ).update(lease_until=None, updated_at=timezone.now(), **fields)
    return done == 1


def claim(message_id: uuid.UUID | str, now: datetime) -> Outbox | None:
    """Take the row for sending; None when it is not due, already taken or finished."""
    lease = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    taken = Outbox.objects.filter(
        pk=message_id, status=OutboxStatus.QUEUED, next_attempt_at__lte=now
    ).update(
        status=OutboxStatus.SENDING,
        lease_until=lease,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if taken != 1:
        return None
    return Outbox.objects.get(pk=message_id)


def deliver(message_id: uuid.UUID | str) -> str:
    """Send one outbox row if it is due; returns what happened (for logs and tests)."""
    now = timezone.now()
    message = claim(message_id, now)
    if message is None:
        return "skipped"
    attempt = message.attempts
    if message.channel != Channel.EMAIL and OptOut.objects.filter(phone=message.recipient).exists():
        _record(message.pk, attempt, status=OutboxStatus.CANCELLED, last_error="opted out")
        return "cancelled"
    try:
        reference = _send(message)
    except gateway.DeliveryError as error:
        return _failed(message, attempt, str(error), permanent=error.permanent)
    except Exception as error:  # a bug or an unexpected library error: retried like a timeout
        logger.exception("Sending outbox message %s failed", message.pk)
        return _failed(message, attempt, f"{error.__class__.__name__}: {error}", permanent=False)
    _record(
        message.pk,
        attempt,
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        provider_reference=reference[:200],
        last_error="",
    )
    return "sent"


def _failed(message: Outbox, attempt: int, reason: str, *, permanent: bool) -> str:
    if permanent or attempt >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _record(message.pk, attempt, status=OutboxStatus.FAILED, last_error=reason[:2000])
        logger.warning("Outbox message %s failed for good: %s", message.pk, reason)
        return "failed"
    next_at = timezone.now() + backoff(attempt)
    if _record(
        message.pk,
        attempt,
        status=OutboxStatus.QUEUED,
        next_attempt_at=next_at,
        last_error=reason[:2000],
    ):
        schedule(message.pk, next_at)
    return "retry"


def schedule(message_id: uuid.UUID, run_after: datetime | None = None) -> None:
    """Enqueue the delivery task (later, where the task backend can defer).

    A backend that cannot defer (the inline one in tests) gets nothing: the periodic sweep
    enqueues the row once it is due.
    """
    from paradewi.notifications.tasks import deliver_message

    if run_after is None or run_after <= timezone.now():
        deliver_message.enqueue(str(message_id))
    elif deliver_message.get_backend().supports_defer:
        deliver_message.using(run_after=run_after).enqueue(str(message_id))


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Re-queue rows whose sender died (lease expired) and re-enqueue due rows whose task got
    lost. Safe to run any number of times, from any number of workers: every change is a
    compare-and-swap, and enqueueing a row twice sends it once."""
    from paradewi.notifications.tasks import deliver_message

    now = now or timezone.now()
    expired = Outbox.objects.filter(status=OutboxStatus.SENDING, lease_until__lt=now)
    given_up = expired.filter(attempts__gte=settings.NOTIFICATIONS_MAX_ATTEMPTS).update(
        status=OutboxStatus.FAILED,
        lease_until=None,
        updated_at=now,
        last_error="The sender stopped during the last attempt; it may have been delivered.",
    )
    requeued = expired.update(
        status=OutboxStatus.QUEUED,
        lease_until=None,
        next_attempt_at=now,
        updated_at=now,
        last_error="The sender stopped while sending; sent again with the same idempotency key.",
    )
    # Rows due a while ago have lost their task; where the backend cannot defer, every due
    # row waits for the sweep.
    grace = LOST_AFTER if deliver_message.get_backend().supports_defer else timedelta(0)
    due = Outbox.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at__lte=now - grace)
    if requeued:
        due = due | Outbox.objects.filter(status=OutboxStatus.QUEUED, next_attempt_at=now)
    due_ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH])
    for message_id in due_ids:
        schedule(message_id)
    return {"failed": given_up, "requeued": requeued, "enqueued": len(due_ids)}


def retry(message_ids: list[uuid.UUID]) -> int:
    """The administrator sends failed or cancelled messages again, with fresh attempts."""
    now = timezone.now()
    retried = OutboxStatus.FAILED, OutboxStatus.CANCELLED
    ids = list(
        Outbox.objects.filter(pk__in=message_ids, status__in=retried).values_list("pk", flat=True)
    )
    changed = Outbox.objects.filter(pk__in=ids, status__in=retried).update(
        status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=now, updated_at=now
    )
    for message_id in ids:
        transaction.on_commit(partial(schedule, message_id))
    return changed
