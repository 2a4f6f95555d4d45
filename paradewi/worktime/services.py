"""Counting working time: the service-level clock excludes nights, weekends and holidays.

Office hours and working days come from settings (OFFICE_HOURS, OFFICE_DAYS); Indonesian public
holidays and cuti bersama from the `holidays` library (categories public and government); local
closures from the Closure table. All arithmetic is done in the deployment's time zone.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import holidays
from django.conf import settings
from django.utils import timezone
from holidays.countries.indonesia import Indonesia

from paradewi.worktime.models import Closure

# Far enough for any target (the longest is a few working days), bounded so a bad setting
# cannot loop forever.
MAX_DAYS_AHEAD = 400


@functools.cache
def _national_holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=Indonesia.supported_categories
    )
    return frozenset(calendar.keys())


def holiday_name(day: date) -> str | None:
    calendar = holidays.country_holidays(
        "ID",
        years=day.year,
        categories=Indonesia.supported_categories,
        language="id" if settings.LANGUAGE_CODE == "id" else "en_US",
    )
    name = calendar.get(day)
    if name:
        return str(name)
    closure = Closure.objects.filter(date=day).first()
    return closure.name if closure else None


class WorkCalendar:
    """Working windows between two dates, with closures read once from the database."""

    def __init__(self, first: date, last: date) -> None:
        self.closures = frozenset(
            Closure.objects.filter(date__range=(first, last)).values_list("date", flat=True)
        )
        self.opens, self.closes = settings.OFFICE_HOURS
        self.days = frozenset(settings.OFFICE_DAYS)

    def is_working_day(self, day: date) -> bool:
        return (
            day.isoweekday() in self.days
            and day not in _national_holidays(day.year)
            and day not in self.closures
        )

    def windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office-hour windows from `start`'s day onwards, in local time."""
        tz = timezone.get_current_timezone()
        day = timezone.localtime(start, tz).date()
        for _ in range(MAX_DAYS_AHEAD):
            if self.is_working_day(day):
                yield (
                    datetime.combine(day, self.opens, tzinfo=tz),
                    datetime.combine(day, self.closes, tzinfo=tz),
                )
            day += timedelta(days=1)


class WorkingTimeIndex:
    """Working minutes between any two moments from first to last, in constant time.

    A running total of working time at the start of each day is built once; a moment's
    position is that total plus the working time of its own day up to it, and the working
    minutes between two moments are the difference of their positions. It gives the same
    counts as summing office-hour windows (`working_minutes_between`), without walking the days
    in between, for code that counts millions of stays (the reports' walk through the history).
    Moments outside the range count as its first or last moment.
    """

    def __init__(self, first: date, last: date) -> None:
        calendar = WorkCalendar(first, last)
        self.tz = timezone.get_current_timezone()
        self.first = first
        self.opens, self.closes = calendar.opens, calendar.closes
        today = datetime.combine(first, calendar.opens)
        self.day_length = (datetime.combine(first, calendar.closes) - today) // _MICROSECOND
        # Microseconds of working time before each day, and whether the day is a working day.
        self.before: list[int] = []
        self.working: list[bool] = []
        total, day = 0, first
        while day <= last:
            working = calendar.is_working_day(day)
            self.before.append(total)
            self.working.append(working)
            total += self.day_length if working else 0
            day += timedelta(days=1)
        self.total = total

    def position(self, moment: datetime) -> int:
        """Microseconds of working time from the start of the range to `moment`."""
        local = moment.astimezone(self.tz)
        day = local.date()
        index = (day - self.first).days
        if index < 0:
            return 0
        if index >= len(self.before):
            return self.total
        if not self.working[index]:
            return self.before[index]
        into = (local - datetime.combine(day, self.opens, tzinfo=self.tz)) // _MICROSECOND
        return self.before[index] + min(max(into, 0), self.day_length)

    def between(self, start: datetime, end: datetime) -> int:
        """Working minutes from start to end (0 if end is not after start)."""
        if end <= start:
            return 0
        return (self.position(end) - self.position(start)) // 60_000_000


_MICROSECOND = timedelta(microseconds=1)


def minutes_per_day() -> int:
    opens, closes = settings.OFFICE_HOURS
    return (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)


def target_minutes(amount: int, unit: str) -> int:
    """A target in working minutes: a working day is one day of office hours."""
    if unit == "days":
        return amount * minutes_per_day()
    if unit == "hours":
        return amount * 60
    return amount


def add_working_minutes(start: datetime, minutes: int) -> datetime:
    """The moment `minutes` of working time after `start`."""
    calendar = WorkCalendar(start.date(), start.date() + timedelta(days=MAX_DAYS_AHEAD))
    remaining = timedelta(minutes=minutes)
    for opens, closes in calendar.windows(start):
        begin = max(opens, start)
        if begin >= closes:
            continue
        available = closes - begin
        if remaining <= available:
            return begin + remaining
        remaining -= available
    raise ValueError("No working time found within MAX_DAYS_AHEAD days; check OFFICE_DAYS.")


def working_minutes_between(start: datetime, end: datetime) -> int:
    """Working minutes elapsed from `start` to `end` (0 if end is not after start)."""
    if end <= start:
        return 0
    calendar = WorkCalendar(start.date(), end.date() + timedelta(days=1))
    total = timedelta()
    for opens, closes in calendar.windows(start):
        if opens >= end:
            break
        begin, finish = max(opens, start), min(closes, end)
        if finish > begin:
            total += finish - begin
    return int(total.total_seconds() // 60)
