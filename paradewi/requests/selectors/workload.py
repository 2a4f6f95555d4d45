"""The Dinas clerks' workload: what each holds now and what each did in a period.

Per clerk (and the Dinas head, who may take requests too): requests held now and how many of
them are overdue; in the period, requests taken (claimed, or reassigned to them), completed,
returned and rejected; and the median and 90th percentile of the working time from taking a
request to completing it, exact (nearest rank over each completion's own duration, not a
histogram). A completion's start is the last time that clerk took the request before it.
The times count office hours only (`worktime`), so a request taken on Friday afternoon and
completed on Monday morning counts the hours the office was open.

A correction of the Dinas's own clerical error (pembetulan) is no new work taken or completed:
it is counted against the clerk who completed the request whose document was wrong
(`corrections`, opened in the period), and held now like any request on the clerk's desk.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.accounts.policy import DINAS_ROLES, WORKLOAD_OF_EVERY_CLERK, WORKLOAD_READERS
from paradewi.requests.models import CorrectionCause, ServiceRequest, Status, Transition
from paradewi.requests.workflow import Action
from paradewi.worktime.services import WorkingTimeIndex

_TAKING = (Action.CLAIM, Action.REASSIGN)


def nearest_rank(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile (the ceil(share * n)-th smallest); None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass
class ClerkLoad:
    clerk: User
    held: int = 0
    overdue: int = 0
    taken: int = 0
    completed: int = 0
    returned: int = 0
    rejected: int = 0
    # Corrections of this clerk's own clerical errors opened in the period.
    corrections: int = 0
    durations: list[int] = field(default_factory=list)  # working minutes, taking to completion

    @property
    def median(self) -> int | None:
        return nearest_rank(self.durations, 0.5)

    @property
    def p90(self) -> int | None:
        return nearest_rank(self.durations, 0.9)


def _holder_of(transition: Transition) -> int | None:
    if transition.action == Action.REASSIGN:
        holder = transition.details.get("to_holder")
        return int(holder) if holder is not None else None
    return transition.actor_id


def workload(clerks: list[User], start: datetime, end: datetime) -> list[ClerkLoad]:
    """The figures of `clerks` for the period [start, end), in the order given.

    Three queries: the requests held now, the period's transitions of these clerks, and the
    takings before the period's completions (a request taken before the period and completed
    in it counts its whole time).
    """
    loads = {clerk.pk: ClerkLoad(clerk) for clerk in clerks}
    if not loads:
        return []
    now = timezone.now()
    for row in (
        ServiceRequest.objects.filter(status=Status.IN_PROCESS, holder_id__in=loads)
        .values("holder_id")
        .annotate(held=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
    ):
        loads[row["holder_id"]].held = row["held"]
        loads[row["holder_id"]].overdue = row["overdue"]

    in_period = Transition.objects.filter(created_at__gte=start, created_at__lt=end).exclude(
        request__correction_cause=CorrectionCause.CLERICAL
    )
    completions: list[Transition] = []
    for transition in in_period.filter(
        Q(action__in=[Action.CLAIM, Action.COMPLETE, Action.RETURN, Action.REJECT])
        & Q(actor_id__in=loads)
        | Q(action=Action.REASSIGN)
    ).only("request_id", "action", "actor_id", "details", "created_at"):
        holder = _holder_of(transition)
        load = loads.get(holder) if holder is not None else None
        if load is None:
            continue
        if transition.action in _TAKING:
            load.taken += 1
        elif transition.action == Action.COMPLETE:
            load.completed += 1
            completions.append(transition)
        elif transition.action == Action.RETURN:
            load.returned += 1
        elif transition.action == Action.REJECT:
            load.rejected += 1

    _count_corrections(loads, start, end)
    if completions:
        takings: dict[int, list[Transition]] = defaultdict(list)
        for transition in (
            Transition.objects.filter(
                request_id__in={c.request_id for c in completions}, action__in=_TAKING
            )
            .only("request_id", "action", "actor_id", "details", "created_at")
            .order_by("created_at", "pk")
        ):
            takings[transition.request_id].append(transition)
        first_taken = min((t.created_at for rows in takings.values() for t in rows), default=start)
        index = WorkingTimeIndex(
            timezone.localdate(first_taken), timezone.localdate(end) + timedelta(days=1)
        )
        for completion in completions:
            taken_at = None
            for taking in takings.get(completion.request_id, []):
                if taking.created_at > completion.created_at:
                    break
                if _holder_of(taking) == completion.actor_id:
                    taken_at = taking.created_at
            if taken_at is not None and completion.actor_id is not None:
                loads[completion.actor_id].durations.append(
                    index.between(taken_at, completion.created_at)
                )
    return list(loads.values())


def _count_corrections(loads: dict[int, ClerkLoad], start: datetime, end: datetime) -> None:
    """Add to each clerk the clerical corrections opened in [start, end) of the requests they
    completed (the last completion before the correction; two queries)."""
    corrected = list(
        ServiceRequest.objects.filter(
            correction_cause=CorrectionCause.CLERICAL, created_at__gte=start, created_at__lt=end
        ).values_list("corrects_id", "created_at")
    )
    if not corrected:
        return
    completions: dict[int, list[tuple[datetime, int | None]]] = defaultdict(list)
    for request_id, created_at, actor_id in (
        Transition.objects.filter(
            request_id__in={pk for pk, _at in corrected}, action=Action.COMPLETE
        )
        .order_by("created_at", "pk")
        .values_list("request_id", "created_at", "actor_id")
    ):
        completions[request_id].append((created_at, actor_id))
    for corrected_id, opened_at in corrected:
        issuer: int | None = None
        for completed_at, completer in completions.get(corrected_id or 0, []):
            if completed_at <= opened_at:
                issuer = completer
        if issuer is not None and issuer in loads:
            loads[issuer].corrections += 1


def workload_clerks(viewer: User) -> list[User]:
    """Whose figures `viewer` may see: the Dinas head every active clerk and head; a clerk
    only themself; anyone else nobody."""
    if viewer.role in WORKLOAD_OF_EVERY_CLERK:
        return list(
            User.objects.filter(role__in=DINAS_ROLES, is_active=True).order_by(
                "full_name", "username"
            )
        )
    if viewer.role in WORKLOAD_READERS:
        return [viewer]
    return []


def held_requests(clerks: list[User]) -> dict[int, list[ServiceRequest]]:
    """The requests each clerk holds now, most overdue first (one query), for reassigning."""
    held: dict[int, list[ServiceRequest]] = defaultdict(list)
    for request in (
        ServiceRequest.objects.filter(
            status=Status.IN_PROCESS, holder_id__in=[clerk.pk for clerk in clerks]
        )
        .select_related("service")
        .only("pk", "number", "due_at", "holder_id", "service__name")
        .order_by("due_at", "pk")
    ):
        assert request.holder_id is not None  # noqa: S101 - in process means held
        held[request.holder_id].append(request)
    return held
