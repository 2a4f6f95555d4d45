from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import QueryDict
from django.utils.translation import gettext as _

from paradewi.regions.models import Region
from paradewi.reports.periods import (
    Period,
    PeriodError,
    month_period,
    parse_month,
    parse_period,
    period_choices,
    range_period,
)
from paradewi.reports.scope import Scope

# `period=range`: the months are in the "from" and "to" fields (the range form).
RANGE = "range"


@dataclass(frozen=True)
class Filters:
    """What a report page shows: a period and an area, as chosen in the address.

    The period is a key from the menu (or from a link: ranges travel as "2025-03..2026-02"),
    or, with `period=range`, the months in `from` and `to`. A malformed key falls back to the
    current month; a range that cannot be reported on falls back too, with `error` saying
    why and the months typed kept in the form. The area is checked by `scope_for`. The menus
    offer the reader's area and the areas one level down; an area reached by a link further
    down is added to the menu.
    """

    period: Period
    periods: list[Period]
    areas: list[Region]
    range_from: str = ""
    range_to: str = ""
    error: str = ""
    this_month: str = ""  # the latest month a range may reach, "YYYY-MM"

    @classmethod
    def build(cls, query: QueryDict, scope: Scope, today: date) -> Filters:
        period, range_from, range_to, error = _period(query, today)
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
        return cls(period, periods, areas, range_from, range_to, error, f"{today:%Y-%m}")


def _period(query: QueryDict, today: date) -> tuple[Period, str, str, str]:
    """The period asked for, the range's months as typed, and what is wrong with them."""
    key = query.get("period", "").strip()
    if key != RANGE:
        period = parse_period(key, today) or month_period(today)
        if period.is_range:
            return period, f"{period.first:%Y-%m}", f"{period.last:%Y-%m}", ""
        return period, "", "", ""
    typed_from, typed_to = query.get("from", "").strip(), query.get("to", "").strip()
    first, last = parse_month(typed_from), parse_month(typed_to)
    fallback = month_period(today)
    if not typed_from or not typed_to:
        return fallback, typed_from, typed_to, _("Choose the first and the last month.")
    if first is None or last is None:
        return fallback, typed_from, typed_to, _("Write each month as YYYY-MM, e.g. 2025-03.")
    try:
        period = range_period(first, last, today)
    except PeriodError as problem:
        return fallback, typed_from, typed_to, str(problem)
    return period, typed_from, typed_to, ""
