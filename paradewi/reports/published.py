"""The figures published for everyone at /figures/ (no login).

UU 25/2009 obliges the provider to account for its service to the public (Pasal 15 huruf h),
and PermenPAN-RB 14/2017 requires the results of the Survei Kepuasan Masyarakat to be made
public. This module gives the regency's figures of the last four whole quarters (and the
IKM of the quarter under way): the IKM per quarter with its grade, respondents and whether
the sample was large enough, the IKM per service, and the share completed on time and the
median time to completion per kecamatan and per service.

It reads the same pre-aggregates as the dashboards and uses their arithmetic unchanged: the
IKM and its grade from `surveys.ikm.figures`, the sample from `ikm.krejcie_morgan` over the
people served (requests handed over), the on-time share from `selectors.Activity.on_time`,
the median from the duration histograms (`reports.durations.percentile`, nearest rank, the
bucket's upper bound): MonthlyDuration per kecamatan, MonthlyServiceDuration per service.

What may be published (docs/reports.md, "Published figures"): aggregates only, no name, no
village, no request. A group with fewer than MIN_GROUP members (responses, or completed
requests) shows no figure, and not its exact size either. Where the groups of a table add up
to a figure shown elsewhere (the kecamatan and the services to the regency's total, the
services' IKM to the four quarters), a single small group would be recovered by subtraction:
then the next smallest group is withheld too (complementary suppression).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

from paradewi.catalogue.models import Service
from paradewi.complaints.models import Category, Complaint
from paradewi.complaints.selectors import complaint_figures
from paradewi.regions.models import Region
from paradewi.regions.selectors import deployed_regency
from paradewi.reports import durations
from paradewi.reports.durations import MEDIAN, Percentile
from paradewi.reports.models import (
    Measure,
    MonthlyActivity,
    MonthlyDuration,
    MonthlySatisfaction,
    MonthlyServiceDuration,
)
from paradewi.reports.periods import Period, add_months, parse_period, range_period
from paradewi.reports.selectors import MIN_REQUESTS, _add_up, _figures, _grouped
from paradewi.reports.services import refreshed_at
from paradewi.surveys import ikm
from paradewi.surveys.ikm import MIN_RESPONSES, IkmFigures
from paradewi.surveys.questionnaire import ELEMENT_FIELDS

# The smallest group whose figures are published: the dashboards' own thresholds.
MIN_GROUP = max(MIN_RESPONSES, MIN_REQUESTS)
QUARTERS = 4
CACHE_SECONDS = 15 * 60

K = TypeVar("K", bound=Hashable)


def withheld(sizes: Mapping[K, int]) -> set[K]:
    """The groups whose figures are not published: those of 1 to MIN_GROUP - 1 members, and,
    when that is a single group, the smallest of the others as well, so that it cannot be
    recovered from a total. Empty groups have nothing to hide."""
    small = {key for key, size in sizes.items() if 0 < size < MIN_GROUP}
    if len(small) == 1:
        others = sorted(((size, str(key)), key) for key, size in sizes.items() if size >= MIN_GROUP)
        if others:
            small.add(others[0][1])
    return small


@dataclass(frozen=True)
class QuarterIkm:
    """The IKM of one quarter; `figures` is empty (not shown) when withheld."""

    period: Period
    figures: IkmFigures
    withheld: bool
    served: int  # people served (requests handed over): the population of the sample
    sample_needed: int
    complete: bool  # False for the quarter under way

    @property
    def sample_adequate(self) -> bool:
        return self.figures.responses >= self.sample_needed


@dataclass(frozen=True)
class IkmLine:
    name: str
    figures: IkmFigures
    withheld: bool


@dataclass(frozen=True)
class SpeedLine:
    """Completion of one group: how many, the share on time and the median time to
    completion; all None when withheld (or, for the median, when not known)."""

    name: str
    completed: int | None
    on_time: Fraction | None
    median: Percentile | None
    withheld: bool


@dataclass(frozen=True)
class PublicComplaints:
    """Complaints received in the period and answered within their target (UU 25/2009: the
    results of complaint handling are public), with the count per category (codes of
    complaints.models.Category; None when withheld). `share` is None when fewer than MIN_GROUP
    complaints can be judged against the target."""

    received: int
    judged: int  # answered, or waiting past the target
    within_target: int
    categories: list[tuple[str, int | None]]

    @property
    def withheld(self) -> bool:
        """Fewer than MIN_GROUP complaints: neither their number nor their categories show."""
        return 0 < self.received < MIN_GROUP

    @property
    def share(self) -> Fraction | None:
        if self.judged < MIN_GROUP:
            return None
        return Fraction(self.within_target, self.judged)


def _public_complaints(period: Period) -> PublicComplaints:
    """The public complaint figures of the period (one query): the same counting as the
    dashboards' (complaints.selectors.complaint_figures), only the totals and categories."""
    last_day = add_months(period.last, 1) - timedelta(days=1)
    figures = complaint_figures(Complaint.objects.all(), period.first, last_day)
    codes = {str(label): code for code, label in Category.choices}
    sizes = {codes.get(label, label): count for label, count in figures.by_category}
    hidden = withheld(sizes)
    return PublicComplaints(
        received=figures.total,
        judged=figures.due,
        within_target=figures.within_target,
        categories=[
            (code, None if code in hidden else sizes[code])
            for code, _label in Category.choices
            if code in sizes
        ],
    )


