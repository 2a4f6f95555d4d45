"""The home pages' reads: what waits for whom, in a few queries each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.requests.models import (
    OPEN_STATES,
    ServiceRequest,
    Status,
)
from paradewi.requests.selectors.access import visible_requests
from paradewi.requests.selectors.worklist import LIST_FIELDS, Row, order_worklist, rows

HOME_ITEMS = 5


def _first(requests: QuerySet[ServiceRequest], *, open_only: bool) -> list[Row]:
    chosen = requests.select_related("service", "village", "holder").only(*LIST_FIELDS)
    return rows(list(order_worklist(chosen, open_only=open_only)[:HOME_ITEMS]))


def _first_per_status(
    requests: QuerySet[ServiceRequest], states: Sequence[str]
) -> dict[str, list[Row]]:
    """The latest HOME_ITEMS requests of each state, in one query (a window per state)."""
    numbered = (
        requests.filter(status__in=states)
        .select_related("service", "village", "holder")
        .only(*LIST_FIELDS)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("status"),
                order_by=[F("status_changed_at").desc(), F("pk").desc()],
            )
        )
        .filter(place__lte=HOME_ITEMS)
        .order_by("status", "place")
    )
    found = rows(list(numbered))
    return {state: [row for row in found if row.request.status == state] for state in states}


def _status_counts(
    requests: QuerySet[ServiceRequest],
    states: Iterable[str],
    *,
    overdue_states: Iterable[str],
    now: datetime,
    **extra: Q,
) -> dict[str, int]:
    """Requests per state (only `states`, so the status index serves it), overdue ones, and
    one count per `extra` filter, in one query."""
    states = list(states)
    counts: dict[str, Any] = requests.filter(status__in=states).aggregate(
        **{state: Count("pk", filter=Q(status=state)) for state in states},
        overdue=Count("pk", filter=Q(status__in=list(overdue_states), due_at__lt=now)),
        **{name: Count("pk", filter=condition) for name, condition in extra.items()},
    )
    return {key: int(value or 0) for key, value in counts.items()}


def village_home(user: User) -> dict[str, Any]:
    """What waits for a village officer: fix returned ones, finish drafts, print and hand over."""
    requests = visible_requests(user)
    states = (Status.RETURNED, Status.DRAFT, Status.DONE, Status.READY_FOR_PICKUP, *OPEN_STATES)
    first = _first_per_status(
        requests, (Status.RETURNED, Status.DRAFT, Status.DONE, Status.READY_FOR_PICKUP)
    )
    return {
        "counts": _status_counts(requests, states, overdue_states=OPEN_STATES, now=timezone.now()),
        "returned": first[Status.RETURNED],
        "drafts": first[Status.DRAFT],
        "done": first[Status.DONE],
        "ready": first[Status.READY_FOR_PICKUP],
    }


def district_home(user: User) -> dict[str, Any]:
    """What waits for a kecamatan operator: requests to verify, the most overdue first."""
    requests = visible_requests(user)
    counts = _status_counts(
        requests,
        (Status.SUBMITTED, Status.RETURNED, Status.READY_FOR_PICKUP),
        overdue_states=(Status.SUBMITTED,),
        now=timezone.now(),
    )
    return {
        "counts": counts,
        "to_verify": _first(requests.filter(status=Status.SUBMITTED), open_only=True),
    }


DINAS_QUEUE = (Status.VERIFIED, Status.IN_PROCESS)


def clerk_home(user: User) -> dict[str, Any]:
    """What waits for a Dinas clerk: the unclaimed queue, the requests they hold, overdue."""
    requests = visible_requests(user)
    now = timezone.now()
    held = Q(status=Status.IN_PROCESS, holder=user)
    counts = _status_counts(
        requests,
        DINAS_QUEUE,
        overdue_states=DINAS_QUEUE,
        now=now,
        mine=held,
        mine_overdue=held & Q(due_at__lt=now),
    )
    mine = requests.filter(held)
    return {
        "counts": counts,
        "unclaimed": _first(requests.filter(status=Status.VERIFIED), open_only=True),
        "mine": _first(mine, open_only=True),
    }


def head_home(user: User) -> dict[str, Any]:
    """What the Dinas head oversees: queue sizes, overdue requests, what each clerk holds."""
    requests = visible_requests(user)
    now = timezone.now()
    holdings = list(
        requests.filter(status=Status.IN_PROCESS)
        .values("holder_id", "holder__full_name", "holder__username")
        .annotate(held=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by("-held", "holder__full_name")
    )
    counts = _status_counts(
        requests,
        (*OPEN_STATES, Status.READY_FOR_PICKUP),
        overdue_states=DINAS_QUEUE,
        now=now,
    )
    return {
        "counts": counts,
        "overdue": _first(requests.filter(status__in=DINAS_QUEUE, due_at__lt=now), open_only=True),
        "holdings": holdings,
    }
