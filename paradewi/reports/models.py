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


class ActivityCounts(models.Model):
    """The columns of MonthlyActivity and DailyActivity: what happened to requests."""

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
    # Requests returned for the first time (a request returned twice counts once), against
    # `submitted` (first submissions): the share of requests the village had to fix.
    returned_requests = _count(_("requests returned"))
    # Working minutes from the first submission to the hand-over of the requests handed over
    # (all working time, the time back at the village included): the resident's wait.
    total_minutes = _minutes(_("time to hand-over"))

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
        abstract = True


class MonthlyActivity(ActivityCounts):
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


class Measure(models.TextChoices):
    """What a MonthlyDuration row measures: a stage (as MonthlyActivity names them) or the
    whole way of a request."""

    LEAD = "lead", _("From submission to completion (the service-level clock)")
    TOTAL = "total", _("From submission to hand-over (all working time)")
    DISTRICT = "district", _("At the kecamatan (verification)")
    QUEUE = "queue", _("In the Dinas queue")
    PROCESS = "process", _("In process at the Dinas")
    FIX = "fix", _("Back at the village to be fixed")
    PICKUP = "pickup", _("Finished, until handed over")


class Histogram(models.Model):
    """The bucket columns of a duration histogram (`reports.durations.COLUMNS`): `le_15`
    counts the durations up to 15 working minutes (after the previous bound), `over` those
    beyond the last bound."""

    le_15 = _count()
    le_30 = _count()
    le_45 = _count()
    le_60 = _count()
    le_90 = _count()
    le_120 = _count()
    le_180 = _count()
    le_240 = _count()
    le_300 = _count()
    le_360 = _count()
    le_420 = _count()
    le_480 = _count()
    le_720 = _count()
    le_960 = _count()
    le_1200 = _count()
    le_1440 = _count()
    le_1920 = _count()
    le_2400 = _count()
    le_2880 = _count()
    le_3360 = _count()
    le_3840 = _count()
    le_4320 = _count()
    le_4800 = _count()
    le_7200 = _count()
    le_9600 = _count()
    le_14400 = _count()
    le_19200 = _count()
    le_28800 = _count()
    over = _count()

    class Meta:
        abstract = True


class MonthlyDuration(Histogram):
    """How long things took in one month and village, as a histogram of working minutes:
    a pre-aggregate rebuilt with MonthlyActivity, never edited.

    Each column counts the durations up to its bound (`le_15`: up to 15 minutes, after the
    previous bound), `over` those beyond the last bound (`reports.durations`). Stays count in
    the month they ended, times to completion in the month of completion, times to hand-over
    in the month of the hand-over, as in MonthlyActivity. Summed over months and villages the
    columns still describe every duration, so a report's median and 90th percentile come
    from one GROUP BY. Kept per village, not per service: the rows do not grow with the
    catalogue.
    """

    month = models.DateField(_("month"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)

    class Meta:
        verbose_name = _("monthly durations")
        verbose_name_plural = _("monthly durations")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "village", "measure"], name="duration_month_village_measure"
            )
        ]
        indexes = [models.Index(fields=["month", "district"], name="duration_month_district")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.village_id} {self.measure}"


class MonthlyReturn(models.Model):
    """What the requests of one month, village and service were returned for, counted per
    requirement: a pre-aggregate of the return transitions, rebuilt with MonthlyActivity.

    A return that names requirements counts once for each of them; one that only gives a
    general reason counts under GENERAL. `requirement` is the requirement's code in the
    service's catalogue, or DATA for the typed-in data. Only codes and counts: the reasons'
    text stays with the request.
    """

    GENERAL = ""
    DATA = "data"

    month = models.DateField(_("month"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    requirement = models.CharField(_("requirement"), max_length=40, blank=True)
    returns = _count(_("returns"))

    class Meta:
        verbose_name = _("monthly returns")
        verbose_name_plural = _("monthly returns")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "village", "service", "requirement"],
                name="return_month_village_service_requirement",
            )
        ]
        indexes = [models.Index(fields=["month", "district"], name="return_month_district")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.village_id} {self.service_id} {self.requirement}"


class ReportState(models.Model):
    """One row: when MonthlyActivity was last brought up to date. Its row lock also keeps two
    refreshes from running at once."""

    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refreshed at {self.refreshed_at}"


class MonthlyServiceDuration(Histogram):
    """Times to completion (submission to completion, the service-level clock) of one month,
    kecamatan and service, as a histogram: a pre-aggregate rebuilt with MonthlyActivity.

    MonthlyDuration is kept per village and measure, so a service's median cannot be read
    from it; this table holds the one measure the published figures give per service
    (`reports.published`), per kecamatan rather than per village so that its rows grow with
    the catalogue only eighteen-fold, not three-hundred-fold.
    """

    month = models.DateField(_("month"))
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("monthly service durations")
        verbose_name_plural = _("monthly service durations")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "district", "service"], name="service_duration_month_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "service"], name="service_duration_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.district_id} {self.service_id}"


# --- per day: the edges of a range of days ------------------------------------------------------
#
# A report of a range of days reads the monthly rows of the whole months inside it and these
# daily rows for the days at its edges (`reports.periods.Period.edge_days`), so its figures
# are exact to the day without reading a day's rows for every day of a long range. The
# refresh writes both from the same walk through the history: a month's rows are the sum of
# its days' rows. The IKM has no daily rows: a survey response keeps only its month.


class DailyActivity(ActivityCounts):
    """MonthlyActivity of one day (local time): events count on the day they happened,
    stays on the day they ended, times to completion on the day of completion."""

    day = models.DateField(_("day"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("daily activity")
        verbose_name_plural = _("daily activity")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "village", "service"], name="activity_day_village_service"
            )
        ]
        indexes = [models.Index(fields=["day", "district"], name="activity_day_district")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.village_id} {self.service_id}"


class DailyDuration(Histogram):
    """MonthlyDuration of one day (local time)."""

    day = models.DateField(_("day"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)

    class Meta:
        verbose_name = _("daily durations")
        verbose_name_plural = _("daily durations")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "village", "measure"], name="duration_day_village_measure"
            )
        ]
        indexes = [models.Index(fields=["day", "district"], name="duration_day_district")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.village_id} {self.measure}"


class DailyReturn(models.Model):
    """MonthlyReturn of one day (local time)."""

    day = models.DateField(_("day"))
    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    requirement = models.CharField(_("requirement"), max_length=40, blank=True)
    returns = _count(_("returns"))

    class Meta:
        verbose_name = _("daily returns")
        verbose_name_plural = _("daily returns")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "village", "service", "requirement"],
                name="return_day_village_service_requirement",
            )
        ]
        indexes = [models.Index(fields=["day", "district"], name="return_day_district")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.village_id} {self.service_id} {self.requirement}"
