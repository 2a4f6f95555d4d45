from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service
from paradewi.regions.models import Region
from paradewi.surveys.models import Channel

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _count(label: _StrPromise | None = None) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(label, default=0)


def _minutes(label: _StrPromise) -> models.BigIntegerField[int, int]:
    return models.BigIntegerField(label, default=0)


class MonthlyActivity(models.Model):
    """What happened to requests of one village and service in one month: a pre-aggregate of
    the Transition history, rebuilt by `reports.services.refresh_activity`, never edited.

    Events count in the month they happened (local time). Stage columns hold the working
    minutes spent in a status, counted in the month the request left that status, and how
    many such stays ended then (a request returned twice waits at the kecamatan twice).
    Dashboards sum these rows with GROUP BY instead of walking the history of every request.
    """

    month = models.DateField(_("month"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    submitted = _count(_("submitted"))  # first submissions
    completed = _count(_("completed"))  # finished by the Dinas (document or card)
    completed_on_time = _count(_("completed on time"))
    # Working minutes from submission to completion of the requests completed, the clock
    # stopped while a request was back at the village (as the due time is).
    lead_minutes = _minutes(_("lead time"))
    handed_over = _count(_("handed over"))
    rejected = _count(_("rejected"))
    cancelled = _count(_("cancelled"))  # after submission (drafts thrown away do not count)
    returned_by_district = _count(_("returned by the kecamatan"))
    returned_by_dinas = _count(_("returned by the Dinas"))

    district_stays = _count(_("stays at the kecamatan"))
    district_minutes = _minutes(_("minutes at the kecamatan"))
    queue_stays = _count(_("stays in the Dinas queue"))
    queue_minutes = _minutes(_("minutes in the Dinas queue"))
    process_stays = _count(_("stays in process at the Dinas"))
    process_minutes = _minutes(_("minutes in process at the Dinas"))
    fix_stays = _count(_("stays back at the village"))
    fix_minutes = _minutes(_("minutes back at the village"))
    pickup_stays = _count(_("stays waiting for hand-over"))
    pickup_minutes = _minutes(_("minutes waiting for hand-over"))

    class Meta:
        verbose_name = _("monthly activity")
        verbose_name_plural = _("monthly activity")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "village", "service"], name="activity_month_village_service"
            )
        ]
        indexes = [
            models.Index(fields=["month", "district"], name="activity_month_district"),
            # Covers the IKM page's one sum (people served) without reading the rows.
            models.Index(fields=["month", "village", "handed_over"], name="activity_served"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.village_id} {self.service_id}"


class MonthlySatisfaction(models.Model):
    """The survey responses of one month, village, service and channel, summed: a
    pre-aggregate of SurveyResponse rebuilt with MonthlyActivity, never edited.

    Holds the count, the sum of each element's answers (what the IKM needs) and how many
    respondents gave each profile answer, in the columns `questionnaire.profile_column`
    names (a test keeps them in step with the questionnaire).
    """

    month = models.DateField(_("month"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("answered"), max_length=5, choices=Channel.choices)
    responses = _count()
    u1 = _count()
    u2 = _count()
    u3 = _count()
    u4 = _count()
    u5 = _count()
    u6 = _count()
    u7 = _count()
    u8 = _count()
    u9 = _count()
    sex_l = _count()
    sex_p = _count()
    age_band_u20 = _count()
    age_band_20 = _count()
    age_band_30 = _count()
    age_band_40 = _count()
    age_band_50 = _count()
    age_band_60 = _count()
    education_sd = _count()
    education_smp = _count()
    education_sma = _count()
    education_d3 = _count()
    education_s1 = _count()
    education_s2 = _count()
    education_s3 = _count()
    occupation_pns = _count()
    occupation_tni = _count()
    occupation_polri = _count()
    occupation_swasta = _count()
    occupation_wirausaha = _count()
    occupation_lainnya = _count()

    class Meta:
        verbose_name = _("monthly satisfaction")
        verbose_name_plural = _("monthly satisfaction")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "village", "service", "channel"],
                name="satisfaction_month_village_service_channel",
            )
        ]
        indexes = [models.Index(fields=["month", "district"], name="satisfaction_month_district")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.village_id} {self.service_id} {self.channel}"


class ReportState(models.Model):
    """One row: when MonthlyActivity was last brought up to date. Its row lock also keeps two
    refreshes from running at once."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refreshed at {self.refreshed_at}"
