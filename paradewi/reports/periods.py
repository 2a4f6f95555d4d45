"""Report periods: whole months, quarters, semesters, years and ranges of months (local time).

A period is written as a short key in the address: "2026-03" (a month), "2026-Q1",
"2026-S2", "2026", or a range of whole months "2025-03..2026-02". Government reports, the IKM
included, are made for such periods, and the monthly pre-aggregates answer any of them
exactly. A range is at most MAX_RANGE_MONTHS long and may not reach past this month.
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
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
RANGE_SEPARATOR = ".."
FIRST_YEAR = 2000
# Five years: enough to compare terms of office, and still a few thousand pre-aggregate rows
# per village.
MAX_RANGE_MONTHS = 60


class PeriodError(ValueError):
    """A range of months that cannot be reported on; the message says why."""


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
    kind: str = "month"  # month, quarter, semester, year or range

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
    def is_range(self) -> bool:
        return self.kind == "range"

    @property
    def label(self) -> str:
        year = self.first.year
        if self.is_month:
            return formats.date_format(self.first, "F Y")
        if self.kind == "quarter":
            return _("Quarter %(n)d, %(year)d") % {"n": (self.first.month + 2) // 3, "year": year}
        if self.kind == "semester":
            return _("Semester %(n)d, %(year)d") % {"n": (self.first.month + 5) // 6, "year": year}
        if self.kind == "year":
            return _("Year %(year)d") % {"year": year}
        return _("%(first)s to %(last)s") % {
            "first": formats.date_format(self.first, "F Y"),
            "last": formats.date_format(self.last, "F Y"),
        }


def month_period(month: date) -> Period:
    month = month.replace(day=1)
    return Period(f"{month:%Y-%m}", month, month)


def parse_month(text: str) -> date | None:
    """The first day of a month written YYYY-MM (as an `<input type="month">` sends it)."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match["month"]) <= 12:
        return None
    return date(int(match["year"]), int(match["month"]), 1)


def range_period(first: date, last: date, today: date) -> Period:
    """The months from `first` to `last` (both included); PeriodError when the range is
    backwards, longer than MAX_RANGE_MONTHS, before FIRST_YEAR or past this month. A range
    of one month is that month."""
    first, last = first.replace(day=1), last.replace(day=1)
    if last < first:
        raise PeriodError(_("The range ends before it begins: choose the earlier month first."))
    if first.year < FIRST_YEAR:
        raise PeriodError(_("Reports begin in %(year)d.") % {"year": FIRST_YEAR})
    if last > today.replace(day=1):
        raise PeriodError(_("The range cannot end after this month."))
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    if span > MAX_RANGE_MONTHS:
        raise PeriodError(
            _("A range can be at most %(n)d months (five years) long.") % {"n": MAX_RANGE_MONTHS}
        )
    if span == 1:
        return month_period(first)
    return Period(f"{first:%Y-%m}{RANGE_SEPARATOR}{last:%Y-%m}", first, last, "range")


def parse_period(key: str, today: date) -> Period | None:
    """The period a key names, or None for anything malformed or not yet begun (a range
    must end by this month: see `range_period`)."""
    key = key.strip()
    if RANGE_SEPARATOR in key:
        start, _sep, end = key.partition(RANGE_SEPARATOR)
        first, last = parse_month(start), parse_month(end)
        if first is None or last is None:
            return None
        try:
            return range_period(first, last, today)
        except PeriodError:
            return None
    match = _KEY.fullmatch(key)
    if match is None:
        return None
    year = int(match["year"])
    if match["month"]:
        number = int(match["month"])
        if not 1 <= number <= 12:
            return None
        first, span, kind = date(year, number, 1), 1, "month"
    elif match["quarter"]:
        first, span, kind = date(year, 3 * int(match["quarter"]) - 2, 1), 3, "quarter"
    elif match["semester"]:
        first, span, kind = date(year, 6 * int(match["semester"]) - 5, 1), 6, "semester"
    else:
        first, span, kind = date(year, 1, 1), 12, "year"
    if year < FIRST_YEAR or first > today:
        return None
    return Period(key, first, add_months(first, span - 1), kind)


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
