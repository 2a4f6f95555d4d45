"""Counting working time: the service-level clock excludes nights, breaks, weekends and holidays.

Office hours follow Perpres 21/2023 (Hari Kerja dan Jam Kerja Instansi Pemerintah dan Pegawai
ASN): five working days, Monday to Friday (Pasal 3); 37 hours 30 minutes a week without the
breaks, from 07.30, with a break of 90 minutes on Friday and 60 on the other days (Pasal 4
ayat (1), (3), (5)); in Ramadan 32 hours 30 minutes from 08.00, with breaks of 60 and 30
minutes (Pasal 4 ayat (2), (4), (6)). The details are set by each instance (Pasal 5), so the
regency's own hours are OfficeSchedule rows the administrator keeps, with these defaults.
Indonesian public holidays and cuti bersama come from the `holidays` library (categories
public and government); local closures and re-opened days from the Closure table. All
arithmetic is done in the deployment's time zone.

Whenever the calendar changes (a closure, a re-opened day, office hours), `calendar_changed`
tells its subscribers (the requests move the due times of running requests).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, CharField, DateField, F, IntegerField, TimeField, Value
from django.utils import timezone
from holidays.countries.indonesia import Indonesia

from paradewi.worktime.models import Closure, OfficeSchedule, ScheduleKind

# Far enough for any target (the longest is a few working days), bounded so a bad setting
# cannot loop forever.
MAX_DAYS_AHEAD = 400

Window = tuple[time, time]
WeekHours = dict[int, tuple[Window, ...]]  # isoweekday -> the day's windows, in order


def _week(weekdays: dict[tuple[int, ...], tuple[Window, ...]]) -> WeekHours:
    return {day: windows for days, windows in weekdays.items() for day in days}


# The hours of Perpres 21/2023 Pasal 4 as KemenPAN-RB lays them out for a five-day week:
# Monday-Thursday 07.30-16.00 with a break 12.00-13.00 (7.5 h), Friday 07.30-16.30 with a
# break 11.30-13.00 (7.5 h): 37.5 hours. Ramadan: Monday-Thursday 08.00-15.00 with a break
# 12.00-12.30 (6.5 h), Friday 08.00-15.30 with a break 11.30-12.30 (6.5 h): 32.5 hours.
PERPRES_HOURS: dict[str, WeekHours] = {
    ScheduleKind.REGULAR: _week(
        {
            (1, 2, 3, 4): ((time(7, 30), time(12)), (time(13), time(16))),
            (5,): ((time(7, 30), time(11, 30)), (time(13), time(16, 30))),
        }
    ),
    ScheduleKind.RAMADAN: _week(
        {
            (1, 2, 3, 4): ((time(8), time(12)), (time(12, 30), time(15))),
            (5,): ((time(8), time(11, 30)), (time(12, 30), time(15, 30))),
        }
    ),
}

# A working day of a service-level target ("3 working days") is the average day of the
# regular hours: with the Perpres hours the week's 37.5 hours over its five working days
# (Perpres 21/2023 Pasal 3 and Pasal 4 ayat (1)), 7.5 hours. It does not shrink in Ramadan:
# a target is the same amount of service whatever the days it runs through.
STANDARD_DAY_MINUTES = (37 * 60 + 30) // 5


def day_minutes(hours: WeekHours) -> int:
    """The average working day of a week's hours, in minutes."""
    days = [windows for windows in hours.values() if windows]
    if not days:
        return STANDARD_DAY_MINUTES
    week = sum(_minutes(closes) - _minutes(opens) for windows in days for opens, closes in windows)
    return week // len(days)


