"""Report periods: any range of days, with whole months, quarters, semesters and years as
shortcuts (local time: the deployment's time zone, Asia/Jakarta in Mojokerto).

A period is written as a short key in the address: "2026-03" (a month), "2026-Q1",
"2026-S2", "2026", a range of whole months "2025-03..2026-02", or any range of days
"2026-03-10..2026-04-05" (both days included; one day alone may be written "2026-03-10").
A day begins at local midnight, so an event at 23:59 in Jakarta on 9 March counts on 9 March.

The pre-aggregates are kept per month and per day (`reports.models`): a period reads the
monthly rows of the whole months it holds and the daily rows of the days at its edges, so its
figures are exact to the day and a long period still costs a few hundred rows per area.

A range of days may not end after today, begin before FIRST_YEAR, or be longer than
MAX_RANGE_MONTHS (five years: a regent's term and an RPJMD; the trend of a longer range would
be unreadable, and its cost grows with the months it holds). A range of whole months may
reach to the end of this month, as the month shortcut does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

_KEY = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|S(?P<semester>[12])))?"
)
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
# A day as `<input type="date">` sends it (2026-03-10), or as people write it by hand where
# the browser shows a plain text box (10/03/2026, 10-03-2026, 10.03.2026).
_DAY_ISO = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY_LOCAL = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4})")
RANGE_SEPARATOR = ".."
FIRST_YEAR = 2000
# Five years: enough to compare terms of office (RPJMD), and still a few thousand
# pre-aggregate rows per village.
MAX_RANGE_MONTHS = 60


class PeriodError(ValueError):
    """A range that cannot be reported on; the message says why."""


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    """The last day of the month of `month`."""
    return add_months(month, 1) - timedelta(days=1)


def day_start(day: date) -> datetime:
    """Local midnight at the start of `day`, in the deployment's time zone."""
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def month_start(month: date) -> datetime:
    """Midnight at the start of the month, in the deployment's time zone."""
    return day_start(month.replace(day=1))


def month_of(moment: datetime) -> date:
    """The first day of the (local) month of a moment."""
    return timezone.localtime(moment).date().replace(day=1)


@dataclass(frozen=True)
class Period:
    key: str
    first: date  # the first day
    last: date  # the last day (included)
    kind: str = "month"  # month, quarter, semester, year, range (of months) or days

    @property
    def start(self) -> datetime:
        """Local midnight at the start of the first day."""
        return day_start(self.first)

    @property
    def end(self) -> datetime:
        """The moment the period ends: local midnight after its last day."""
        return day_start(self.last + timedelta(days=1))

    @property
    def months(self) -> list[date]:
        """The months the period touches (their first days), whole or not."""
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = add_months(month, 1)
        return months

    @property
    def whole_months(self) -> list[date]:
        """The months that lie whole inside the period (their first days)."""
        return [
            month for month in self.months if month >= self.first and month_end(month) <= self.last
        ]

    @property
    def edge_days(self) -> list[tuple[date, date]]:
        """The days outside the whole months, as at most two spans (first, last day): the
        part of a month at the start, and the part of a month at the end."""
        whole = self.whole_months
        if not whole:
            return [(self.first, self.last)]
        spans = []
        if self.first < whole[0]:
            spans.append((self.first, whole[0] - timedelta(days=1)))
        after = add_months(whole[-1], 1)
        if after <= self.last:
            spans.append((after, self.last))
        return spans

    @property
    def is_whole_months(self) -> bool:
        return self.kind != "days"

    @property
    def covering(self) -> Period:
        """The whole months the period touches: itself when it is made of whole months. The
        IKM is counted per month (a survey response keeps only its month, for anonymity)."""
        if self.is_whole_months:
            return self
        return whole_months_period(self.first, self.last)

    @property
    def is_month(self) -> bool:
        return self.kind == "month"

    @property
    def is_range(self) -> bool:
        return self.kind in ("range", "days")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

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
        if self.kind == "days":
            if self.first == self.last:
                return formats.date_format(self.first, "j F Y")
            return _("%(first)s to %(last)s") % {
                "first": formats.date_format(self.first, "j F Y"),
                "last": formats.date_format(self.last, "j F Y"),
            }
        return _("%(first)s to %(last)s") % {
            "first": formats.date_format(self.first, "F Y"),
            "last": formats.date_format(self.last, "F Y"),
        }


def month_period(month: date) -> Period:
    month = month.replace(day=1)
    return Period(f"{month:%Y-%m}", month, month_end(month))


