"""Keeping the pre-aggregates up to date: MonthlyActivity (and DailyActivity, with the
durations and returns of each) from the request history, MonthlySatisfaction from the survey
responses.

Why a pre-aggregate: stage durations are counted in working time (office hours, without
weekends, holidays and closures), which the database cannot compute, and a dashboard over a
year of a regency would otherwise walk millions of Transition rows. So the history is walked
once, in the background, into one row per day, village and service, and the days' rows
added up into one per month; dashboards add rows up with GROUP BY (the months a period holds
whole, the days at its edges: `reports.periods.Period.edge_days`). Survey responses are
summed the same way (per month only), so a dashboard's cost depends on villages x services x
months, not on how many requests or answers there are. Months (and their days) are
recomputed whole from the source rows, never patched, so a refresh can run any number of
times with the same result.

Freshness: a dashboard that finds the figures older than REFRESH_AFTER asks the worker for a
refresh (`request_refresh`), which recomputes the months since the previous refresh. After a
change that alters past working time (a closure or a re-opened day entered late, new office
hours), the months from the first changed day are recomputed (`calendar_refresh`); `manage.py
refresh_reports --rebuild` recomputes every month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    ForeignKey,
    IntegerField,
    JSONField,
    Q,
    Sum,
    When,
)
from django.utils import timezone

from paradewi.catalogue.models import ServiceVersion
from paradewi.reports import durations
from paradewi.reports.models import (
    DailyActivity,
    DailyDuration,
    DailyReturn,
    Measure,
    MonthlyActivity,
    MonthlyDuration,
    MonthlyReturn,
    MonthlySatisfaction,
    MonthlyServiceDuration,
    ReportState,
)
from paradewi.reports.periods import month_of, month_start
from paradewi.requests.models import OPEN_STATES, CorrectionCause, Status, Transition
from paradewi.requests.workflow import Action
from paradewi.surveys.models import SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, PROFILE, profile_column
from paradewi.surveys.services import SURVEY_OPEN_DAYS
from paradewi.worktime.services import CalendarChange, WorkingTimeIndex, target_minutes

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
# No request history is older than this (the working-time calendar starts here).
HISTORY_STARTS = date(2000, 1, 1)
# A refresh recomputes from the month of the previous one, less this margin: a transition
# written just before that refresh may have been committed just after it.
OVERLAP = timedelta(hours=1)
_REQUESTED_KEY = "reports:refresh-requested"
# Set when a survey response arrives: the next dashboard asks for a refresh even if the last
# one is recent (still at most one per REFRESH_AFTER), so an answer shows within minutes.
_STALE_KEY = "reports:stale"

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
    "request__service_version_id",
    "return_details",
)
Key = tuple[date, int, int, int]  # day, village, district, service
DurationKey = tuple[date, int, int, str]  # day, village, district, measure
ServiceDurationKey = tuple[date, int, int]  # month, district, service
ReturnKey = tuple[date, int, int, int, str]  # day, village, district, service, requirement


class Totals:
    """What the walk through the history adds up per day (local time), for the days from
    `since` (the first day of a month); the months are the sums of their days (`_monthly`).
    Times to completion per kecamatan and service are kept per month only (the published
    figures read whole quarters)."""

    def __init__(self, since: date | None) -> None:
        self.since = since
        self.activity: defaultdict[Key, defaultdict[str, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        self.durations: defaultdict[DurationKey, list[int]] = defaultdict(
            lambda: [0] * len(durations.COLUMNS)
        )
        self.returns: defaultdict[ReturnKey, int] = defaultdict(int)
        # Times to completion per kecamatan and service (MonthlyServiceDuration).
        self.service_durations: defaultdict[ServiceDurationKey, list[int]] = defaultdict(
            lambda: [0] * len(durations.COLUMNS)
        )

    def counts(self, key: Key) -> defaultdict[str, int] | None:
        """The activity sums of a day, village and service; None before `since`."""
        if self.since and key[0] < self.since:
            return None
        return self.activity[key]

    def duration(self, key: Key, measure: str, minutes: int) -> None:
        day, village, district, service = key
        index = durations.bucket(minutes)
        self.durations[(day, village, district, measure)][index] += 1
        if measure == Measure.LEAD:
            self.service_durations[(day.replace(day=1), district, service)][index] += 1

    def returned(self, key: Key, details: Any) -> None:
        """Count a return under each requirement it names, or under the general reason."""
        items = details.get("items") if isinstance(details, dict) else None
        codes = [str(code) for code in items] if isinstance(items, dict) and items else []
        for code in codes or [MonthlyReturn.GENERAL]:
            self.returns[(*key, code[:40])] += 1


def _targets(per_day: int) -> dict[int, int]:
    """The service-level target of every service version, in working minutes (one query
    of a few hundred rows: versions change only when the catalogue does)."""
    return {
        pk: target_minutes(definition["target"]["amount"], definition["target"]["unit"], per_day)
        for pk, definition in ServiceVersion.objects.values_list("pk", "definition")
    }


def _walk(
    rows: Iterable[tuple[Any, ...]],
    clock: WorkingTimeIndex,
    totals: Totals,
    targets: dict[int, int],
) -> None:
    """Add one request's history (its rows in order) to `totals`.

    A stay in a status lasts from the transition into it to the next transition that changes
    the status (a reassignment does not end a stay in process); it is counted, with its working
    minutes, on the day it ended (local time). Every stay, every time to completion (the
    service-level clock: stopped while the request is back at the village) and every time to
    hand-over (all working time since the first submission) also goes into the duration
    histograms. A
    duration is counted whole on the day it ended, however long before it began: a request
    submitted before a report's first day and completed inside it counts as completed there
    with all its working time, and not as submitted.
    """
    status, last_at = "", None
    stay_minutes = lead = elapsed = 0
    returned_before = False
    for row in rows:
        _id, action, from_status, to_status, at, village, district, service, version, details = row
        local = at.astimezone(clock.tz)
        key = (local.date(), village, district, service)
        counts = totals.counts(key)
        stage = STATUS_STAGE.get(status)
        if stage is not None and last_at is not None:
            minutes = clock.between(last_at, at)
            stay_minutes += minutes
            elapsed += minutes
            if stage in CLOCK_STAGES:
                lead += minutes
        if to_status != status:
            if stage is not None and counts is not None:
                counts[f"{stage}_stays"] += 1
                counts[f"{stage}_minutes"] += stay_minutes
                totals.duration(key, stage, stay_minutes)
            status, stay_minutes = to_status, 0
        last_at = at
        first_return = action == Action.RETURN and not returned_before
        returned_before = returned_before or action == Action.RETURN
        if counts is None:
            continue
        if action == Action.SUBMIT and from_status == Status.DRAFT:
            counts["submitted"] += 1
        elif action == Action.COMPLETE:
            counts["completed"] += 1
            counts["lead_minutes"] += lead
            totals.duration(key, Measure.LEAD, lead)
            if lead <= targets.get(version, lead):
                counts["completed_on_time"] += 1
        elif action == Action.HAND_OVER and to_status == Status.HANDED_OVER:
            # A request is served once, when its last part is received.
            counts["handed_over"] += 1
            counts["total_minutes"] += elapsed
            totals.duration(key, Measure.TOTAL, elapsed)
        elif action == Action.REJECT:
            counts["rejected"] += 1
        elif action == Action.CANCEL and from_status != Status.DRAFT:
            counts["cancelled"] += 1
        elif action == Action.RETURN:
            field = (
                "returned_by_district" if from_status == Status.SUBMITTED else "returned_by_dinas"
            )
            counts[field] += 1
            counts["returned_requests"] += first_return
            totals.returned(key, details)


def _history(since: date | None) -> Totals:
    """The sums of the history for the months from `since` (all months when None), read
    as one ordered stream, request by request."""
    # A correction of the Dinas's own clerical error is no new request and no village's doing:
    # it stays out of every village, kecamatan and service figure (reports.selectors.
    # corrections_report counts it against the Dinas).
    history = Transition.objects.filter(request__submitted_at__isnull=False).exclude(
        request__correction_cause=CorrectionCause.CLERICAL
    )
    if since is not None:
        # A request's last status change is its latest transition, so this finds every
        # request with history in those months (and their earlier rows, where stays begin).
        history = history.filter(request__status_changed_at__gte=month_start(since))
    rows = (
        # The details (per-requirement reasons) of returns only: other rows need none.
        history.annotate(
            return_details=Case(
                When(action=Action.RETURN, then=F("details")),
                default=None,
                output_field=JSONField(),
            )
        )
        .order_by("request_id", "created_at", "pk")
        .values_list(*_ROW_FIELDS)
        .iterator(chunk_size=5000)
    )
    # One calendar (closures read once) for every stay, from the first possible history to
    # a year ahead (transitions are never in the future, but the clock must not run short).
    clock = WorkingTimeIndex(HISTORY_STARTS, timezone.localdate() + timedelta(days=366))
    totals = Totals(since)
    targets = _targets(clock.day_minutes)
    for _request, request_rows in groupby(rows, key=itemgetter(0)):
        _walk(request_rows, clock, totals, targets)
    return totals


Row = dict[str, Any]


def _monthly(totals: Totals) -> Totals:
    """The days' sums added up per month (times to completion per service already are)."""
    months = Totals(totals.since)
    for (day, village, district, service), counts in totals.activity.items():
        target = months.activity[(day.replace(day=1), village, district, service)]
        for name, value in counts.items():
            target[name] += value
    for (day, village, district, measure), histogram in totals.durations.items():
        summed = months.durations[(day.replace(day=1), village, district, measure)]
        for index, count in enumerate(histogram):
            summed[index] += count
    for (day, village, district, service, requirement), count in totals.returns.items():
        months.returns[(day.replace(day=1), village, district, service, requirement)] += count
    months.service_durations = totals.service_durations
    return months