@functools.cache
def _national_holidays(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays(
        "ID", years=year, categories=Indonesia.supported_categories
    )
    return frozenset(calendar.keys())


def holiday_name(day: date) -> str | None:
    closure = Closure.objects.filter(date=day).first()
    if closure is not None and closure.opened:
        return None
    calendar = holidays.country_holidays(
        "ID",
        years=day.year,
        categories=Indonesia.supported_categories,
        language="id" if settings.LANGUAGE_CODE == "id" else "en_US",
    )
    name = calendar.get(day)
    if name:
        return str(name)
    return closure.name if closure else None


def _merged(windows: Sequence[Window]) -> tuple[Window, ...]:
    """Windows in order, overlapping or touching ones joined (no minute counts twice)."""
    merged: list[Window] = []
    for opens, closes in sorted(windows):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    return tuple(merged)


@dataclass(frozen=True)
class Schedule:
    kind: str
    starts: date | None
    ends: date | None
    hours: WeekHours

    def covers(self, day: date) -> bool:
        return (self.starts is None or self.starts <= day) and (
            self.ends is None or day <= self.ends
        )


def _schedules(
    rows: Iterable[tuple[int, str, date | None, date | None, int | None, time | None, time | None]],
) -> list[Schedule]:
    """Schedules from (pk, kind, starts, ends, weekday, opens, closes) rows, latest start
    first. A schedule without windows has the Perpres hours of its kind."""
    found: dict[int, tuple[str, date | None, date | None, dict[int, list[Window]]]] = {}
    for pk, kind, starts, ends, weekday, opens, closes in rows:
        entry = found.setdefault(pk, (kind, starts, ends, {}))
        if weekday is not None and opens is not None and closes is not None:
            entry[3].setdefault(weekday, []).append((opens, closes))
    return [
        Schedule(
            kind,
            starts,
            ends,
            {day: _merged(windows) for day, windows in days.items()}
            if days
            else PERPRES_HOURS.get(kind, PERPRES_HOURS[ScheduleKind.REGULAR]),
        )
        for pk, (kind, starts, ends, days) in sorted(
            found.items(), key=lambda item: (item[1][1] or date.min, item[0]), reverse=True
        )
    ]


_CALENDAR_COLUMNS = (
    "source",
    "row",
    "day",
    "is_open",
    "schedule_kind",
    "first_day",
    "last_day",
    "day_of_week",
    "window_opens",
    "window_closes",
)


def _calendar_rows(first: date, last: date) -> tuple[dict[date, bool], list[Schedule]]:
    """The closures and re-opened days between first and last, and every office-hours
    schedule, in one query (a UNION of the two tables): the clock is read on every request
    page and report, and each query counts against the pages' budgets."""
    closures = (
        Closure.objects.filter(date__range=(first, last))
        .annotate(
            source=Value(0, output_field=IntegerField()),
            row=F("pk"),
            day=F("date"),
            is_open=F("opened"),
            schedule_kind=Value("", output_field=CharField()),
            first_day=Value(None, output_field=DateField()),
            last_day=Value(None, output_field=DateField()),
            day_of_week=Value(None, output_field=IntegerField()),
            window_opens=Value(None, output_field=TimeField()),
            window_closes=Value(None, output_field=TimeField()),
        )
        .values_list(*_CALENDAR_COLUMNS)
        .order_by()
    )
    hours = (
        OfficeSchedule.objects.annotate(
            source=Value(1, output_field=IntegerField()),
            row=F("pk"),
            day=Value(None, output_field=DateField()),
            is_open=Value(False, output_field=BooleanField()),
            schedule_kind=F("kind"),
            first_day=F("starts"),
            last_day=F("ends"),
            day_of_week=F("windows__weekday"),
            window_opens=F("windows__opens"),
            window_closes=F("windows__closes"),
        )
        .values_list(*_CALENDAR_COLUMNS)
        .order_by()
    )
    days: dict[date, bool] = {}
    schedule_rows = []
    for source, row, day, is_open, kind, starts, ends, weekday, opens, closes in closures.union(
        hours, all=True
    ):
        if source == 0:
            days[_as_date(day)] = bool(is_open)
        else:
            schedule_rows.append(
                (
                    row,
                    kind,
                    _as_date(starts),
                    _as_date(ends),
                    weekday,
                    _as_time(opens),
                    _as_time(closes),
                )
            )
    return days, _schedules(schedule_rows)


def _as_date(value: Any) -> Any:
    """A date from a UNION column (SQLite hands back text where it cannot tell the type)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_time(value: Any) -> Any:
    return time.fromisoformat(value) if isinstance(value, str) else value


class WorkCalendar:
    """Working windows between two dates, with closures and office hours read once from
    the database (one query)."""

    def __init__(self, first: date, last: date) -> None:
        days, self.schedules = _calendar_rows(first, last)
        self.closures = frozenset(day for day, opened in days.items() if not opened)
        self.reopened = frozenset(day for day, opened in days.items() if opened)
        self._default = PERPRES_HOURS[ScheduleKind.REGULAR]
        today = timezone.localdate()
        regular = next(
            (
                schedule.hours
                for schedule in self.schedules
                if schedule.kind == ScheduleKind.REGULAR and schedule.covers(today)
            ),
            self._default,
        )
        # The working day of a target (see STANDARD_DAY_MINUTES): today's regular hours.
        self.day_minutes = day_minutes(regular)

    def day_windows(self, day: date) -> tuple[Window, ...]:
        """The working windows of a day (empty when the office is closed)."""
        if day in self.closures:
            return ()
        if day not in self.reopened and day in _national_holidays(day.year):
            return ()
        hours = self._default
        for schedule in self.schedules:
            if schedule.covers(day):
                hours = schedule.hours
                break
        return hours.get(day.isoweekday(), ())

    def is_working_day(self, day: date) -> bool:
        return bool(self.day_windows(day))

    def windows(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office-hour windows from `start`'s day onwards, in local time."""
        tz = timezone.get_current_timezone()
        day = timezone.localtime(start, tz).date()
        for _ in range(MAX_DAYS_AHEAD):
            for opens, closes in self.day_windows(day):
                yield (
                    datetime.combine(day, opens, tzinfo=tz),
                    datetime.combine(day, closes, tzinfo=tz),
                )
            day += timedelta(days=1)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


class WorkingTimeIndex:
    """Working minutes between any two moments from first to last, in constant time.

    A running total of working time at the start of each day is built once; a moment's
    position is that total plus the working time of its own day up to it (its day's one or
    two windows), and the working minutes between two moments are the difference of their
    positions. It gives the same counts as summing office-hour windows
    (`working_minutes_between`), without walking the days in between, for code that counts
    millions of stays (the reports' walk through the history). Moments outside the range
    count as its first or last moment. `moment()` turns a position back into the earliest
    moment with it (the due time of a position).
    """

    def __init__(self, first: date, last: date) -> None:
        calendar = WorkCalendar(first, last)
        self.tz = timezone.get_current_timezone()
        self.first = first
        self.day_minutes = calendar.day_minutes
        # Microseconds of working time before each day, and each day's windows as
        # (opens, closes) in microseconds since midnight.
        self.before: list[int] = []
        self.day_windows: list[tuple[tuple[int, int], ...]] = []
        total, day = 0, first
        shapes: dict[tuple[Window, ...], tuple[tuple[int, int], ...]] = {}
        while day <= last:
            windows = calendar.day_windows(day)
            shape = shapes.get(windows)
            if shape is None:
                shape = tuple(
                    (_minutes(opens) * 60_000_000, _minutes(closes) * 60_000_000)
                    for opens, closes in windows
                )
                shapes[windows] = shape
            self.before.append(total)
            self.day_windows.append(shape)
            total += sum(closes - opens for opens, closes in shape)
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
        windows = self.day_windows[index]
        if not windows:
            return self.before[index]
        into = (
            local.hour * 3600 + local.minute * 60 + local.second
        ) * 1_000_000 + local.microsecond
        done = 0
        for opens, closes in windows:
            if into <= opens:
                break
            done += min(into, closes) - opens
        return self.before[index] + done

    def moment(self, position: int) -> datetime:
        """The earliest moment at `position` (a position at a window's end is its close)."""
        if position <= 0 or not self.before:
            raise ValueError("Position before the range of the index.")
        if position > self.total:
            raise ValueError("Position beyond the range of the index.")
        # The last day that starts before the position (binary search over the totals).
        low, high = 0, len(self.before) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.before[middle] < position:
                low = middle
            else:
                high = middle - 1
        left = position - self.before[low]
        day = self.first + timedelta(days=low)
        for opens, closes in self.day_windows[low]:
            if left <= closes - opens:
                at = opens + left
                midnight = datetime.combine(day, time(), tzinfo=self.tz)
                return midnight + timedelta(microseconds=at)
            left -= closes - opens
        raise ValueError("Position beyond the range of the index.")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> int:
        """Working minutes from start to end (0 if end is not after start)."""
        if end <= start:
            return 0
        return (self.position(end) - self.position(start)) // 60_000_000


_MICROSECOND = timedelta(microseconds=1)


def minutes_per_day() -> int:
    """A working day of a target: the average day of today's regular hours (7.5 hours with
    the Perpres 21/2023 hours). Reads the calendar (one query)."""
    today = timezone.localdate()
    return WorkCalendar(today, today).day_minutes


def target_minutes(amount: int, unit: str, per_day: int | None = None) -> int:
    """A target in working minutes: a working day is the average day of the regular hours
    (Perpres 21/2023: 37.5 hours over five days, 7.5 hours), so a target does not grow or
    shrink with the days it runs through. `per_day` saves the read of the calendar."""
    if unit == "days":
        return amount * (per_day if per_day is not None else minutes_per_day())
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


# --- telling others that the calendar changed ---------------------------------------------------


@dataclass(frozen=True)
class CalendarChange:
    """Working time changed from `first` on (None: every day, an open-ended schedule),
    because of `reason`, entered by `actor` (None when not entered through a page)."""

    first: date | None
    reason: str
    actor: Any = None


CalendarSubscriber = Callable[[CalendarChange], object]
_calendar_subscribers: list[CalendarSubscriber] = []


def subscribe_calendar_changed(callback: CalendarSubscriber) -> None:
    """Run `callback` after a transaction that changed the calendar commits (apps above
    worktime subscribe from their AppConfig.ready(): worktime imports none of them)."""
    if callback not in _calendar_subscribers:
        _calendar_subscribers.append(callback)


def calendar_changed(first: date | None, reason: str, actor: Any = None) -> None:
    """Record that working time from `first` changed; the subscribers run after the
    transaction commits, once for all the changes recorded until then, with the earliest
    day changed (a schedule saved with its windows is one change, not one per window).
    Subscribers recompute from the calendar as it stands, so a change recorded in a
    transaction that was rolled back only costs a recomputation that finds nothing to do."""
    connection = transaction.get_connection()
    pending: list[CalendarChange] | None = getattr(connection, "_paradewi_calendar", None)
    if pending is None:
        pending = []
        connection._paradewi_calendar = pending
    pending.append(CalendarChange(first, reason, actor))

    def run() -> None:
        if not pending:
            return
        changes = list(pending)
        pending.clear()
        firsts = [change.first for change in changes]
        reasons = list(dict.fromkeys(change.reason for change in changes))
        actor = next((change.actor for change in changes if change.actor is not None), None)
        change = CalendarChange(
            None if None in firsts else min(day for day in firsts if day is not None),
            "; ".join(reasons),
            actor,
        )
        for callback in _calendar_subscribers:
            callback(change)

    transaction.on_commit(run)
