"""The figures behind the dashboards, the exports and the PDF report.

Speed comes from MonthlyActivity and satisfaction from MonthlySatisfaction (the monthly
pre-aggregates, see `reports.services`); what is open right now from the requests themselves.
Each report scans its pre-aggregate twice: the period grouped by area one level down and
service (and channel), added up in Python into the total and each breakdown (a few hundred
rows at most), and the twelve months up to the period's end grouped by month. So a page
costs the same few queries whatever the period, the area or the volume.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from paradewi.catalogue.models import Service
from paradewi.reports import durations
from paradewi.reports.durations import MEDIAN, P90, Percentile
from paradewi.reports.models import Measure
from paradewi.reports.periods import Period, add_months
from paradewi.reports.scope import Scope
from paradewi.requests.models import OPEN_STATES
from paradewi.surveys import ikm
from paradewi.surveys.ikm import NO_FIGURES, IkmFigures, ProfileRow
from paradewi.surveys.models import Channel, SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, PROFILE, profile_column

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

TREND_MONTHS = 12

# (stage, label): where a request waits, in the order it travels.
STAGES: tuple[tuple[str, _StrPromise], ...] = tuple(
    (measure.value, measure.label)
    for measure in (
        Measure.DISTRICT,
        Measure.QUEUE,
        Measure.PROCESS,
        Measure.FIX,
        Measure.PICKUP,
    )
)


def _trend_months(period: Period) -> list[date]:
    """The twelve months up to the end of the period, or every month of a longer range."""
    if len(period.months) > TREND_MONTHS:
        return period.months
    first = add_months(period.last, 1 - TREND_MONTHS)
    return [add_months(first, n) for n in range(TREND_MONTHS)]


Sums = dict[str, int]


def _add_up(
    rows: Iterable[dict[str, Any]], keys: Iterable[str], names: Iterable[str]
) -> tuple[Sums, dict[str, dict[Any, Sums]]]:
    """The sums of grouped rows in total and per value of each of `keys`."""
    names, keys = list(names), list(keys)
    total: Sums = dict.fromkeys(names, 0)
    by: dict[str, dict[Any, Sums]] = {key: {} for key in keys}
    for row in rows:
        values = [(name, int(row[name] or 0)) for name in names]
        for target in (
            total,
            *(by[key].setdefault(row[key], dict.fromkeys(names, 0)) for key in keys),
        ):
            for name, value in values:
                target[name] += value
    return total, by


def _grouped(
    queryset: QuerySet[Any], keys: Iterable[str], names: Iterable[str]
) -> list[dict[str, Any]]:
    """One GROUP BY `keys` with the SUM of each of `names`."""
    grouped = queryset.values(*keys).annotate(**{name: Sum(name) for name in names})
    return list(grouped.order_by())


# --- service speed ------------------------------------------------------------------------------


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
    returned_requests: int = 0
    total_minutes: int = 0
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
    def of(cls, sums: Mapping[str, Any]) -> Activity:
        return cls(**{name: int(sums.get(name) or 0) for name in ACTIVITY_FIELDS})

    @property
    def on_time(self) -> Fraction | None:
        """The share of completed requests finished by their due time."""
        return Fraction(self.completed_on_time, self.completed) if self.completed else None

    @property
    def lead_mean(self) -> int | None:
        """Mean working minutes from submission to completion (clock stopped while returned)."""
        return round(self.lead_minutes / self.completed) if self.completed else None

    @property
    def total_mean(self) -> int | None:
        """Mean working minutes from submission to hand-over (all working time)."""
        return round(self.total_minutes / self.handed_over) if self.handed_over else None

    @property
    def returned(self) -> int:
        return self.returned_by_district + self.returned_by_dinas

    @property
    def return_rate(self) -> Fraction | None:
        """Requests returned at least once per request submitted (each counted once, in the
        month of its first return and of its first submission)."""
        return Fraction(self.returned_requests, self.submitted) if self.submitted else None

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


@dataclass(frozen=True)
class Turnaround:
    """How long one measure took: how many durations, their mean, and the median and 90th
    percentile read from the histogram (`reports.durations`)."""

    measure: str
    label: str
    count: int
    mean: int | None
    median: Percentile | None
    p90: Percentile | None

    @classmethod
    def of(cls, measure: str, label: str, counts: Sequence[int], mean: int | None) -> Turnaround:
        return cls(
            measure,
            label,
            sum(counts),
            mean,
            durations.percentile(counts, MEDIAN),
            durations.percentile(counts, P90),
        )


NO_COUNTS: tuple[int, ...] = (0,) * len(durations.COLUMNS)


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
    lead: Turnaround | None = None  # submission to completion, for areas


@dataclass(frozen=True)
class SpeedReport:
    period: Period
    total: Activity
    now: OpenNow
    areas: list[SpeedRow]
    services: list[SpeedRow]
    trend: list[tuple[date, Activity]]
    turnaround: list[Turnaround]  # to completion, to hand-over, then each stage


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


def _services(used: Iterable[int]) -> list[Service]:
    """The offered services, and any other that has figures, in catalogue order."""
    used = set(used)
    return [
        service
        for service in Service.objects.order_by("position", "name")
        if service.is_active or service.pk in used
    ]


def _histograms(
    scope: Scope, period: Period, child: str
) -> tuple[dict[str, list[int]], dict[tuple[Any, str], list[int]]]:
    """The duration histograms of the period, per measure in total and per area one level
    down (one GROUP BY of MonthlyDuration)."""
    rows = _grouped(
        scope.durations().filter(month__gte=period.first, month__lte=period.last),
        (child, "measure"),
        durations.COLUMNS,
    )
    total: dict[str, list[int]] = {}
    per_area: dict[tuple[Any, str], list[int]] = {}
    for row in rows:
        counts = [int(row[column] or 0) for column in durations.COLUMNS]
        for target in (
            total.setdefault(row["measure"], [0] * len(counts)),
            per_area.setdefault((row[child], row["measure"]), [0] * len(counts)),
        ):
            for index, count in enumerate(counts):
                target[index] += count
    return total, per_area


def _turnaround(activity: Activity, histograms: Mapping[str, Sequence[int]]) -> list[Turnaround]:
    means = {
        Measure.LEAD.value: activity.lead_mean,
        Measure.TOTAL.value: activity.total_mean,
        **{stage.stage: stage.mean for stage in activity.stages},
    }
    return [
        Turnaround.of(
            measure.value,
            str(measure.label),
            histograms.get(measure.value, NO_COUNTS),
            means[measure.value],
        )
        for measure in Measure
    ]


def speed_report(scope: Scope, period: Period) -> SpeedReport:
    """Requests, completion on time, stage times and what is open now, for the scope's area
    in the period; broken down by area one level down and by service; with the monthly trend
    of the twelve months up to the period's end (or of every month of a longer range).
    Two scans of MonthlyActivity (the period by area and service; the trend by month), one
    of MonthlyDuration (the period by area and measure: medians and 90th percentiles) and
    one count of open requests."""
    activity = scope.activity()
    child = f"{scope.breakdown or 'village'}_id"
    rows = _grouped(
        activity.filter(month__gte=period.first, month__lte=period.last),
        (child, "service_id"),
        ACTIVITY_FIELDS,
    )
    total, by = _add_up(rows, (child, "service_id"), ACTIVITY_FIELDS)
    months = _trend_months(period)
    per_month = {
        row["month"]: Activity.of(row)
        for row in _grouped(
            activity.filter(month__gte=months[0], month__lte=months[-1]),
            ("month",),
            ACTIVITY_FIELDS,
        )
    }
    now_total, now_per_area = _open_now(scope)
    histograms, area_histograms = _histograms(scope, period, child)
    areas = []
    for region in scope.children:
        area_activity = Activity.of(by[child].get(region.pk, {}))
        lead = Turnaround.of(
            Measure.LEAD.value,
            str(Measure.LEAD.label),
            area_histograms.get((region.pk, Measure.LEAD.value), NO_COUNTS),
            area_activity.lead_mean,
        )
        areas.append(
            SpeedRow(
                region.pk,
                region.code,
                region.display_name,
                area_activity,
                now_per_area.get(region.pk, OpenNow()),
                lead,
            )
        )
    services = [
        SpeedRow(
            service.pk,
            service.code,
            service.name,
            Activity.of(by["service_id"].get(service.pk, {})),
        )
        for service in _services(by["service_id"])
    ]
    trend = [(month, per_month.get(month, Activity())) for month in months]
    total_activity = Activity.of(total)
    return SpeedReport(
        period,
        total_activity,
        now_total,
        areas,
        services,
        trend,
        _turnaround(total_activity, histograms),
    )


# --- satisfaction (IKM) -------------------------------------------------------------------------

PROFILE_COLUMNS = tuple(
    profile_column(name, value) for name, _label, choices in PROFILE for value in choices.values
)
SATISFACTION_SUMS = ("responses", *ELEMENT_FIELDS, *PROFILE_COLUMNS)


def _figures(sums: Mapping[str, Any]) -> IkmFigures:
    return ikm.figures(
        int(sums.get("responses") or 0), [int(sums.get(name) or 0) for name in ELEMENT_FIELDS]
    )


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


def ikm_report(scope: Scope, period: Period) -> IkmReport:
    """The IKM of the scope's area in the period, per element, with the respondent profile,
    the sample the period needs, and the IKM per area, service, channel and month. Two scans
    of MonthlySatisfaction (the period by area, service and channel; the trend by month) and
    one sum of MonthlyActivity (people served)."""
    satisfaction = scope.satisfaction()
    child = f"{scope.breakdown or 'village'}_id"
    keys = (child, "service_id", "channel")
    rows = _grouped(
        satisfaction.filter(month__gte=period.first, month__lte=period.last),
        keys,
        SATISFACTION_SUMS,
    )
    total, by = _add_up(rows, keys, SATISFACTION_SUMS)
    months = _trend_months(period)
    per_month = {
        row["month"]: _figures(row)
        for row in _grouped(
            satisfaction.filter(month__gte=months[0], month__lte=months[-1]),
            ("month",),
            ("responses", *ELEMENT_FIELDS),
        )
    }
    served = (
        scope.activity()
        .filter(month__gte=period.first, month__lte=period.last)
        .aggregate(n=Sum("handed_over"))["n"]
        or 0
    )
    areas = [
        IkmRow(region.code, region.display_name, _figures(by[child].get(region.pk, {})))
        for region in scope.children
    ]
    services = [
        IkmRow(service.code, service.name, _figures(by["service_id"][service.pk]))
        for service in _services(by["service_id"])
        if service.pk in by["service_id"]
    ]
    channels = [
        IkmRow(value, str(label), _figures(by["channel"][value]))
        for value, label in Channel.choices
        if value in by["channel"]
    ]
    return IkmReport(
        period=period,
        total=_figures(total),
        served=int(served),
        sample_needed=ikm.krejcie_morgan(int(served)),
        profile=ikm.profile(total, total["responses"]),
        areas=areas,
        services=services,
        channels=channels,
        trend=[(month, per_month.get(month, NO_FIGURES)) for month in months],
    )


def tabulation(scope: Scope, period: Period) -> QuerySet[SurveyResponse, tuple[Any, ...]]:
    """Every response of the period, for the tabulation sheet: month, kecamatan, service,
    channel, profile and the nine answers, ordered by those values (not by arrival)."""
    return (
        scope.responses()
        .filter(month__gte=period.first, month__lte=period.last)
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