def _rows(
    totals: Totals, field: str = "month"
) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
    """The activity, duration, return and service duration rows of the sums (column values),
    their date in `field` ("month" for the monthly tables, "day" for the daily ones)."""
    activity = [
        {
            field: when,
            "village_id": village,
            "district_id": district,
            "service_id": service,
            **counts,
        }
        for (when, village, district, service), counts in totals.activity.items()
    ]
    duration_rows = [
        {
            field: when,
            "village_id": village,
            "district_id": district,
            "measure": measure,
            **dict(zip(durations.COLUMNS, counts, strict=True)),
        }
        for (when, village, district, measure), counts in totals.durations.items()
    ]
    returns = [
        {
            field: when,
            "village_id": village,
            "district_id": district,
            "service_id": service,
            "requirement": requirement,
            "returns": count,
        }
        for (when, village, district, service, requirement), count in totals.returns.items()
    ]
    service_rows = [
        {
            "month": when,
            "district_id": district,
            "service_id": service,
            **dict(zip(durations.COLUMNS, counts, strict=True)),
        }
        for (when, district, service), counts in totals.service_durations.items()
    ]
    return activity, duration_rows, returns, service_rows


SATISFACTION_KEYS = ("month", "village_id", "district_id", "service_id", "channel")


def _satisfaction(since: date | None) -> list[Row]:
    """MonthlySatisfaction rows (column values) for the months from `since` (all when
    None): the survey responses summed in the database (one GROUP BY)."""
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
    return list(responses.values(*SATISFACTION_KEYS).annotate(**sums).order_by())


