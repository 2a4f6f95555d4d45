"""The service-level clock in integer working minutes, for millions of events.

`paradewi.worktime.services.add_working_minutes` walks the calendar window by window, which is
exact but far too slow for a history of millions of events. Here the same calendar (office
hours with their breaks, Indonesian holidays and cuti bersama, the Closure table) is laid out
once as a list of working windows (one or two a day), and every moment is a *position*: the
number of working minutes since the first window. Adding working time is then an addition,
and turning a position back into a moment one binary search. For whole-minute moments inside
office hours the results equal `add_working_minutes` and `working_minutes_between`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, timedelta

from django.utils import timezone

from paradewi.worktime.services import WorkCalendar


class WorkingClock:
    """Working windows from `first` to `last` (local dates), addressed by working minute."""

    def __init__(self, first: date, last: date) -> None:
        calendar = WorkCalendar(first, last)
        tz = timezone.get_current_timezone()
        self.days: list[date] = []  # the day of each window (a day with a break has two)
        self.opens: list[int] = []  # epoch seconds
        self.closes: list[int] = []
        self.ends: list[int] = []  # position (working minutes) at the close of each window
        total = 0
        day = first
        while day <= last:
            for opens, closes in calendar.day_windows(day):
                start = int(datetime.combine(day, opens, tzinfo=tz).timestamp())
                stop = int(datetime.combine(day, closes, tzinfo=tz).timestamp())
                total += (stop - start) // 60
                self.days.append(day)
                self.opens.append(start)
                self.closes.append(stop)
                self.ends.append(total)
            day += timedelta(days=1)
        if not self.days:
            raise ValueError("No working day in the period; check OFFICE_DAYS.")

    @property
    def last_position(self) -> int:
        return self.ends[-1]

    def window_start(self, index: int) -> int:
        """Position of the opening of the `index`-th working day."""
        return self.ends[index] - (self.closes[index] - self.opens[index]) // 60

    def moment(self, position: int) -> int:
        """Epoch seconds of a position (a position at a window's end is that day's close)."""
        index = bisect_left(self.ends, position)
        if index >= len(self.ends):
            raise ValueError("Position beyond the working calendar.")
        return self.opens[index] + (position - self.window_start(index)) * 60

    def position(self, epoch: int) -> int:
        """Working minutes before `epoch` (time outside office hours counts nothing)."""
        index = bisect_right(self.closes, epoch)
        if index >= len(self.ends):
            return self.last_position
        start = self.window_start(index)
        return start + max(0, epoch - self.opens[index]) // 60
