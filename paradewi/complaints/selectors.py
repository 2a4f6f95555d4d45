"""Reads of complaints: the queue with its clock, the timeline, and the figures
(docs/complaints.md)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from django.db.models import Case, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.complaints.models import (
    Action,
    Category,
    Complaint,
    ComplaintEvent,
    LaporDirection,
    Status,
)
from paradewi.core.masking import mask_long_numbers
from paradewi.worktime.services import WorkingTimeIndex, minutes_per_day


class Clock:
    """Where an open complaint stands against its target."""

    ON_TIME = "on_time"
    APPROACHING = "approaching"
    OVERDUE = "overdue"
    STOPPED = "stopped"  # answered or closed: the clock waits for the complainant


def approaching_minutes() -> int:
    """An open complaint is "approaching" in the last working day before its target (the
    target is counted in days, so a request's two hours would warn too late)."""
    return max(minutes_per_day(), 1)


def clock_states(complaints: Sequence[Complaint], now: datetime | None = None) -> dict[int, str]:
    """The clock of each complaint, with one calendar read for the whole list."""
    now = now or timezone.now()
    open_ones = [c for c in complaints if c.status == Status.OPEN]
    states = {c.pk: Clock.STOPPED for c in complaints if c.status != Status.OPEN}
    if not open_ones:
        return states
    last = max(timezone.localtime(c.due_at).date() for c in open_ones)
    index = WorkingTimeIndex(timezone.localdate(now), max(last, timezone.localdate(now)))
    horizon = approaching_minutes()
    for complaint in open_ones:
        if complaint.due_at <= now:
            states[complaint.pk] = Clock.OVERDUE
        elif index.between(now, complaint.due_at) <= horizon:
            states[complaint.pk] = Clock.APPROACHING
        else:
            states[complaint.pk] = Clock.ON_TIME
    return states


# The queue's tabs: what the filter keeps.
TABS = ("open", "answered", "closed", "all")


def queue(complaints: QuerySet[Complaint], tab: str) -> QuerySet[Complaint]:
    """The queue: waiting ones first by due time (the most overdue on top), then the rest by
    their latest change."""
    if tab in (Status.OPEN, Status.ANSWERED, Status.CLOSED):
        complaints = complaints.filter(status=tab)
    waiting_first = Case(When(status=Status.OPEN, then=Value(0)), default=Value(1))
    return complaints.select_related("district", "village", "service", "assignee").order_by(
        waiting_first, "due_at", "-status_changed_at", "-pk"
    )


@dataclass(frozen=True)
class Step:
    when: datetime
    action: str
    label: str
    by_complainant: bool
    actor_name: str
    text: str
    note: str


def _note(event: ComplaintEvent, *, for_officer: bool) -> str:
    details = event.details
    if event.action == Action.RATE:
        return _("%(rating)s of 4") % {"rating": details.get("rating")}
    if event.action == Action.LAPOR:
        direction = LaporDirection(details.get("direction", LaporDirection.FORWARDED)).label
        return f"{direction} · {details.get('number', '')}"
    if event.action == Action.ASSIGN and for_officer:
        return str(details.get("to_name", ""))
    return ""


def timeline(complaint: Complaint, *, for_officer: bool) -> list[Step]:
    """The history as shown: long numbers in texts masked (a NIK, KK or phone typed into a
    complaint is not shown whole: core/masking.py); the complainant sees no officer's name."""
    steps = []
    for event in complaint.events.select_related("actor").order_by("created_at", "pk"):
        by_complainant = event.actor_id is None and event.action != Action.FILE
        actor_name = ""
        if for_officer and event.actor is not None:
            actor_name = event.actor.full_name
        steps.append(
            Step(
                when=event.created_at,
                action=event.action,
                label=str(Action(event.action).label),
                by_complainant=by_complainant or (event.action == Action.FILE),
                actor_name=actor_name,
                text=mask_long_numbers(event.text),
                note=_note(event, for_officer=for_officer),
            )
        )
    return steps


def answers(complaint: Complaint) -> list[ComplaintEvent]:
    return list(complaint.events.filter(action=Action.ANSWER).order_by("created_at", "pk"))


# --- figures ------------------------------------------------------------------------------------

# Groups smaller than this are not shown apart where figures are published (docs/complaints.md).
SMALL_GROUP = 5


def percentile(values: Sequence[int], share: float) -> int | None:
    """The nearest-rank percentile (the smallest value with at least `share` of the values at
    or below it); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(math.ceil(share * len(ordered)), 1)
    return ordered[rank - 1]


@dataclass(frozen=True)
class Durations:
    count: int
    median: int | None  # working minutes
    p90: int | None

    @classmethod
    def of(cls, minutes: Sequence[int]) -> Durations:
        return cls(len(minutes), percentile(minutes, 0.5), percentile(minutes, 0.9))


@dataclass(frozen=True)
class ComplaintFigures:
    """The complaint figures of an area and period."""

    total: int
    by_month: list[tuple[date, int]]
    by_category: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    by_service: list[tuple[str, int]]
    first_answer: Durations
    closure: Durations
    due: int  # answered, or waiting past their target: those the target can be judged on
    within_target: int
    reopened: int
    rated: int
    rating_mean: Fraction | None
    open_now: int
    overdue_now: int

    @property
    def within_target_share(self) -> Fraction | None:
        return Fraction(self.within_target, self.due) if self.due else None

    @property
    def reopened_share(self) -> Fraction | None:
        return Fraction(self.reopened, self.total) if self.total else None


def _count(values: Iterable[str]) -> list[tuple[str, int]]:
    return sorted(Counter(values).items(), key=lambda item: (-item[1], item[0]))


def complaint_figures(
    complaints: QuerySet[Complaint], first: date, last: date, now: datetime | None = None
) -> ComplaintFigures:
    """Figures of the complaints filed from `first` to `last` (local dates), in working time.

    Complaints are few (tens a month in a regency), so they are read once and counted here.
    """
    now = now or timezone.now()
    rows = list(
        complaints.filter(filed_at__date__gte=first, filed_at__date__lte=last)
        .select_related("district", "service")
        .only(
            "filed_at",
            "category",
            "status",
            "first_due_at",
            "due_at",
            "first_answered_at",
            "closed_at",
            "reopened_at",
            "rating",
            "district__name",
            "district__kind",
            "district__level",
            "service__name",
        )
    )
    index = WorkingTimeIndex(
        first - timedelta(days=1), max(last, timezone.localdate(now)) + timedelta(days=400)
    )
    months = Counter(timezone.localtime(row.filed_at).date().replace(day=1) for row in rows)
    categories = dict(Category.choices)
    to_answer = [
        index.between(row.filed_at, row.first_answered_at)
        for row in rows
        if row.first_answered_at is not None
    ]
    to_close = [
        index.between(row.filed_at, row.closed_at) for row in rows if row.closed_at is not None
    ]
    due = [row for row in rows if row.first_answered_at is not None or row.first_due_at <= now]
    within = [
        row
        for row in due
        if row.first_answered_at is not None and row.first_answered_at <= row.first_due_at
    ]
    ratings = [row.rating for row in rows if row.rating is not None]
    open_rows = [row for row in rows if row.status == Status.OPEN]
    return ComplaintFigures(
        total=len(rows),
        by_month=sorted(months.items()),
        by_category=[
            (str(categories.get(key, key)), n) for key, n in _count(r.category for r in rows)
        ],
        by_district=_count(
            row.district.display_name if row.district else _("The regency as a whole")
            for row in rows
        ),
        by_service=_count(row.service.name if row.service else _("General") for row in rows),
        first_answer=Durations.of(to_answer),
        closure=Durations.of(to_close),
        due=len(due),
        within_target=len(within),
        reopened=sum(1 for row in rows if row.reopened_at is not None),
        rated=len(ratings),
        rating_mean=Fraction(sum(ratings), len(ratings)) if ratings else None,
        open_now=len(open_rows),
        overdue_now=sum(1 for row in open_rows if row.due_at <= now),
    )
