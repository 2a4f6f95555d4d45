from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict

from paradewi.regions.models import Region
from paradewi.reports.periods import Period, month_period, parse_period, period_choices
from paradewi.reports.scope import Scope


@dataclass(frozen=True)
class Filters:
    """What a report page shows: a period and an area, as chosen in the address.

    A malformed period falls back to the current month; the area is checked by `scope_for`.
    The menus offer the reader's area and the areas one level down; an area reached by a
    link further down is added to the menu.
    """

    period: Period
    periods: list[Period]
    areas: list[Region]

    @classmethod
    def build(cls, query: QueryDict, scope: Scope, today: date) -> Filters:
        period = parse_period(query.get("period", ""), today) or month_period(today)
        periods = period_choices(today)
        if period.key not in {choice.key for choice in periods}:
            periods.insert(0, period)
        home = scope.user.area
        assert home is not None  # noqa: S101 - a reader always has an area
        areas = [home]
        if scope.region == home:
            areas += scope.children
        elif home.level != Region.Level.VILLAGE:
            areas += list(Region.objects.filter(parent=home, is_active=True).order_by("code"))
        if scope.region not in areas:
            areas.append(scope.region)
        return cls(period, periods, areas)