@dataclass(frozen=True)
class PublishedFigures:
    period: Period  # the four whole quarters
    quarters: list[QuarterIkm]  # oldest first, then the quarter under way
    ikm_services: list[IkmLine]
    total: SpeedLine
    districts: list[SpeedLine]
    services: list[SpeedLine]
    refreshed_at: Any  # datetime | None: when the pre-aggregates were last brought up to date
    complaints: PublicComplaints | None = None


def _quarter_periods(today: date) -> tuple[list[Period], Period]:
    """The last QUARTERS whole quarters (oldest first) and the quarter under way."""
    current_first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    quarters = []
    for back in range(QUARTERS, -1, -1):
        first = add_months(current_first, -3 * back)
        period = parse_period(f"{first.year}-Q{(first.month + 2) // 3}", today)
        assert period is not None  # noqa: S101 - a quarter that has begun
        quarters.append(period)
    return quarters[:-1], quarters[-1]


def _districts() -> list[Region]:
    regency = deployed_regency()
    if regency is None:
        return []
    return list(
        Region.objects.filter(parent=regency, level=Region.Level.DISTRICT, is_active=True).order_by(
            "code"
        )
    )


def _speed_line(
    name: str, sums: Mapping[str, int], counts: list[int] | None, hide: bool
) -> SpeedLine:
    completed = int(sums.get("completed", 0))
    if hide:
        return SpeedLine(name, None, None, None, True)
    on_time = Fraction(int(sums.get("completed_on_time", 0)), completed) if completed else None
    median = durations.percentile(counts, MEDIAN) if counts else None
    return SpeedLine(name, completed, on_time, median, False)