Aggregate = type[
    MonthlyActivity
    | MonthlyDuration
    | MonthlyReturn
    | MonthlySatisfaction
    | MonthlyServiceDuration
    | DailyActivity
    | DailyDuration
    | DailyReturn
]
INSERT_BATCH = 2000


def _replace(model: Aggregate, rows: list[Row], since: date | None, field: str = "month") -> int:
    """Replace the rows of the months (days) from `since` (all when None) with `rows`; the
    date is in the column `field`. Call inside the refresh's transaction.

    The rows are written with one prepared INSERT run over batches (`executemany`) instead
    of `bulk_create`: a rebuild writes a few hundred thousand rows of some thirty columns, and
    building a model instance and compiling every value through the ORM cost more than the
    database's own work. Columns a row does not name get the field's default (zero counts).
    """
    old = model.objects.all()
    if since is not None:
        old = old.filter(**{f"{field}__gte": since})
    old.delete()
    if not rows:
        return 0
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepare = [_preparer(field) for field in fields]
    if connection.vendor == "postgresql":
        _copy(model, fields, prepare, rows)
        return len(rows)
    with connection.cursor() as cursor:
        for first in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(
                statement,
                [
                    tuple(prep(row.get(field.attname, default)) for field, prep, default in prepare)
                    for row in rows[first : first + INSERT_BATCH]
                ],
            )
    return len(rows)


def _copy(model: Aggregate, fields: list[Any], prepare: list[Any], rows: list[Row]) -> None:
    """`_replace`'s rows written with PostgreSQL's COPY: with the daily rows a rebuild writes
    several hundred thousand rows, which COPY takes several times faster than batched
    INSERTs."""
    quote = connection.ops.quote_name
    statement = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [prep(row.get(field.attname, default)) for field, prep, default in prepare]
            )