def whole_months_period(first: date, last: date) -> Period:
    """The whole months from the month of `first` to the month of `last` (no checks)."""
    first, last = first.replace(day=1), last.replace(day=1)
    if first == last:
        return month_period(first)
    return Period(f"{first:%Y-%m}{RANGE_SEPARATOR}{last:%Y-%m}", first, month_end(last), "range")


def parse_month(text: str) -> date | None:
    """The first day of a month written YYYY-MM (as an `<input type="month">` sends it)."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match["month"]) <= 12:
        return None
    return date(int(match["year"]), int(match["month"]), 1)


def parse_day(text: str) -> date | None:
    """A day written YYYY-MM-DD (as an `<input type="date">` sends it) or DD/MM/YYYY (also
    with dashes or dots); None for anything else or a day that does not exist (30/02)."""
    text = text.strip()
    match = _DAY_ISO.fullmatch(text) or _DAY_LOCAL.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def latest_last_day(first: date) -> date:
    """The last day a range that begins on `first` may have: MAX_RANGE_MONTHS later, less a
    day (1 March 2021 to 28 February 2026; from 29 February, to 28 February five years on)."""
    years, months = divmod(MAX_RANGE_MONTHS, 12)
    month = add_months(first, months + 12 * years)
    day = min(first.day, month_end(month).day + 1)
    return month + timedelta(days=day - 1) - timedelta(days=1)


def _span_error(first: date, last: date) -> PeriodError | None:
    """What is wrong with a range from `first` to `last` whatever its kind, or None."""
    if last < first:
        return PeriodError(_("The range ends before it begins: choose the earlier day first."))
    if first.year < FIRST_YEAR:
        return PeriodError(_("Reports begin in %(year)d.") % {"year": FIRST_YEAR})
    if last > latest_last_day(first):
        return PeriodError(
            _(
                "A range can be at most five years (%(n)d months) long: from %(first)s, "
                "the last day is %(last)s."
            )
            % {
                "n": MAX_RANGE_MONTHS,
                "first": formats.date_format(first, "j F Y"),
                "last": formats.date_format(latest_last_day(first), "j F Y"),
            }
        )
    return None


def range_period(first: date, last: date, today: date) -> Period:
    """The whole months from `first` to `last` (both included); PeriodError when the range is
    backwards, longer than MAX_RANGE_MONTHS, before FIRST_YEAR or past this month. A range
    of one month is that month."""
    first, last = first.replace(day=1), last.replace(day=1)
    if last < first:
        raise PeriodError(_("The range ends before it begins: choose the earlier month first."))
    if last > today.replace(day=1):
        raise PeriodError(_("The range cannot end after this month."))
    problem = _span_error(first, month_end(last))
    if problem is not None:
        raise problem
    return whole_months_period(first, last)


def day_range_period(first: date, last: date, today: date) -> Period:
    """The days from `first` to `last` (both included); PeriodError when the range is
    backwards, ends after `today`, begins before FIRST_YEAR or is longer than five years.
    A range that is exactly whole months is those months (its key is the months')."""
    if first <= last and last > today:
        raise PeriodError(
            _("The range cannot end after today (%(today)s).")
            % {"today": formats.date_format(today, "j F Y")}
        )
    problem = _span_error(first, last)
    if problem is not None:
        raise problem
    if first.day == 1 and last == month_end(last):
        return whole_months_period(first, last)
    key = f"{first:%Y-%m-%d}"
    if last != first:
        key += f"{RANGE_SEPARATOR}{last:%Y-%m-%d}"
    return Period(key, first, last, "days")


def _parse_range(key: str, today: date) -> Period | None:
    start, _sep, end = key.partition(RANGE_SEPARATOR)
    try:
        first_month, last_month = parse_month(start), parse_month(end)
        if first_month is not None and last_month is not None:
            return range_period(first_month, last_month, today)
        first_day, last_day = _iso_day(start), _iso_day(end)
        if first_day is not None and last_day is not None:
            return day_range_period(first_day, last_day, today)
    except PeriodError:
        return None
    return None


def _iso_day(text: str) -> date | None:
    return parse_day(text) if _DAY_ISO.fullmatch(text) else None


def parse_period(key: str, today: date) -> Period | None:
    """The period a key names, or None for anything malformed or not yet begun (a range
    of months must end by this month, a range of days by today: see `range_period` and
    `day_range_period`)."""
    key = key.strip()
    if RANGE_SEPARATOR in key:
        return _parse_range(key, today)
    if _DAY_ISO.fullmatch(key):
        day = _iso_day(key)
        try:
            return day_range_period(day, day, today) if day is not None else None
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
    return Period(key, first, month_end(add_months(first, span - 1)), kind)


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
