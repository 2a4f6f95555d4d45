"""Where requests stand against their service-level target, in working time.

Local closures are read once for many requests, and only when a request's clock runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paradewi.requests.models import (
    OPEN_STATES,
    ServiceRequest,
    Status,
)
from paradewi.worktime.services import STANDARD_DAY_MINUTES, WorkingTimeIndex


def working_time_display(minutes: int, per_day: int = STANDARD_DAY_MINUTES) -> str:
    """Working minutes as people say them: "1 working day 2 h", "3 h 20 min", "45 min";
    a working day is `per_day` minutes (the calendar's, see worktime.target_minutes)."""
    per_day = max(per_day, 1)
    days, rest = divmod(max(minutes, 0), per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if mins and not days:
        parts.append(_("%(n)d min") % {"n": mins})
    return " ".join(parts) or _("%(n)d min") % {"n": 0}


@dataclass(frozen=True)
class Due:
    """Where a request stands against its service-level target."""

    at: datetime | None
    running: bool  # the clock runs (kecamatan or Dinas holds the request)
    paused: bool = False  # returned: the clock waits for the village
    overdue: bool = False
    minutes: int = 0  # working minutes left, or past the due time when overdue
    per_day: int = STANDARD_DAY_MINUTES  # a working day of the calendar, in minutes

    @property
    def display(self) -> str:
        return working_time_display(self.minutes, self.per_day)

    @property
    def in_office_hours(self) -> bool:
        """Under a working day: the display counts hours and minutes of office hours, which
        must say so beside the due time, a calendar time ("8 Dec 08:41, 7 h 59 min of office
        hours left"). From a day on it says "working day" itself."""
        return self.minutes < max(self.per_day, 1)


class Clock:
    """The working-time clock for many requests at once: local closures are read once, and
    only when a request's clock runs."""

    def __init__(self, due_times: Iterable[datetime | None], now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.moments = [self.now, *(due for due in due_times if due is not None)]
        self._index: WorkingTimeIndex | None = None

    @property
    def index(self) -> WorkingTimeIndex:
        if self._index is None:
            first, last = min(self.moments), max(self.moments)
            self._index = WorkingTimeIndex(
                timezone.localtime(first).date(),
                timezone.localtime(last).date() + timedelta(days=1),
            )
        return self._index

    def between(self, start: datetime, end: datetime) -> int:
        """Working minutes from start to end (the same count as worktime's, one calendar)."""
        return self.index.between(start, end)

    def due(self, request: ServiceRequest) -> Due:
        if request.status not in OPEN_STATES or request.due_at is None:
            paused = request.status == Status.RETURNED and request.due_at is not None
            return Due(at=request.due_at, running=False, paused=paused)
        if request.due_at <= self.now:
            return Due(
                at=request.due_at,
                running=True,
                overdue=True,
                minutes=self.between(request.due_at, self.now),
                per_day=self.index.day_minutes,
            )
        return Due(
            at=request.due_at,
            running=True,
            minutes=self.between(self.now, request.due_at),
            per_day=self.index.day_minutes,
        )