def compute_published_figures(today: date) -> PublishedFigures:
    """The figures of /figures/ for `today` (seven queries; see `published_figures` for the
    cached read)."""
    whole, current = _quarter_periods(today)
    period = range_period(whole[0].first, whole[-1].last, today)
    districts = _districts()
    district_ids = [district.pk for district in districts]
    services = list(Service.objects.order_by("position", "name"))

    # Satisfaction: the months of the five quarters, by month and service.
    satisfaction = _grouped(
        MonthlySatisfaction.objects.filter(
            district__in=district_ids, month__gte=whole[0].first, month__lte=current.last
        ),
        ("month", "service_id"),
        ("responses", *ELEMENT_FIELDS),
    )
    # Activity: the same months, by month, kecamatan and service.
    speed_sums = ("handed_over", "completed", "completed_on_time")
    activity = _grouped(
        MonthlyActivity.objects.filter(
            district__in=district_ids, month__gte=whole[0].first, month__lte=current.last
        ),
        ("month", "district_id", "service_id"),
        speed_sums,
    )
    # Time to completion of the four quarters, by kecamatan, and by service.
    histograms = _grouped(
        MonthlyDuration.objects.filter(
            district__in=district_ids,
            measure=Measure.LEAD,
            month__gte=period.first,
            month__lte=period.last,
        ),
        ("district_id",),
        durations.COLUMNS,
    )
    service_histograms = _grouped(
        MonthlyServiceDuration.objects.filter(
            district__in=district_ids, month__gte=period.first, month__lte=period.last
        ),
        ("service_id",),
        durations.COLUMNS,
    )

    def quarter_of(month: date) -> date:
        return date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)

    for row in satisfaction:
        row["quarter"] = quarter_of(row["month"])
    for row in activity:
        row["quarter"] = quarter_of(row["month"])
    _total, ikm_by = _add_up(satisfaction, ("quarter",), ("responses", *ELEMENT_FIELDS))
    _total, served_by = _add_up(activity, ("quarter",), ("handed_over",))

    in_year = [row for row in satisfaction if row["month"] <= period.last]
    _total, ikm_per_service = _add_up(in_year, ("service_id",), ("responses", *ELEMENT_FIELDS))
    hidden_quarters = withheld(
        {
            quarter.first: int(ikm_by["quarter"].get(quarter.first, {}).get("responses", 0))
            for quarter in whole
        }
    )
    quarters = []
    for quarter in [*whole, current]:
        sums = ikm_by["quarter"].get(quarter.first, {})
        responses = int(sums.get("responses", 0))
        hide = quarter.first in hidden_quarters or 0 < responses < MIN_GROUP
        served = int(served_by["quarter"].get(quarter.first, {}).get("handed_over", 0))
        quarters.append(
            QuarterIkm(
                period=quarter,
                figures=ikm.NO_FIGURES if hide else _figures(sums),
                withheld=hide,
                served=served,
                sample_needed=ikm.krejcie_morgan(served),
                complete=quarter is not current,
            )
        )

    service_sizes = {
        pk: int(sums.get("responses", 0)) for pk, sums in ikm_per_service["service_id"].items()
    }
    hidden_services = withheld(service_sizes)
    ikm_services = [
        IkmLine(
            service.name,
            ikm.NO_FIGURES
            if service.pk in hidden_services
            else _figures(ikm_per_service["service_id"][service.pk]),
            service.pk in hidden_services,
        )
        for service in services
        if service.pk in ikm_per_service["service_id"]
    ]

    in_period = [row for row in activity if row["month"] <= period.last]
    total, speed_by = _add_up(in_period, ("district_id", "service_id"), speed_sums)
    counts_by_district = {
        row["district_id"]: [int(row[column] or 0) for column in durations.COLUMNS]
        for row in histograms
    }
    all_counts = (
        [sum(column) for column in zip(*counts_by_district.values(), strict=True)]
        if counts_by_district
        else None
    )
    district_sizes = {
        district.pk: int(speed_by["district_id"].get(district.pk, {}).get("completed", 0))
        for district in districts
    }
    hidden_districts = withheld(district_sizes)
    district_lines = [
        _speed_line(
            district.name,
            speed_by["district_id"].get(district.pk, {}),
            counts_by_district.get(district.pk),
            district.pk in hidden_districts,
        )
        for district in districts
    ]
    service_sizes = {
        pk: int(sums.get("completed", 0)) for pk, sums in speed_by["service_id"].items()
    }
    hidden_services = withheld(service_sizes)
    counts_by_service = {
        row["service_id"]: [int(row[column] or 0) for column in durations.COLUMNS]
        for row in service_histograms
    }
    service_lines = [
        _speed_line(
            service.name,
            speed_by["service_id"][service.pk],
            counts_by_service.get(service.pk),
            service.pk in hidden_services,
        )
        for service in services
        if service.pk in speed_by["service_id"]
    ]
    total_line = _speed_line("", total, all_counts, 0 < int(total.get("completed", 0)) < MIN_GROUP)
    return PublishedFigures(
        period=period,
        quarters=quarters,
        ikm_services=ikm_services,
        total=total_line,
        districts=district_lines,
        services=service_lines,
        refreshed_at=None,
        complaints=_public_complaints(period),
    )


def published_figures() -> PublishedFigures:
    """The figures of /figures/, computed once per refresh of the pre-aggregates and day
    (the key), and kept CACHE_SECONDS at most: a busy public page costs one query."""
    today = timezone.localdate()
    refreshed = refreshed_at()
    key = f"published-figures:{today.isoformat()}:{refreshed.isoformat() if refreshed else '-'}"
    figures: PublishedFigures | None = cache.get(key)
    if figures is None:
        figures = dataclasses.replace(compute_published_figures(today), refreshed_at=refreshed)
        cache.set(key, figures, CACHE_SECONDS)
    return figures