def _preparer(field: Any) -> tuple[Any, Any, Any]:
    """(field, value -> database value, default) for one column of `_replace`."""
    if isinstance(field, DateField):
        return field, connection.ops.adapt_datefield_value, field.get_default()
    if isinstance(field, IntegerField | CharField | ForeignKey):
        return field, _same, field.get_default()
    return field, lambda value: field.get_db_prep_save(value, connection), field.get_default()


def _same(value: Any) -> Any:
    return value


def refresh_activity(*, rebuild: bool = False, from_month: date | None = None) -> int:
    """Bring the pre-aggregates up to date (MonthlyActivity, MonthlyDuration, MonthlyReturn
    and their daily rows from the history, MonthlySatisfaction from the survey); returns the
    rows written.

    Recomputes the months since the previous refresh (from the month it ran in, an hour
    earlier), or every month with `rebuild` or when there was no refresh yet. The sources
    are read and added up first, outside any transaction (on SQLite a writing transaction
    holds the write lock of the whole database); then the months are replaced in one short
    transaction that locks the ReportState row, so writers take turns. Should an older
    refresh write after a newer one, its time goes in too, and the next dashboard asks for
    another refresh: the figures never claim to be fresher than they are.
    """
    started = timezone.now()
    # Responses that arrive from now on are not in this refresh: they mark it stale again.
    cache.delete(_STALE_KEY)
    last = refreshed_at()
    since = None if rebuild or last is None else month_of(last - OVERLAP)
    if since is not None and from_month is not None:
        since = min(since, from_month.replace(day=1))
    days = _history(since)
    activity, duration_rows, returns, service_rows = _rows(_monthly(days))
    day_activity, day_durations, day_returns, _service_rows = _rows(days, "day")
    # A response counts in its hand-over month and may come up to SURVEY_OPEN_DAYS later:
    # the months it can still land in are recomputed too.
    answered_since = (
        None
        if since is None or last is None
        else min(since, month_of(last - OVERLAP - timedelta(days=SURVEY_OPEN_DAYS)))
    )
    satisfaction = _satisfaction(answered_since)
    with transaction.atomic():
        ReportState.objects.get_or_create(pk=1)
        state = ReportState.objects.select_for_update().get(pk=1)
        written = _replace(MonthlyActivity, activity, since)
        written += _replace(MonthlyDuration, duration_rows, since)
        written += _replace(MonthlyReturn, returns, since)
        written += _replace(MonthlyServiceDuration, service_rows, since)
        written += _replace(DailyActivity, day_activity, since, "day")
        written += _replace(DailyDuration, day_durations, since, "day")
        written += _replace(DailyReturn, day_returns, since, "day")
        written += _replace(MonthlySatisfaction, satisfaction, answered_since)
        state.refreshed_at = started
        state.save(update_fields=["refreshed_at"])
    return written


def calendar_refresh(change: CalendarChange) -> None:
    """The calendar changed (a closure, a re-opened day, office hours): the months from the
    first changed day are recomputed by the worker (working time and "on time" follow)."""
    from paradewi.reports.tasks import refresh_activity_task

    first = change.first
    refresh_activity_task.enqueue(
        rebuild=first is None, from_month=None if first is None else first.isoformat()
    )


def refreshed_at() -> datetime | None:
    return ReportState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


def mark_stale() -> None:
    """New data the figures do not hold yet (a survey response): the next dashboard asks
    for a refresh, within the limit of one per REFRESH_AFTER. Call after commit."""
    cache.set(_STALE_KEY, True, None)


def request_refresh() -> datetime | None:
    """The time the figures were last refreshed; when that is older than REFRESH_AFTER (or
    never), or a survey response arrived since, a refresh is enqueued for the worker first,
    at most once per REFRESH_AFTER across all app servers (a key in the shared cache)."""
    from paradewi.reports.tasks import refresh_activity_task

    last = refreshed_at()
    if last is not None and timezone.now() - last < REFRESH_AFTER and not cache.get(_STALE_KEY):
        return last
    if cache.add(_REQUESTED_KEY, True, int(REFRESH_AFTER.total_seconds())):
        refresh_activity_task.enqueue()
        # With an immediate task backend (tests, small set-ups) it has already run.
        return refreshed_at()
    return last
