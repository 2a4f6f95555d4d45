"""A complaint (pengaduan) and its history (docs/complaints.md).

UU 25/2009 on public services obliges every service unit to run complaint handling (Pasal 36);
Perpres 76/2013 connects it to the national system SP4N-LAPOR!. A complaint is about one
request or about the service in general; it is answered on the working-day clock
(`worktime`) against a target the administrator sets (`ComplaintSettings`). Its status only
changes through `complaints/services.py`, and every step appends a `ComplaintEvent`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from paradewi.catalogue.models import Service
from paradewi.core.fields import EncryptedTextField
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest

TEXT_MAX_LENGTH = 2000
TEXT_MIN_LENGTH = 10


class Category(models.TextChoices):
    SLOW = "slow", _("Too slow")
    DATA_WRONG = "data_wrong", _("Data wrong on the document")
    REQUIREMENTS_UNCLEAR = "requirements", _("Requirements unclear")
    CONDUCT = "conduct", _("Officer's conduct")
    FEES = "fees", _("Fees asked")
    OTHER = "other", _("Other")


# Complaints that judge an officer: read only by those who manage complaints and the one the
# complaint is given to, never by the officers of the village or kecamatan it is about, who
# may be the very officer complained of (docs/complaints.md, "Who sees what").
SENSITIVE_CATEGORIES = frozenset({Category.CONDUCT, Category.FEES})


class Status(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", pgettext_lazy("complaint", "Answered")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    WEB = "web", _("Online, by the resident")
    OFFICE = "office", _("At an office, by an officer")
    LAPOR = "lapor", _("Received from SP4N-LAPOR!")


class LaporDirection(models.TextChoices):
    FORWARDED = "forwarded", _("Forwarded to LAPOR!")
    RECEIVED = "received", _("Received from LAPOR!")


class Action(models.TextChoices):
    FILE = "file", _("Filed")
    ASSIGN = "assign", _("Assigned")
    ANSWER = "answer", pgettext_lazy("complaint", "Answered")
    REPLY = "reply", _("Complainant replied")
    REOPEN = "reopen", _("Reopened by the complainant")
    CLOSE = "close", _("Closed")
    RATE = "rate", _("Answer rated")
    LAPOR = "lapor", _("SP4N-LAPOR! recorded")


# Default target for an answer: 5 working days, the time SP4N-LAPOR! gives an agency to follow
# up a complaint (keluhan) it receives (KemenPAN-RB on the LAPOR! rules, 2018: first response
# within 3 days, complaints and requests for information within 5 working days, disputes
# without a field check 14, with one 60). The administrator changes it in the admin.
DEFAULT_TARGET_DAYS = 5


class ComplaintSettings(models.Model):
    """The regency's complaint rules, one row (pk 1), edited by the administrator."""

    answer_target_days = models.PositiveSmallIntegerField(
        _("target for an answer (working days)"),
        default=DEFAULT_TARGET_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Default 5 working days: the follow-up time of SP4N-LAPOR! for complaints "
            "(Perpres 76/2013). A new target applies to complaints filed or reopened after it."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint settings")
        verbose_name_plural = _("complaint settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class Complaint(models.Model):
    """One complaint. Contact data and the text are encrypted like other personal data."""

    number = models.CharField(_("complaint number"), max_length=16, unique=True)
    pin = models.CharField(_("PIN"), max_length=6)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = EncryptedTextField(_("complaint"), max_length=TEXT_MAX_LENGTH)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # What it is about: a request (then its service and area), or the service in general.
    request = models.ForeignKey(
        ServiceRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("request"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The area it concerns: the request's village, the filing officer's area, or the kecamatan
    # the resident chose; none for the regency as a whole (only the Dinas sees those).
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # How to answer: optional (an anonymous complaint is followed with its number and PIN).
    contact_name = EncryptedTextField(_("name"), max_length=150, blank=True)
    contact_phone = EncryptedTextField(_("phone"), max_length=16, blank=True)
    contact_email = EncryptedTextField(_("e-mail"), max_length=254, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    status_changed_at = models.DateTimeField(_("status changed at"), auto_now_add=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    # The clock: the first answer is due by `first_due_at`; `due_at` is the current target
    # (a reopened complaint is due again one target after reopening).
    target_minutes = models.PositiveIntegerField(_("target (working minutes)"))
    first_due_at = models.DateTimeField(_("first answer due at"))
    due_at = models.DateTimeField(_("answer due at"))
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    lapor_direction = models.CharField(
        _("SP4N-LAPOR!"), max_length=10, choices=LaporDirection.choices, blank=True
    )
    lapor_number = models.CharField(_("LAPOR! tracking number"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "due_at"], name="complaint_queue"),
            models.Index(fields=["district", "status", "due_at"], name="complaint_district"),
            models.Index(fields=["filed_at"], name="complaint_filed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=4),
                name="complaint_rating_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES


class ComplaintEvent(models.Model):
    """Append-only history of a complaint: every step, who took it (none: the complainant),
    the words written, the status before and after. It is the timeline both sides see and the
    source of the figures."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    from_status = models.CharField(_("from"), max_length=10, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=Status.choices)
    text = EncryptedTextField(_("text"), max_length=TEXT_MAX_LENGTH, blank=True)
    details: models.JSONField[Any, Any] = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        indexes = [models.Index(fields=["complaint", "created_at"], name="complaint_event")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.action}"


class ComplaintSequence(models.Model):
    """The last complaint number used per month (row-locked when taken)."""

    period = models.CharField(max_length=4, unique=True)  # YYMM
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.period}: {self.last}"
