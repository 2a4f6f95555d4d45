"""Report periods: whole months, quarters, semesters and years (local time).

A period is written as a short key in the address: "2026-03" (a month), "2026-Q1",
"2026-S2", "2026". Government reports, the IKM included, are made for such periods, and the
monthly pre-aggregate (MonthlyActivity) answers any of them exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import formats, timezone
from django.utils.translation import gettext as _

_KEY = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|S(?P<semester>[12])))?"
)
FIRST_YEAR = 2000


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """Midnight at the start of the month, in the deployment's time zone."""
    return datetime.combine(month.replace(day=1), time(), tzinfo=timezone.get_current_timezone())


def month_of(moment: datetime) -> date:
    """The first day of the (local) month of a moment."""
    return timezone.localtime(moment).date().replace(day=1)


@dataclass(frozen=True)
class Period:
    key: str
    first: date  # the first day of the first month
    last: date  # the first day of the last month

    @property
    def start(self) -> datetime:
        return month_start(self.first)

    @property
    def end(self) -> datetime:
        """The moment the period ends (the start of the month after it)."""
        return month_start(add_months(self.last, 1))

    @property
    def months(self) -> list[date]:
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def is_month(self) -> bool:
        return self.first == self.last

    @property
    def label(self) -> str:
        year = self.first.year
        if self.is_month:
            return formats.date_format(self.first, "F Y")
        span = len(self.months)
        if span == 3:
            return _("Quarter %(n)d, %(year)d") % {"n": (self.first.month + 2) // 3, "year": year}
        if span == 6:
            return _("Semester %(n)d, %(year)d") % {"n": (self.first.month + 5) // 6, "year": year}
        return _("Year %(year)d") % {"year": year}


def month_period(month: date) -> Period:
    month = month.replace(day=1)
    return Period(f"{month:%Y-%m}", month, month)


def parse_period(key: str, today: date) -> Period | None:
    """The period a key names, or None for anything malformed or not yet begun."""
    match = _KEY.fullmatch(key.strip())
    if match is None:
        return None
    year = int(match["year"])
    if match["month"]:
        number = int(match["month"])
        if not 1 <= number <= 12:
            return None
        first, span = date(year, number, 1), 1
    elif match["quarter"]:
        first, span = date(year, 3 * int(match["quarter"]) - 2, 1), 3
    elif match["semester"]:
        first, span = date(year, 6 * int(match["semester"]) - 5, 1), 6
    else:
        first, span = date(year, 1, 1), 12
    if year < FIRST_YEAR or first > today:
        return None
    return Period(key.strip(), first, add_months(first, span - 1))


def period_choices(today: date) -> list[Period]:
    """What the period menu offers: the last 12 months, then the quarters, semesters and
    years of this year and the last one that have begun."""
    this_month = today.replace(day=1)
    months = [month_period(add_months(this_month, -n)) for n in range(12)]
    longer: list[Period] = []
    for year in (today.year, today.year - 1):
        keys = [f"{year}-Q{n}" for n in (4, 3, 2, 1)] + [f"{year}-S{n}" for n in (2, 1)]
        keys.append(str(year))
        longer += [period for key in keys if (period := parse_period(key, today)) is not None]
    return months + longer
