"""Writing notification rows: the batch of in-app notifications and outbox messages written
together, and the officers' and the resident's share of an event.

Every row is written under a unique `dedupe_key`, so writing the same event twice writes
nothing twice; outbox rows are delivered by one background task each, enqueued after the
rows commit (`delivery.schedule`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from paradewi.accounts.models import Role, User
from paradewi.core.validators import normalize_phone
from paradewi.notifications import delivery, gateway, selectors, texts
from paradewi.notifications.models import Channel, Notification, OptOut, Outbox, OutboxStatus
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tracking import make_message_token


def message_language() -> str:
    language: str = settings.NOTIFICATIONS_LANGUAGE
    return language


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@dataclass
class Batch:
    """Rows to write together; `write()` inserts what does not exist yet and enqueues."""

    notifications: list[Notification] = field(default_factory=list)
    messages: list[Outbox] = field(default_factory=list)

    def in_app(
        self,
        user: User,
        event: str,
        request: ServiceRequest | None,
        params: dict[str, Any],
        key: str,
    ) -> None:
        self.notifications.append(
            Notification(user=user, event=event, request=request, params=params, dedupe_key=key)
        )

    def message(
        self,
        *,
        event: str,
        channel: str,
        recipient: str,
        user: User | None,
        request: ServiceRequest | None,
        subject: str,
        body: str,
        key: str,
        message_id: uuid.UUID | None = None,
    ) -> None:
        self.messages.append(
            Outbox(
                id=message_id or uuid.uuid4(),
                event=event,
                channel=channel,
                recipient=recipient,
                user=user,
                request=request,
                language=message_language(),
                subject=subject,
                body=body,
                next_attempt_at=timezone.now(),
                dedupe_key=key,
            )
        )

    def write(self) -> None:
        with transaction.atomic():
            Notification.objects.bulk_create(self.notifications, ignore_conflicts=True)
            Outbox.objects.bulk_create(self.messages, ignore_conflicts=True)
            keys = [message.dedupe_key for message in self.messages]
            if not keys:
                return
            waiting = Outbox.objects.filter(
                dedupe_key__in=keys, status=OutboxStatus.QUEUED, attempts=0
            ).values_list("pk", flat=True)
            for message_id in waiting:
                transaction.on_commit(partial(delivery.schedule, message_id))


def request_values(request: ServiceRequest, language: str) -> dict[str, str]:
    with translation.override(language):
        village = request.village.display_name
    return {
        "number": request.number or "",
        "service": str(request.definition.get("name", request.service_id)),
        "village": village,
    }


def tell_officers(
    batch: Batch,
    users: list[User],
    event: str,
    request: ServiceRequest | None,
    params: dict[str, Any],
    values: dict[str, str],
    key: str,
    *,
    email: bool = True,
) -> None:
    """In-app for every user; e-mail too for those who have an address and want it."""
    for user in users:
        batch.in_app(user, event, request, params, f"{key}:app:{user.pk}")
    recipients = selectors.email_recipients(users) if email else []
    if not recipients:
        return
    subject, body = texts.compose(event, message_language(), values, delivery=Channel.EMAIL)
    for user in recipients:
        batch.message(
            event=event,
            channel=Channel.EMAIL,
            recipient=user.email,
            user=user,
            request=request,
            subject=subject,
            body=body,
            key=f"{key}:email:{user.pk}",
        )


def resident_phone(request: ServiceRequest) -> str | None:
    """The reporter's number if the resident can be sent WhatsApp/SMS now, else None."""
    if gateway.mode() == "off" or not request.reporter_phone:
        return None
    try:
        phone = normalize_phone(request.reporter_phone)
    except ValidationError:
        return None
    if OptOut.objects.filter(phone=phone).exists():
        return None
    return phone


def tell_resident(
    batch: Batch, event: str, request: ServiceRequest, extra: dict[str, str], key: str
) -> None:
    phone = resident_phone(request)
    if phone is None:
        return
    language = message_language()
    message_id = uuid.uuid4()
    office = request.created_by.area if request.created_by.role == Role.DISTRICT_OPERATOR else None
    with translation.override(language):
        office_name = (office or request.village).display_name
    values = {
        **request_values(request, language),
        "first_name": texts.first_name(request.reporter_name or request.subject_name, language),
        "office": office_name,
        "tracking_url": absolute(reverse("track_token", args=[make_message_token(request)])),
        "optout_url": absolute(reverse("notification_stop", args=[message_id.hex])),
        "when": texts.office_hours(language),
        **extra,
    }
    channel = settings.NOTIFICATIONS_TEXT_CHANNEL
    _subject, body = texts.compose(event, language, values, delivery=channel)
    batch.message(
        event=event,
        channel=channel,
        recipient=phone,
        user=None,
        request=request,
        subject="",
        body=body,
        key=f"{key}:{channel}",
        message_id=message_id,
    )


def clause(text: str) -> str:
    """Officers' text as a clause of a message: scrubbed, without closing punctuation (the
    template writes its own)."""
    return texts.scrub(text).rstrip(" .;,")


def request_url(request: ServiceRequest) -> str:
    return absolute(reverse("request_detail", args=[request.pk]))
