"""Telling people what happened: in-app notifications, the outbox, message templates,
announcements and opt-outs (docs/notifications.md).

Rows are written only through `notifications.services` (and the outbox's delivery through
`notifications.delivery`); nothing here has business rules in `save()`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from paradewi.core.masking import mask_phone
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest


class Event(models.TextChoices):
    """What a message is about. Officer events and resident events have their own codes, since
    they go to different people with different words."""

    # to officers
    SUBMITTED = "submitted", _("Submitted: waits for the kecamatan")
    QUEUED = "queued", _("In the Dinas queue")
    REASSIGNED = "reassigned", _("Reassigned to a clerk")
    RETURNED = "returned", _("Returned to the village")
    DONE = "done", _("Done: ready to print")
    READY_FOR_PICKUP = "ready_for_pickup", _("Card ready for pick-up")
    REJECTED = "rejected", _("Rejected")
    APPROACHING = "approaching", _("Approaching the target time")
    OVERDUE_DIGEST = "overdue_digest", _("Daily overdue digest")
    # to residents
    RESIDENT_RETURNED = "resident_returned", _("Resident: what to bring or fix")
    RESIDENT_DONE = "resident_done", _("Resident: document ready")
    RESIDENT_READY = "resident_ready", _("Resident: card ready for pick-up")
    RESIDENT_REJECTED = "resident_rejected", _("Resident: rejected, with the reason")
    RESIDENT_SURVEY = "resident_survey", _("Resident: survey invitation")
    # complaints (docs/complaints.md)
    COMPLAINT_FILED = "complaint_filed", _("Complaint filed")
    COMPLAINT_ASSIGNED = "complaint_assigned", _("Complaint assigned to you")
    COMPLAINT_REPLIED = "complaint_replied", _("Complainant replied or reopened")
    COMPLAINT_DUE = "complaint_due", _("Complaint due soon or overdue")
    RESIDENT_COMPLAINT_ANSWERED = "resident_complaint", _("Complainant: the answer (WhatsApp/SMS)")
    RESIDENT_COMPLAINT_EMAIL = "resident_complaint_mail", _("Complainant: the answer (e-mail)")


RESIDENT_EVENTS = frozenset(
    {
        Event.RESIDENT_RETURNED,
        Event.RESIDENT_DONE,
        Event.RESIDENT_READY,
        Event.RESIDENT_REJECTED,
        Event.RESIDENT_SURVEY,
        Event.RESIDENT_COMPLAINT_ANSWERED,
        Event.RESIDENT_COMPLAINT_EMAIL,
    }
)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Notification(models.Model):
    """One in-app notification for an officer, shown in the list and counted in the menu.

    The words are made when the notification is shown (in the reader's language) from the
    event and `params`; `dedupe_key` makes creating it idempotent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    params: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=150, unique=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_list"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.event}"


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent (opted out)")


class Outbox(models.Model):
    """One message to send by e-mail, WhatsApp or SMS: the source of truth for delivery.

    A row is written in the same transaction as the decision to send it and delivered by one
    background task. `id` is the idempotency key the gateway receives; `dedupe_key` makes the
    decision itself idempotent (one row per event, channel and recipient).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # An e-mail address, or a phone number as +628...
    recipient = models.CharField(_("recipient"), max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("officer"),
    )
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("request"),
    )
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    # While "sending": the worker holds the row until then; past it, the sweep re-queues it.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_error = models.TextField(_("reason"), blank=True)
    provider_reference = models.CharField(_("gateway reference"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    dedupe_key = models.CharField(max_length=150, unique=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["status", "lease_until"], name="outbox_lease"),
            models.Index(fields=["-created_at"], name="outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_event_display()} ({self.status})"


class TemplateChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("WhatsApp/SMS")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")


class MessageTemplate(models.Model):
    """The words of one message, per event, channel and language, editable by the administrator.

    Placeholders are written `{number}`; each event allows its own (texts.PLACEHOLDERS).
    A missing row falls back to the built-in default (notifications/defaults.py).
    """

    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=TemplateChannel.choices)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["event", "channel", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "channel", "language"], name="message_template_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} · {self.get_channel_display()} · {self.language}"


class OptOut(models.Model):
    """A phone number that receives no WhatsApp or SMS from paradewi."""

    class Source(models.TextChoices):
        RESIDENT = "resident", _("The resident, through the link in a message")
        OFFICE = "office", _("Recorded by the administrator")

    phone = models.CharField(_("phone"), max_length=16, unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self) -> str:
        return mask_phone(self.phone)


class Preference(models.Model):
    """An officer's choice of channels (in-app notifications are always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.BooleanField(_("also by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email}"


class Announcement(models.Model):
    """A notice the Dinas broadcasts to officers (new rules, closures, training dates).

    Its recipients are fixed when it is published (one AnnouncementReceipt each), so "who has
    read it" always means the same people.
    """

    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Roles it is for, and the area (the regency or one kecamatan) their accounts lie in.
    roles: models.JSONField[Any, Any] = models.JSONField(_("roles"), default=list)
    area = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    # Shown until read, or until this day has passed.
    expires_on = models.DateField(_("shown until"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AnnouncementReceipt(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="receipts"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "user"], name="announcement_receipt")
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="announcement_unread"
            )
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}: {self.user_id}"


class Cursor(models.Model):
    """A position a periodic job has reached (the last history row it has looked at)."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"
