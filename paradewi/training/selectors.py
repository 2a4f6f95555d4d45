"""Reads of training mode: the scenarios, an officer's own runs, the progress page of the
Dinas head, and the most frequent return reasons per service (help pages)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from paradewi.accounts.models import Role, User
from paradewi.regions.models import Region
from paradewi.requests.models import Transition
from paradewi.requests.workflow import Action
from paradewi.training.models import PracticeRun, Scenario


def scenarios() -> list[Scenario]:
    return list(Scenario.objects.filter(is_active=True).select_related("service"))


def runs_of(officer: User) -> list[PracticeRun]:
    return list(
        PracticeRun.objects.filter(officer=officer).select_related("scenario", "request")[:50]
    )


@dataclass
class OfficerProgress:
    officer: User
    completed: set[int] = field(default_factory=set)  # scenario ids
    started: set[int] = field(default_factory=set)


@dataclass
class VillageProgress:
    village: Region
    officers: list[OfficerProgress]


@dataclass
class DistrictProgress:
    district: Region
    villages: list[VillageProgress]
    # Officers who completed every scenario offered.
    finished: int = 0

    @property
    def officers(self) -> int:
        return sum(len(village.officers) for village in self.villages)


def progress(district: Region | None = None, *, offered: int = 0) -> list[DistrictProgress]:
    """Every village officer (per kecamatan, per village) with the scenarios they completed
    and started; `district` limits it to one kecamatan. Three queries, whatever the size."""
    officers = User.objects.filter(role=Role.VILLAGE_OFFICER, is_active=True).select_related(
        "area", "area__parent"
    )
    if district is not None:
        officers = officers.filter(area__parent=district)
    runs = PracticeRun.objects.values_list("officer_id", "scenario_id", "completed_at")
    if district is not None:
        runs = runs.filter(village__parent=district)
    done: dict[int, set[int]] = defaultdict(set)
    started: dict[int, set[int]] = defaultdict(set)
    for officer_id, scenario_id, completed_at in runs:
        started[officer_id].add(scenario_id)
        if completed_at is not None:
            done[officer_id].add(scenario_id)
    by_district: dict[int, dict[int, VillageProgress]] = defaultdict(dict)
    districts: dict[int, Region] = {}
    for officer in officers.order_by("area__parent__code", "area__code", "full_name"):
        village = officer.area
        if village is None or village.parent is None:
            continue
        districts[village.parent_id] = village.parent  # type: ignore[index]
        entry = by_district[village.parent.pk].setdefault(
            village.pk, VillageProgress(village=village, officers=[])
        )
        entry.officers.append(
            OfficerProgress(
                officer=officer, completed=done[officer.pk], started=started[officer.pk]
            )
        )
    return [
        DistrictProgress(
            district=districts[pk],
            villages=list(villages.values()),
            finished=sum(
                1
                for village in villages.values()
                for row in village.officers
                if offered and len(row.completed) >= offered
            ),
        )
        for pk, villages in by_district.items()
    ]


# The window of the return reasons shown in help: the last year of real returns.
RETURN_WINDOW = timedelta(days=365)


def frequent_return_reasons(service_id: int, *, limit: int = 5) -> list[tuple[str, int]]:
    """The requirements most often returned for a service in the last year, with how often:
    from the real history (`Transition.objects`, no practice row), as (requirement code,
    count)."""
    since = timezone.now() - RETURN_WINDOW
    counts: Counter[str] = Counter()
    rows = Transition.objects.filter(
        action=Action.RETURN, created_at__gte=since, request__service_id=service_id
    ).values_list("details", flat=True)[:5000]
    for details in rows:
        for code in (details or {}).get("items", {}):
            counts[code] += 1
    return counts.most_common(limit)
