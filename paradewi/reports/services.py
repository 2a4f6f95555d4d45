"""Keeping the monthly pre-aggregates up to date: MonthlyActivity from the request history,
MonthlySatisfaction from the survey responses.

Why a pre-aggregate: stage durations are counted in working time (office hours, without
weekends, holidays and closures), which the database cannot compute, and a dashboard over a
year of a regency would otherwise walk millions of Transition rows. So the history is walked
once, in the background, into one row per month, village and service; dashboards add rows up
with GROUP BY. Survey responses are summed the same way, so a dashboard's cost depends on
villages x services x months, not on how many requests or answers there are. Months are
recomputed whole from the source rows, never patched, so a refresh can run any number of
times with the same result.

Freshness: a dashboard that finds the figures older than REFRESH_AFTER asks the worker for a
refresh (`request_refresh`), which recomputes the months since the previous refresh. After a
change that alters past working time (a closure entered late, new office hours), run
`manage.py refresh_reports --rebuild`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from paradewi.reports.models import MonthlyActivity, MonthlySatisfaction, ReportState
from paradewi.reports.periods import month_of, month_start
from paradewi.requests.models import OPEN_STATES, Status, Transition
from paradewi.requests.worklists import Clock
from paradewi.surveys.models import SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, PROFILE, profile_column

# The stage a request is in while it has a status, named by who it waits for.
STATUS_STAGE: dict[str, str] = {
    Status.SUBMITTED: "district",
    Status.VERIFIED: "queue",
    Status.IN_PROCESS: "process",
    Status.RETURNED: "fix",
    Status.DONE: "pickup",
    Status.READY_FOR_PICKUP: "pickup",
}
# Stages in which the service-level clock runs (the lead time counts only these).
CLOCK_STAGES = frozenset(STATUS_STAGE[status] for status in OPEN_STATES)

REFRESH_AFTER = timedelta(minutes=5)
# A refresh recomputes from the month of the previous one, less this margin: a transition
# written just before that refresh may have been committed just after it.
OVERLAP = timedelta(hours=1)
_REQUESTED_KEY = "reports:refresh-requested"

# One row of the history as the walk reads it.
_ROW_FIELDS = (
    "request_id",
    "action",
    "from_status",
    "to_status",
    "created_at",
    "request__village_id",
    "request__district_id",
    "request__service_id",
    "request__due_at",
)
Key = tuple[date, int, int, int]  # month, village, district, service


def _walk(
    rows: Iterable[tuple[Any, ...]],
    clock: Clock,
    since: date | None,
    totals: defaultdict[Key, defaultdict[str, int]],
) -> None:
    """Add one request's history (its rows in order) to `totals`, for months from `since`.

    A stay in a status lasts from the transition into it to the next transition that changes
    the status (a reassignment does not end a stay in process); it is counted, with its working
    minutes, in the month it ended.
    """
    status, last_at = "", None
    stay_minutes = lead = 0
    for _id, action, from_status, to_status, at, village, district, service, due_at in rows:
        month = month_of(at)
        counts = (
            totals[(month, village, district, service)] if not since or month >= since else None
        )
        stage = STATUS_STAGE.get(status)
        if stage is not None and last_at is not None:
            minutes = clock.between(last_at, at)
            stay_minutes += minutes
            if stage in CLOCK_STAGES:
                lead += minutes
        if to_status != status:
            if stage is not None and counts is not None:
                counts[f"{stage}_stays"] += 1
                counts[f"{stage}_minutes"] += stay_minutes
            status, stay_minutes = to_status, 0
        last_at = at
        if counts is None:
            continue
        if action == "submit" and from_status == Status.DRAFT:
            counts["submitted"] += 1
        elif action == "complete":
            counts["completed"] += 1
            counts["lead_minutes"] += lead
            if due_at is not None and at <= due_at:
                counts["completed_on_time"] += 1
        elif action == "hand_over":
            counts["handed_over"] += 1
        elif action == "reject":
            counts["rejected"] += 1
        elif action == "cancel" and from_status != Status.DRAFT:
            counts["cancelled"] += 1
        elif action == "return":
            field = (
                "returned_by_district" if from_status == Status.SUBMITTED else "returned_by_dinas"
            )
            counts[field] += 1


def _activity(since: date | None) -> list[MonthlyActivity]:
    """MonthlyActivity rows for the months from `since` (all months when None), added up
    from the history (read as one ordered stream, request by request)."""
    history = Transition.objects.filter(request__submitted_at__isnull=False)
    if since is not None:
        # A request's last status change is its latest transition, so this finds every
        # request with history in those months (and their earlier rows, where stays begin).
        history = history.filter(request__status_changed_at__gte=month_start(since))
    rows = (
        history.order_by("request_id", "created_at", "pk")
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=5000)
    )
    # One calendar (closures read once) for every stay; windows start at each stay.
    clock = Clock([datetime(2000, 1, 1, tzinfo=UTC)])
    totals: defaultdict[Key, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _request, request_rows in groupby(rows, key=itemgetter(0)):
        _walk(request_rows, clock, since, totals)
    return [
        MonthlyActivity(
            month=month, village_id=village, district_id=district, service_id=service, **counts
        )
        for (month, village, district, service), counts in totals.items()
    ]


SATISFACTION_KEYS = ("month", "village_id", "district_id", "service_id", "channel")


def _satisfaction(since: date | None) -> list[MonthlySatisfaction]:
    """MonthlySatisfaction rows for the months from `since` (all when None): the survey
    responses summed in the database (one GROUP BY)."""
    responses = SurveyResponse.objects.all()
    if since is not None:
        responses = responses.filter(month__gte=since)
    sums: dict[str, Any] = {
        "responses": Count("pk"),
        **{field: Sum(field) for field in ELEMENT_FIELDS},
        **{
            profile_column(field, value): Count("pk", filter=Q(**{field: value}))
            for field, _label, choices in PROFILE
            for value in choices.values
        },
    }
    rows = responses.values(*SATISFACTION_KEYS).annotate(**sums).order_by()
    return [MonthlySatisfaction(**row) for row in rows]


def refresh_activity(*, rebuild: bool = False) -> int:
    """Bring MonthlyActivity and MonthlySatisfaction up to date; returns the rows written.

    Recomputes the months since the previous refresh (from the month it ran in, an hour
    earlier), or every month with `rebuild` or when there was no refresh yet. The sources
    are read and added up first, outside any transaction (on SQLite a writing transaction
    holds the write lock of the whole database); then the months are replaced in one short
    transaction that locks the ReportState row, so writers take turns. Should an older
    refresh write after a newer one, its time goes in too, and the next dashboard asks for
    another refresh: the figures never claim to be fresher than they are.
    """
    started = timezone.now()
    last = refreshed_at()
    since = None if rebuild or last is None else month_of(last - OVERLAP)
    activity, satisfaction = _activity(since), _satisfaction(since)
    with transaction.atomic():
        ReportState.objects.get_or_create(pk=1)
        state = ReportState.objects.select_for_update().get(pk=1)
        old_activity = MonthlyActivity.objects.all()
        old_satisfaction = MonthlySatisfaction.objects.all()
        if since is not None:
            old_activity = old_activity.filter(month__gte=since)
            old_satisfaction = old_satisfaction.filter(month__gte=since)
        old_activity.delete()
        old_satisfaction.delete()
        MonthlyActivity.objects.bulk_create(activity, batch_size=1000)
        MonthlySatisfaction.objects.bulk_create(satisfaction, batch_size=1000)
        state.refreshed_at = started
        state.save(update_fields=["refreshed_at"])
    return len(activity) + len(satisfaction)


def refreshed_at() -> datetime | None:
    return ReportState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


def request_refresh() -> datetime | None:
    """The time the figures were last refreshed; when that is older than REFRESH_AFTER (or
    never), a refresh is enqueued for the worker first, at most once per REFRESH_AFTER across
    all app servers (a key in the shared cache)."""
    from paradewi.reports.tasks import refresh_activity_task

    last = refreshed_at()
    if last is not None and timezone.now() - last < REFRESH_AFTER:
        return last
    if cache.add(_REQUESTED_KEY, True, int(REFRESH_AFTER.total_seconds())):
        refresh_activity_task.enqueue()
        # With an immediate task backend (tests, small set-ups) it has already run.
        return refreshed_at()
    return last
