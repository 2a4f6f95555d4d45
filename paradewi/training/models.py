"""Training scenarios and the practice runs of the officers (docs/training.md).

A practice request itself is a `requests.ServiceRequest` with `is_practice` set; what this app
adds is the script that plays the kecamatan and the Dinas (`Scenario`, data the Dinas edits in
the admin site) and which officer practised which scenario, when, and how far (`PracticeRun`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest


class Scenario(models.Model):
    """A practice an officer plays alone: an invented resident's case for one service, and how
    the kecamatan and the Dinas (played by the system) answer the submission: verify, return
    once for one requirement with a realistic reason (optional), accept the fix, complete with
    a sample result marked "LATIHAN - TIDAK SAH"."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=150)
    story = models.TextField(
        _("the case"),
        help_text=_("What the officer is told: the resident, what happened, what they bring."),
    )
    # The invented resident whose name the draft starts with (the officer types the rest).
    resident_name = models.CharField(_("resident's name (invented)"), max_length=150)
    return_requirement = models.SlugField(
        _("requirement returned"),
        max_length=40,
        blank=True,
        help_text=_("The code of the requirement the Dinas returns once; empty: no return."),
    )
    return_reason = models.TextField(_("reason of the return"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("training scenario")
        verbose_name_plural = _("training scenarios")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if bool(self.return_requirement) != bool(self.return_reason.strip()):
            raise ValidationError(
                _("Give both the requirement returned and the reason, or neither.")
            )
        if self.return_requirement and self.service_id is not None:
            from paradewi.catalogue.selectors import current_version

            version = current_version(self.service)
            codes = {r["code"] for r in version.definition["requirements"]} if version else set()
            if self.return_requirement not in codes:
                raise ValidationError(
                    {"return_requirement": _("This service has no such requirement.")}
                )


class PracticeRun(models.Model):
    """One officer playing one scenario on one practice request; purged with it."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="practice_run"
    )
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("practice run")
        verbose_name_plural = _("practice runs")
        indexes = [
            models.Index(fields=["officer", "scenario"], name="practice_run_officer"),
            models.Index(fields=["village", "completed_at"], name="practice_run_village"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.scenario_id}"
