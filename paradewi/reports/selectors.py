"""The figures behind the dashboards, the exports and the PDF report.

Speed comes from MonthlyActivity and satisfaction from MonthlySatisfaction (the monthly
pre-aggregates, see `reports.services`); what is open right now from the requests themselves.
Each report scans its pre-aggregate twice: the period grouped by area one level down and
service (and channel), added up in Python into the total and each breakdown (a few hundred
rows at most), and the twelve months up to the period's end grouped by month. So a page
costs the same few queries whatever the period, the area or the volume.

A period of days (`Period.edge_days`) reads the monthly rows of its whole months and the
daily rows (DailyActivity, DailyDuration, DailyReturn) of the days at its edges in the same
query (UNION ALL, `_period_rows`), so the speed and return figures are exact to the day. The
IKM is read over the whole months the period touches (`Period.covering`): a survey response
keeps only its month (anonymity), and the sample check compares it with the people served
in the same months. Complaints are counted over the exact days.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from paradewi.catalogue.models import Requirement, Service
from paradewi.complaints.selectors import ComplaintFigures, complaint_figures
from paradewi.regions.models import Region
from paradewi.reports import durations
from paradewi.reports.durations import MEDIAN, P90, Percentile
from paradewi.reports.models import Measure, MonthlyReturn
from paradewi.reports.periods import Period, add_months
from paradewi.reports.scope import Scope
from paradewi.requests.models import OPEN_STATES, CorrectionCause, ServiceRequest
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


def _period_rows(
    period: Period,
    monthly: QuerySet[Any],
    daily: QuerySet[Any],
    keys: Sequence[str],
    names: Iterable[str],
) -> list[dict[str, Any]]:
    """`_grouped` over the period: the monthly rows of its whole months and the daily rows
    of the days at its edges, in one query (UNION ALL of the two GROUP BYs); the rows of the
    same keys from both are added up here. A period of whole months reads only `monthly`."""
    names = list(names)
    sums = {name: Sum(name) for name in names}
    parts: list[QuerySet[Any]] = []
    whole = period.whole_months
    if whole:
        parts.append(monthly.filter(month__gte=whole[0], month__lte=whole[-1]))
    edges = Q()
    for first, last in period.edge_days:
        edges |= Q(day__gte=first, day__lte=last)
    if period.edge_days:
        parts.append(daily.filter(edges))
    grouped = [part.values(*keys).annotate(**sums).order_by() for part in parts]
    if len(grouped) == 1:
        return list(grouped[0])
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in grouped[0].union(grouped[1], all=True):
        key = tuple(row[name] for name in keys)
        target = merged.get(key)
        if target is None:
            merged[key] = {**row, **{name: int(row[name] or 0) for name in names}}
            continue
        for name in names:
            target[name] += int(row[name] or 0)
    return list(merged.values())


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

    @property
    def lead(self) -> Turnaround:
        """From submission to completion: the service-level clock."""
        return next(row for row in self.turnaround if row.measure == Measure.LEAD)


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


def _catalogue() -> list[Service]:
    """Every service, in catalogue order (one query)."""
    return list(Service.objects.order_by("position", "name"))


def _services(used: Iterable[int], catalogue: list[Service] | None = None) -> list[Service]:
    """The offered services, and any other that has figures, in catalogue order."""
    used = set(used)
    return [
        service
        for service in (catalogue if catalogue is not None else _catalogue())
        if service.is_active or service.pk in used
    ]


def _histograms(
    scope: Scope, period: Period, child: str
) -> tuple[dict[str, list[int]], dict[tuple[Any, str], list[int]]]:
    """The duration histograms of the period, per measure in total and per area one level
    down (one GROUP BY of MonthlyDuration)."""
    rows = _period_rows(
        period, scope.durations(), scope.daily_durations(), (child, "measure"), durations.COLUMNS
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
    rows = _period_rows(
        period, activity, scope.daily_activity(), (child, "service_id"), ACTIVITY_FIELDS
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


# Comments on the IKM page (the export holds them all, the PDF report a few).
COMMENTS_SHOWN = 20
COMMENTS_IN_PDF = 5


@dataclass(frozen=True)
class Comment:
    """A resident's comment as reports show it: the month, and the service where enough
    residents answered about it that month (None otherwise); no village, no officer."""

    month: date
    service: str | None
    text: str


# The one cohort of the sample check (PermenPAN-RB 14/2017: the sample is drawn from the
# people served in the period): a response counts in the month its request was handed over,
# as the people served do, so a month's responses are a sample of that month's N.
SAMPLE_BASIS = gettext_lazy(
    "Responses and people served are both counted in the month the document was handed over."
)


@dataclass(frozen=True)
class IkmReport:
    period: Period  # whole months: the months of the period asked for (`Period.covering`)
    total: IkmFigures
    served: int  # people served in the period (requests handed over): N
    sample_needed: int  # Krejcie-Morgan for N
    profile: dict[str, list[ProfileRow]] | None
    areas: list[IkmRow]
    services: list[IkmRow]
    channels: list[IkmRow]
    trend: list[tuple[date, IkmFigures]]
    # Newest first; None when the reader may not read comments (policy.COMMENT_ROLES).
    comments: list[Comment] | None = None
    more_comments: bool = False  # more than were read (`comments_limit`)

    @property
    def sample_adequate(self) -> bool:
        return self.total.responses >= self.sample_needed


def _comments(
    scope: Scope,
    period: Period,
    groups: Mapping[tuple[date, int], int],
    names: Mapping[int, str],
    limit: int | None,
) -> tuple[list[Comment], bool]:
    """The comments of the period, newest month first (in a month, in the order of their
    random keys: never by arrival), at most `limit`, and whether there are more.

    The rule of MIN_RESPONSES holds for comments too: a comment is shown only from a month
    in which at least that many residents of the area answered, and its service is named
    only if that many answered about that service in that month; otherwise the month and
    the service could point at the one resident who was served. `groups` holds the
    responses per month and service (from the pre-aggregate).
    """
    per_month: dict[date, int] = {}
    for (month, _service), responses in groups.items():
        per_month[month] = per_month.get(month, 0) + responses
    months = [
        month
        for month, responses in per_month.items()
        if responses >= ikm.MIN_RESPONSES and period.first <= month <= period.last
    ]
    if not months:
        return [], False
    rows = (
        scope.responses()
        .filter(month__in=months)
        .exclude(comment="")
        .order_by("-month", "pk")
        .values_list("month", "service_id", "comment")
    )
    found = list(rows if limit is None else rows[: limit + 1])
    comments = [
        Comment(
            month,
            names.get(service) if groups.get((month, service), 0) >= ikm.MIN_RESPONSES else None,
            text,
        )
        for month, service, text in found[:limit]
    ]
    return comments, limit is not None and len(found) > limit


def ikm_report(
    scope: Scope, period: Period, *, comments_limit: int | None = COMMENTS_SHOWN
) -> IkmReport:
    """The IKM of the scope's area in the whole months of the period (a range of days: the
    months it touches, `Period.covering`), per element, with the respondent profile,
    the sample the period needs, the IKM per area, service, channel and month, and the
    residents' comments (at most `comments_limit`; all with None) for readers who may read
    them. Two scans of MonthlySatisfaction (the period by area, service and channel; the
    trend by month and service), one sum of MonthlyActivity (people served), the services,
    and one read of the comments."""
    period = period.covering
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
    monthly = _grouped(
        satisfaction.filter(month__gte=months[0], month__lte=months[-1]),
        ("month", "service_id"),
        ("responses", *ELEMENT_FIELDS),
    )
    _sums, by_month = _add_up(monthly, ("month",), ("responses", *ELEMENT_FIELDS))
    per_month = {month: _figures(sums) for month, sums in by_month["month"].items()}
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
    catalogue = _catalogue()
    services = [
        IkmRow(service.code, service.name, _figures(by["service_id"][service.pk]))
        for service in _services(by["service_id"], catalogue)
        if service.pk in by["service_id"]
    ]
    comments: list[Comment] | None = None
    more_comments = False
    if scope.may_read_comments:
        comments, more_comments = _comments(
            scope,
            period,
            {(row["month"], row["service_id"]): int(row["responses"] or 0) for row in monthly},
            {service.pk: service.name for service in catalogue},
            comments_limit,
        )
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
        comments=comments,
        more_comments=more_comments,
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


# --- returns: what the villages are asked to fix -----------------------------------------------

# How many reasons a village's row names (the full list is in the export).
TOP_REASONS = 3
# Rates and shares of fewer requests than this say little: such areas are listed after the
# others (returns) or not ranked (on-time ranking).
MIN_REQUESTS = 5


@dataclass(frozen=True)
class ReturnReason:
    """A requirement (or the typed data, or a general reason) and how often requests were
    returned for it."""

    requirement: str
    service: str  # "" where the reason is not one service's (data, general reason)
    returns: int


@dataclass(frozen=True)
class VillageReturns:
    code: str
    name: str
    district: str
    submitted: int
    returned_requests: int
    returns: int  # return events (a request returned twice counts twice)
    reasons: list[ReturnReason]  # most frequent first, all of them

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.returned_requests, self.submitted) if self.submitted else None

    @property
    def top(self) -> list[ReturnReason]:
        return self.reasons[:TOP_REASONS]

    @property
    def few(self) -> bool:
        return self.submitted < MIN_REQUESTS


@dataclass(frozen=True)
class ReturnsReport:
    period: Period
    submitted: int
    returned_requests: int
    reasons: list[ReturnReason]  # of the whole area, most frequent first
    villages: list[VillageReturns]  # highest return rate first

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.returned_requests, self.submitted) if self.submitted else None


def _reason_names(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], tuple[str, str]]:
    """(requirement name, service name) per (service, requirement code), from the catalogue
    (one query)."""
    keys = set(keys)
    if not keys:
        return {}
    rows = Requirement.objects.filter(
        service_id__in={service for service, _code in keys},
        code__in={code for _service, code in keys},
    ).values_list("service_id", "code", "name", "service__name")
    return {(service, code): (name, service_name) for service, code, name, service_name in rows}


def _reason(
    service: int, code: str, returns: int, names: Mapping[tuple[int, str], tuple[str, str]]
) -> ReturnReason:
    if code == MonthlyReturn.GENERAL:
        return ReturnReason(str(_("A general reason (no requirement named)")), "", returns)
    if code == MonthlyReturn.DATA:
        return ReturnReason(str(_("The data typed in")), "", returns)
    name, service_name = names.get((service, code), (code, ""))
    return ReturnReason(name, service_name, returns)


def _ranked_reasons(
    counts: Mapping[tuple[int, str], int], names: Mapping[tuple[int, str], tuple[str, str]]
) -> list[ReturnReason]:
    """Reasons most frequent first; the data and the general reason count as one each,
    whatever the service."""
    merged: dict[tuple[int, str], int] = {}
    for (service, code), returns in counts.items():
        key = (0, code) if code in (MonthlyReturn.GENERAL, MonthlyReturn.DATA) else (service, code)
        merged[key] = merged.get(key, 0) + returns
    reasons = [
        _reason(service, code, returns, names) for (service, code), returns in merged.items()
    ]
    return sorted(reasons, key=lambda reason: (-reason.returns, reason.requirement, reason.service))


def returns_report(scope: Scope, period: Period) -> ReturnsReport:
    """Per village of the area: requests submitted, how many were returned at least once
    (the return rate), and what they were returned for, most frequent first, with the
    requirement's name from the catalogue. Villages with the highest rate first (those with
    fewer than MIN_REQUESTS requests after the others). One scan of MonthlyActivity and one
    of MonthlyReturn (the period by village), the villages' and the requirements' names."""
    activity = _period_rows(
        period,
        scope.activity(),
        scope.daily_activity(),
        ("village_id",),
        ("submitted", "returned_requests", "returned_by_district", "returned_by_dinas"),
    )
    returns = _period_rows(
        period,
        scope.returns(),
        scope.daily_returns(),
        ("village_id", "service_id", "requirement"),
        ("returns",),
    )
    per_village: dict[int, dict[tuple[int, str], int]] = {}
    area: dict[tuple[int, str], int] = {}
    for row in returns:
        key = (row["service_id"], row["requirement"])
        count = int(row["returns"] or 0)
        counts = per_village.setdefault(row["village_id"], {})
        counts[key] = counts.get(key, 0) + count
        area[key] = area.get(key, 0) + count
    names = _reason_names(area)
    sums = {row["village_id"]: row for row in activity}
    ids = set(sums) | set(per_village)
    villages = Region.objects.filter(pk__in=ids).select_related("parent")
    rows = []
    for village in villages:
        row = sums.get(village.pk, {})
        rows.append(
            VillageReturns(
                code=village.code,
                name=village.display_name,
                district=village.parent.display_name if village.parent else "",
                submitted=int(row.get("submitted") or 0),
                returned_requests=int(row.get("returned_requests") or 0),
                returns=int(row.get("returned_by_district") or 0)
                + int(row.get("returned_by_dinas") or 0),
                reasons=_ranked_reasons(per_village.get(village.pk, {}), names),
            )
        )
    rows.sort(key=lambda v: (v.few, -(v.rate or 0), -v.returned_requests, v.code))
    return ReturnsReport(
        period=period,
        submitted=sum(v.submitted for v in rows),
        returned_requests=sum(v.returned_requests for v in rows),
        reasons=_ranked_reasons(area, names),
        villages=rows,
    )


# --- ranking of areas -----------------------------------------------------------------------


@dataclass(frozen=True)
class RankRow:
    """One area in a ranking, with its figures and its rank by each measure (None: not
    ranked by it, too few requests or answers)."""

    code: str
    name: str
    district: str  # the kecamatan of a village in a regency's ranking, else ""
    submitted: int
    completed: int
    completed_on_time: int
    figures: IkmFigures
    rank_ikm: int | None = None
    rank_on_time: int | None = None
    rank_volume: int | None = None

    @property
    def on_time(self) -> Fraction | None:
        return Fraction(self.completed_on_time, self.completed) if self.completed else None


@dataclass(frozen=True)
class Ranking:
    title: str
    rows: list[RankRow]  # in the order of the chosen measure
    drill: bool = False  # rows link to the ranking inside them (kecamatan of a regency)
    with_district: bool = False  # rows name their kecamatan (villages of a regency)


@dataclass(frozen=True)
class RankingReport:
    period: Period
    order: str  # ikm, on_time or volume
    rankings: list[Ranking]  # kecamatan, then villages (a kecamatan's: villages only)
    ikm_period: Period | None = None  # the whole months the IKM is counted over

    @property
    def ikm_months_differ(self) -> bool:
        return self.ikm_period is not None and self.ikm_period.key != self.period.key


RANK_ORDERS = ("ikm", "on_time", "volume")


def _shown(value: Fraction, places: int) -> Fraction:
    """A value as printed (rounded half up): ties in a ranking are ties on paper."""
    return Fraction(ikm.rounded(value, places))


def _competition_ranks(values: Mapping[int, Fraction | int]) -> dict[int, int]:
    """Rank per key, highest value first; equal values share a rank ("1, 2, 2, 4")."""
    ordered = sorted(values.items(), key=lambda item: -item[1])
    ranks: dict[int, int] = {}
    for position, (key, value) in enumerate(ordered, start=1):
        if position > 1 and value == ordered[position - 2][1]:
            ranks[key] = ranks[ordered[position - 2][0]]
        else:
            ranks[key] = position
    return ranks


def _rank(rows: list[RankRow], order: str) -> list[RankRow]:
    """The rows with their three ranks, sorted by `order` (unranked last, then by code).

    IKM: areas with at least ikm.MIN_RESPONSES responses, by the index as shown (two
    decimals). On time: areas with at least MIN_REQUESTS completed requests, by the share as
    shown (one decimal of a percent). Volume: every area, by requests submitted."""
    by_ikm = {
        index: _shown(row.figures.index, 2)
        for index, row in enumerate(rows)
        if row.figures.index is not None
    }
    by_on_time = {
        index: _shown(row.on_time * 100, 1)
        for index, row in enumerate(rows)
        if row.on_time is not None and row.completed >= MIN_REQUESTS
    }
    by_volume = {index: row.submitted for index, row in enumerate(rows)}
    ikm_ranks = _competition_ranks(by_ikm)
    on_time_ranks = _competition_ranks(by_on_time)
    volume_ranks = _competition_ranks(by_volume)
    ranked = [
        replace(
            row,
            rank_ikm=ikm_ranks.get(index),
            rank_on_time=on_time_ranks.get(index),
            rank_volume=volume_ranks.get(index),
        )
        for index, row in enumerate(rows)
    ]
    field_name = f"rank_{order}"
    return sorted(
        ranked,
        key=lambda row: (getattr(row, field_name) is None, getattr(row, field_name) or 0, row.code),
    )


def ranking_report(scope: Scope, period: Period, order: str = "ikm") -> RankingReport:
    """The kecamatan of a regency and its villages (or the villages of a kecamatan), each
    with its rank by IKM, by the share completed on time and by volume, sorted by `order`.
    Volumes and the share on time are of the period's days; the IKM of the whole months it
    touches (see `ikm_report`).
    One scan of MonthlyActivity and one of MonthlySatisfaction (the period by kecamatan and
    village) and one read of the villages (for a regency)."""
    if order not in RANK_ORDERS:
        order = RANK_ORDERS[0]
    months = period.covering
    keys = ("district_id", "village_id")
    activity = _period_rows(
        period,
        scope.activity(),
        scope.daily_activity(),
        keys,
        ("submitted", "completed", "completed_on_time"),
    )
    # The IKM over the whole months the period touches, as on the IKM page.
    satisfaction = _grouped(
        scope.satisfaction().filter(month__gte=months.first, month__lte=months.last),
        keys,
        ("responses", *ELEMENT_FIELDS),
    )
    _total, speed_by = _add_up(activity, keys, ("submitted", "completed", "completed_on_time"))
    _total, ikm_by = _add_up(satisfaction, keys, ("responses", *ELEMENT_FIELDS))

    def row(region: Region, key: str, district: str = "") -> RankRow:
        sums = speed_by[key].get(region.pk, {})
        return RankRow(
            code=region.code,
            name=region.display_name,
            district=district,
            submitted=sums.get("submitted", 0),
            completed=sums.get("completed", 0),
            completed_on_time=sums.get("completed_on_time", 0),
            figures=_figures(ikm_by[key].get(region.pk, {})),
        )

    rankings = []
    if scope.region.level == Region.Level.REGENCY:
        districts = scope.children
        names = {district.pk: district.display_name for district in districts}
        villages = Region.objects.filter(
            parent__in=districts, level=Region.Level.VILLAGE, is_active=True
        ).order_by("code")
        rankings = [
            Ranking(
                _("Kecamatan"), _rank([row(d, "district_id") for d in districts], order), drill=True
            ),
            Ranking(
                _("Villages"),
                _rank(
                    [row(v, "village_id", names.get(v.parent_id or 0, "")) for v in villages],
                    order,
                ),
                with_district=True,
            ),
        ]
    elif scope.region.level == Region.Level.DISTRICT:
        villages_ranked = _rank([row(v, "village_id") for v in scope.children], order)
        rankings = [Ranking(_("Villages"), villages_ranked)]
    return RankingReport(period, order, rankings, months)


# --- complaints ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintsReport:
    """Complaints (pengaduan) of the area and period, shown beside U9 of the IKM ("handling
    of complaints, suggestions and input", PermenPAN-RB 14/2017): what residents say about
    complaint handling next to how it went (docs/complaints.md, "Figures")."""

    period: Period
    figures: ComplaintFigures


def complaints_report(scope: Scope, period: Period) -> ComplaintsReport:
    """The complaints filed on the period's days (local dates: they keep their moment)."""
    return ComplaintsReport(
        period=period, figures=complaint_figures(scope.complaints(), period.first, period.last)
    )


def u9_of(report: IkmReport) -> ikm.ElementFigure | None:
    """The IKM's element U9 (complaint handling) of the report, or None when not shown."""
    return next((e for e in report.total.elements if e.element.code == "U9"), None)


# --- at a glance (the leadership's home page) ---------------------------------------------------


@dataclass(frozen=True)
class Glance:
    """The service figures of this month so far and of the month before, what is open now, and
    the IKM of the last twelve months: what the leadership sees first."""

    month: date
    this_month: Activity
    last_month: Activity
    now: OpenNow
    ikm: IkmFigures


def glance(scope: Scope, today: date) -> Glance:
    """Three queries: the two months of MonthlyActivity (by month), the open requests and the
    twelve months of MonthlySatisfaction."""
    month = today.replace(day=1)
    before = add_months(month, -1)
    by_month = {
        row["month"]: Activity.of(row)
        for row in _grouped(
            scope.activity().filter(month__gte=before, month__lte=month),
            ("month",),
            ACTIVITY_FIELDS,
        )
    }
    now, _per_area = _open_now(scope)
    sums = (
        scope.satisfaction()
        .filter(month__gt=add_months(month, -TREND_MONTHS), month__lte=month)
        .aggregate(**{name: Sum(name) for name in ("responses", *ELEMENT_FIELDS)})
    )
    return Glance(
        month,
        by_month.get(month, Activity()),
        by_month.get(before, Activity()),
        now,
        _figures(sums),
    )


# --- corrections of the Dinas's clerical errors (pembetulan) ---------------------------------


@dataclass(frozen=True)
class CorrectionFigures:
    """The Dinas's own clerical errors corrected (UU 23/2006 Pasal 71 as amended by UU
    24/2013): counted against the Dinas, never in a village's, kecamatan's or service's
    figures (reports.services keeps them out of the history walk)."""

    opened: int = 0
    completed: int = 0
    completed_on_time: int = 0
    open_now: int = 0
    overdue_now: int = 0

    @property
    def on_time(self) -> Fraction | None:
        return Fraction(self.completed_on_time, self.completed) if self.completed else None


def corrections_report(scope: Scope, period: Period) -> CorrectionFigures | None:
    """The Dinas's figures of corrections for the regency (None for a kecamatan or a village:
    the error is not theirs). One aggregate over the few correction requests."""
    if scope.breakdown != "district":
        return None
    now = timezone.now()
    start, end = period.start, period.end
    sums = (
        ServiceRequest.objects.filter(correction_cause=CorrectionCause.CLERICAL)
        .filter(district__in=scope.districts())
        .aggregate(
            opened=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
            completed=Count("pk", filter=Q(finished_at__gte=start, finished_at__lt=end)),
            completed_on_time=Count(
                "pk",
                filter=Q(finished_at__gte=start, finished_at__lt=end, finished_at__lte=F("due_at")),
            ),
            open_now=Count("pk", filter=Q(status__in=list(OPEN_STATES))),
            overdue_now=Count("pk", filter=Q(status__in=list(OPEN_STATES), due_at__lt=now)),
        )
    )
    return CorrectionFigures(**{key: value or 0 for key, value in sums.items()})
