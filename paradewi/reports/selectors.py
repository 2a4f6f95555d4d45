"""The figures behind the dashboards, the exports and the monthly report.

Speed comes from MonthlyActivity (the monthly pre-aggregate of the request history) and, for
what is open right now, from the requests themselves; satisfaction from the survey responses.
Each function runs a fixed number of GROUP BY queries whatever the size of the area or the
period: no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paradewi.catalogue.models import Service
from paradewi.reports.models import MonthlyActivity
from paradewi.reports.periods import Period, add_months
from paradewi.reports.scope import Scope
from paradewi.requests.models import OPEN_STATES
from paradewi.surveys import ikm
from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS
from paradewi.surveys.selectors import (
    NO_FIGURES,
    IkmFigures,
    ProfileRow,
    ikm_by,
    ikm_of,
    profile_of,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TREND_MONTHS = 12

# (stage, label): where a request waits, in the order it travels.
STAGES: tuple[tuple[str, _StrPromise], ...] = (
    ("district", _("At the kecamatan (verification)")),
    ("queue", _("In the Dinas queue")),
    ("process", _("In process at the Dinas")),
    ("fix", _("Back at the village to be fixed")),
    ("pickup", _("Finished, until handed over")),
)


@dataclass(frozen=True)
class StageFigure:
    stage: str
    label: str
    stays: int
    minutes: int

    @property
    def mean(self) -> int | None:
        """Mean working minutes per stay; None without stays."""
        return round(self.minutes / self.stays) if self.stays else None


@dataclass(frozen=True)
class Activity:
    """Sums of MonthlyActivity over a group of villages, services and months."""

    submitted: int = 0
    completed: int = 0
    completed_on_time: int = 0
    lead_minutes: int = 0
    handed_over: int = 0
    rejected: int = 0
    cancelled: int = 0
    returned_by_district: int = 0
    returned_by_dinas: int = 0
    district_stays: int = 0
    district_minutes: int = 0
    queue_stays: int = 0
    queue_minutes: int = 0
    process_stays: int = 0
    process_minutes: int = 0
    fix_stays: int = 0
    fix_minutes: int = 0
    pickup_stays: int = 0
    pickup_minutes: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Activity:
        return cls(**{name: int(row.get(name) or 0) for name in ACTIVITY_FIELDS})

    @property
    def on_time(self) -> Fraction | None:
        """The share of completed requests finished by their due time."""
        return Fraction(self.completed_on_time, self.completed) if self.completed else None

    @property
    def lead_mean(self) -> int | None:
        """Mean working minutes from submission to completion (clock stopped while returned)."""
        return round(self.lead_minutes / self.completed) if self.completed else None

    @property
    def returned(self) -> int:
        return self.returned_by_district + self.returned_by_dinas

    @property
    def stages(self) -> list[StageFigure]:
        return [
            StageFigure(
                stage,
                str(label),
                getattr(self, f"{stage}_stays"),
                getattr(self, f"{stage}_minutes"),
            )
            for stage, label in STAGES
        ]


ACTIVITY_FIELDS = tuple(f.name for f in fields(Activity))
_SUMS = {name: Sum(name) for name in ACTIVITY_FIELDS}


@dataclass(frozen=True)
class OpenNow:
    open: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class SpeedRow:
    """One line of a breakdown: an area or a service, with its sums."""

    key: int
    code: str
    name: str
    activity: Activity
    now: OpenNow = field(default_factory=OpenNow)


@dataclass(frozen=True)
class SpeedReport:
    period: Period
    total: Activity
    now: OpenNow
    areas: list[SpeedRow]
    services: list[SpeedRow]
    trend: list[tuple[date, Activity]]


def _in(activity: QuerySet[MonthlyActivity], first: date, last: date) -> QuerySet[Any]:
    return activity.filter(month__gte=first, month__lte=last)


def _open_now(scope: Scope) -> tuple[OpenNow, dict[int, OpenNow]]:
    """Requests open now (at the kecamatan or the Dinas) and overdue, in total and per area
    one level down (one GROUP BY on the requests' queue index)."""
    group = f"{scope.breakdown or 'village'}_id"
    now = timezone.now()
    rows = (
        scope.requests()
        .filter(status__in=list(OPEN_STATES))
        .values(group)
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by(group)
    )
    per_area = {row[group]: OpenNow(row["open"], row["overdue"]) for row in rows}
    total = OpenNow(
        sum(item.open for item in per_area.values()),
        sum(item.overdue for item in per_area.values()),
    )
    return total, per_area


def speed_report(scope: Scope, period: Period) -> SpeedReport:
    """Requests, completion on time, stage times and what is open now, for the scope's area
    in the period; broken down by area one level down and by service; with the monthly trend
    of the twelve months up to the period's end."""
    activity = scope.activity()
    in_period = _in(activity, period.first, period.last)
    total = Activity.from_row(in_period.aggregate(**_SUMS))
    now_total, now_per_area = _open_now(scope)

    areas: list[SpeedRow] = []
    if scope.breakdown is not None:
        group = f"{scope.breakdown}_id"
        sums = {
            row[group]: Activity.from_row(row)
            for row in in_period.values(group).annotate(**_SUMS).order_by(group)
        }
        areas = [
            SpeedRow(
                region.pk,
                region.code,
                region.display_name,
                sums.get(region.pk, Activity()),
                now_per_area.get(region.pk, OpenNow()),
            )
            for region in scope.children
        ]

    per_service = {
        row["service_id"]: Activity.from_row(row)
        for row in in_period.values("service_id").annotate(**_SUMS).order_by("service_id")
    }
    services = [
        SpeedRow(service.pk, service.code, service.name, per_service.get(service.pk, Activity()))
        for service in Service.objects.order_by("position", "name")
        if service.is_active or service.pk in per_service
    ]

    first = add_months(period.last, 1 - TREND_MONTHS)
    by_month = {
        row["month"]: Activity.from_row(row)
        for row in _in(activity, first, period.last)
        .values("month")
        .annotate(**_SUMS)
        .order_by("month")
    }
    trend = [
        (month, by_month.get(month, Activity()))
        for month in (add_months(first, n) for n in range(TREND_MONTHS))
    ]
    return SpeedReport(period, total, now_total, areas, services, trend)


# --- satisfaction (IKM) -------------------------------------------------------------------------


@dataclass(frozen=True)
class IkmRow:
    key: str
    name: str
    figures: IkmFigures


@dataclass(frozen=True)
class IkmReport:
    period: Period
    total: IkmFigures
    served: int  # people served in the period (requests handed over): N
    sample_needed: int  # Krejcie-Morgan for N
    profile: dict[str, list[ProfileRow]] | None
    areas: list[IkmRow]
    services: list[IkmRow]
    channels: list[IkmRow]
    trend: list[tuple[date, IkmFigures]]

    @property
    def sample_adequate(self) -> bool:
        return self.total.responses >= self.sample_needed


def _responses_in(scope: Scope, first: date, last: date) -> QuerySet[SurveyResponse]:
    return scope.responses().filter(month__gte=first, month__lte=last)


def ikm_report(scope: Scope, period: Period) -> IkmReport:
    """The IKM of the scope's area in the period, per element, with the respondent profile,
    the sample the period needs, and the IKM per area, service, channel and month."""
    responses = _responses_in(scope, period.first, period.last)
    total = ikm_of(responses)
    served = (
        _in(scope.activity(), period.first, period.last).aggregate(n=Sum("handed_over"))["n"] or 0
    )

    areas: list[IkmRow] = []
    if scope.breakdown is not None:
        group = f"{scope.breakdown}_id"
        per_area = {values[group]: figures for values, figures in ikm_by(responses, group)}
        areas = [
            IkmRow(region.code, region.display_name, per_area.get(region.pk, NO_FIGURES))
            for region in scope.children
        ]

    per_service = {
        values["service_id"]: figures for values, figures in ikm_by(responses, "service_id")
    }
    services = [
        IkmRow(service.code, service.name, per_service[service.pk])
        for service in Service.objects.filter(pk__in=list(per_service)).order_by("position", "name")
    ]
    per_channel = {values["channel"]: figures for values, figures in ikm_by(responses, "channel")}
    channels = [
        IkmRow(value, str(label), per_channel[value])
        for value, label in Channel.choices
        if value in per_channel
    ]
    first = add_months(period.last, 1 - TREND_MONTHS)
    per_month = {
        values["month"]: figures
        for values, figures in ikm_by(_responses_in(scope, first, period.last), "month")
    }
    trend = [
        (month, per_month.get(month, NO_FIGURES))
        for month in (add_months(first, n) for n in range(TREND_MONTHS))
    ]
    return IkmReport(
        period=period,
        total=total,
        served=int(served),
        sample_needed=ikm.krejcie_morgan(int(served)),
        profile=profile_of(responses),
        areas=areas,
        services=services,
        channels=channels,
        trend=trend,
    )


def tabulation(scope: Scope, period: Period) -> QuerySet[SurveyResponse, tuple[Any, ...]]:
    """Every response of the period, for the tabulation sheet: month, kecamatan, service,
    channel, profile and the nine answers, ordered by those values (not by arrival)."""
    return (
        _responses_in(scope, period.first, period.last)
        .order_by("month", "district__code", "service__name", "channel", *ELEMENT_FIELDS)
        .values_list(
            "month",
            "district__name",
            "service__name",
            "channel",
            "sex",
            "age_band",
            "education",
            "occupation",
            *ELEMENT_FIELDS,
        )
    )
