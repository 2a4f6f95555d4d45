from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# Form numbers of Permendagri 109/2019: F-1.xx population registration, F-2.xx civil registration.
FORM_CODE_RE = re.compile(r"F-[12]\.\d{2}")


# A reason (route) code as the detail forms store it: "marriage", "head_died", "split".
REASON_RE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def reason_codes(text: str) -> list[str]:
    """The reason codes of a requirement's `reasons` text, in order, without blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]


class TargetUnit(models.TextChoices):
    MINUTES = "minutes", _("working minutes")
    HOURS = "hours", _("working hours")
    DAYS = "days", _("working days")


class Condition(models.TextChoices):
    """When a requirement applies; evaluated against the request's own data."""

    ALWAYS = "always", _("Always")
    IF_LOST = "if_lost", _("Only if the document was lost")
    IF_DAMAGED = "if_damaged", _("Only if the document was damaged")
    IF_MOVED_IN = "if_moved_in", _("Only if the person moved in from elsewhere")
    IF_ELEMENT_CHANGE = "if_element_change", _("Only if data elements change")
    IF_CHILD_5_17 = "if_child_5_17", _("Only if the child is 5 to 17 years old")
    IF_UNDER_21 = "if_under_21", _("Only if a spouse is under 21")
    IF_UNDER_19 = "if_under_19", _("Only if a spouse is under 19")
    IF_MARRIED_BEFORE = "if_married_before", _("Only if a spouse was married before")


class Service(models.Model):
    """A population-document service as the administrator edits it today.

    Requests never point here directly: they point at the ServiceVersion that was current
    when they were created, so later edits do not change what an earlier request required.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    target_amount = models.PositiveIntegerField(_("target time"), default=1)
    target_unit = models.CharField(
        _("target unit"), max_length=10, choices=TargetUnit.choices, default=TargetUnit.DAYS
    )
    district_step = models.BooleanField(
        _("kecamatan verification"),
        default=True,
        help_text=_("Whether the kecamatan operator checks the request before the Dinas."),
    )
    reporting_limit_days = models.PositiveIntegerField(
        _("legal reporting limit (days)"),
        null=True,
        blank=True,
        help_text=_("Days after the event within which it must be reported, if the law sets one."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name

    @property
    def target_display(self) -> str:
        return target_display(self.target_amount, self.target_unit)


def target_display(amount: int, unit: str) -> str:
    if unit == TargetUnit.MINUTES:
        return ngettext("%(n)d working minute", "%(n)d working minutes", amount) % {"n": amount}
    if unit == TargetUnit.HOURS:
        return ngettext("%(n)d working hour", "%(n)d working hours", amount) % {"n": amount}
    return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}


class Requirement(models.Model):
    """One upload a request of the service needs.

    Requirements that share an `alternative_group` are alternatives: one `alternative_option`
    of the group must be complete (an option may consist of several uploads, e.g. an akta
    kematian plus the old KK).

    A requirement applies when its `condition` holds and, if it names `reasons`, when the
    reason the officer chose for the request is one of them: the legal routes of a service
    (KK baru after a marriage, after the death of the head of the family, ... in
    Permendagri 108/2019 Pasal 10) each have their own documents.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="requirements")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    hint = models.CharField(_("hint"), max_length=300, blank=True)
    form_code = models.CharField(
        _("official form"),
        max_length=10,
        blank=True,
        help_text=_("Form number (e.g. F-1.01) when the system can print it filled in."),
    )
    alternative_group = models.SlugField(_("alternative group"), max_length=40, blank=True)
    alternative_option = models.SlugField(_("alternative option"), max_length=40, blank=True)
    condition = models.CharField(
        _("applies"), max_length=20, choices=Condition.choices, default=Condition.ALWAYS
    )
    reasons = models.CharField(
        _("only for the reasons"),
        max_length=200,
        blank=True,
        help_text=_(
            "Codes of the request's reason (route), separated by commas, e.g. "
            "“marriage, marriage_unrecorded”. Empty: whatever the reason."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="requirement_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reason_list(self) -> list[str]:
        return reason_codes(self.reasons)

    def clean(self) -> None:
        super().clean()
        bad = [code for code in self.reason_list if not REASON_RE.fullmatch(code)]
        if bad:
            raise ValidationError(
                {
                    "reasons": _(
                        "%(code)r is not a reason code (lower-case letters, digits, -, _)."
                    )
                    % {"code": bad[0]}
                }
            )
        self.reasons = ", ".join(self.reason_list)
        if bool(self.alternative_group) != bool(self.alternative_option):
            field = "alternative_group" if self.alternative_option else "alternative_option"
            raise ValidationError(
                {field: _("An alternative needs both a group and an option, or neither.")}
            )
        if self.form_code and not FORM_CODE_RE.fullmatch(self.form_code):
            raise ValidationError({"form_code": _("Write the form number like F-1.01 or F-2.03.")})


class OutputDocument(models.Model):
    """A document the Dinas issues for the service: a PDF to print, or a card to pick up."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="outputs")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    is_card = models.BooleanField(
        _("card to pick up"),
        default=False,
        help_text=_("A physical card (KTP-el, KIA) instead of a PDF printed at the village."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("output document")
        verbose_name_plural = _("output documents")
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="output_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceVersion(models.Model):
    """An immutable snapshot of a service's definition; requests keep the one they started with."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition: models.JSONField[Any, Any] = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service.code} v{self.number}"
