from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Closure(models.Model):
    """A day that differs from the national calendar: closed, or re-opened.

    National public holidays and the government's cuti bersama come from the `holidays`
    library; the administrator enters the rest: a closed day (a regional holiday, a flood,
    a SIAK outage, a cuti bersama announced after the library's release), or, with `opened`,
    a day the library marks closed that the offices work after all (a cuti bersama cancelled
    or moved by the government, as in 2020 and 2021: SKB Menteri Agama, Menteri
    Ketenagakerjaan and MenPAN-RB on the year's libur nasional and cuti bersama, revised).
    A re-opened day works the office hours of its weekday.
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("reason"), max_length=120)
    opened = models.BooleanField(
        _("re-opened"),
        default=False,
        help_text=_(
            "Tick to open the office on a day the national calendar marks closed (a cuti "
            "bersama cancelled or moved). Leave unticked to close the office on this day."
        ),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed or re-opened day")
        verbose_name_plural = _("closed and re-opened days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ScheduleKind(models.TextChoices):
    REGULAR = "regular", _("Regular (37.5 hours a week from 07.30)")
    RAMADAN = "ramadan", _("Ramadan (32.5 hours a week from 08.00)")


class OfficeSchedule(models.Model):
    """The office hours of a date range (Perpres 21/2023 Pasal 4): regular hours, or the
    Ramadan hours for the days of Ramadan.

    A schedule without windows has the Perpres default of its kind
    (`worktime.services.PERPRES_HOURS`); with windows, exactly those: a weekday's working
    time is its windows (two windows make a break between them), a weekday without a window
    is closed. Where schedules overlap the one with the later start applies (a Ramadan
    range inside a regular schedule); a day no schedule covers has the Perpres regular hours.
    """

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.REGULAR
    )
    starts = models.DateField(_("first day"), null=True, blank=True)
    ends = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        ordering = [F("starts").asc(nulls_first=True), "pk"]
        verbose_name = _("office hours")
        verbose_name_plural = _("office hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__isnull=True) | Q(ends__isnull=True) | Q(ends__gte=F("starts")),
                name="schedule_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("The last day must not be before the first day.")})
        if self.kind == ScheduleKind.RAMADAN and not (self.starts and self.ends):
            raise ValidationError(
                _("Ramadan hours need the first and the last day of Ramadan of that year.")
            )


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class OfficeWindow(models.Model):
    """One stretch of working time on a weekday of a schedule (07.30-12.00, 13.00-16.00)."""

    schedule = models.ForeignKey(OfficeSchedule, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("from"))
    closes = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("working window")
        verbose_name_plural = _("working windows")
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="window_closes_after")
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}-{self.closes:%H.%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The window must end after it starts.")})
