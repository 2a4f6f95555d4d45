from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext as _

from paradewi.regions.models import Region
from paradewi.reports.periods import (
    FIRST_YEAR,
    Period,
    PeriodError,
    day_range_period,
    month_end,
    month_period,
    parse_day,
    parse_month,
    parse_period,
    period_choices,
    range_period,
)
from paradewi.reports.scope import Scope

# `period=range`: the days are in the "from" and "to" fields (the range form).
RANGE = "range"


@dataclass(frozen=True)
class Filters:
    """What a report page shows: a period and an area, as chosen in the address.

    The period is a key from the menu (or from a link: ranges travel as
    "2026-03-10..2026-04-05" or "2025-03..2026-02"), or, with `period=range`, the days in
    `from` and `to` (YYYY-MM-DD as a date field sends them, or DD/MM/YYYY typed by hand; a
    month YYYY-MM is its first day in `from` and its last in `to`). A malformed key falls
    back to the current month; a range that cannot be reported on falls back too, with
    `error` saying why and the days typed kept in the form. The area is checked by
    `scope_for`. The menus offer the reader's area and the areas one level down; an area
    reached by a link further down is added to the menu.
    """

    period: Period
    periods: list[Period]
    areas: list[Region]
    range_from: str = ""
    range_to: str = ""
    error: str = ""
    today: str = ""  # the latest day a range may reach, "YYYY-MM-DD"
    earliest: str = f"{FIRST_YEAR}-01-01"

    @property
    def zone(self) -> str:
        """The time zone the days are counted in (named under the range form)."""
        return str(settings.TIME_ZONE)

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
        return cls(period, periods, areas, range_from, range_to, error, f"{today:%Y-%m-%d}")


def _day(text: str, *, last: bool) -> date | None:
    """A day typed in the range form; a month alone (YYYY-MM, from an older link or a
    browser's month field) is its first day, or its last when it ends the range."""
    month = parse_month(text)
    if month is not None:
        return month_end(month) if last else month
    return parse_day(text)


def _shown(period: Period, today: date) -> tuple[str, str]:
    """The days the range form shows for a period: its own, up to today at the latest."""
    return f"{period.first:%Y-%m-%d}", f"{min(period.last, today):%Y-%m-%d}"


def _period(query: QueryDict, today: date) -> tuple[Period, str, str, str]:
    """The period asked for, the range's days to show in the form (as typed, written
    YYYY-MM-DD where they are days), and what is wrong with them."""
    key = query.get("period", "").strip()
    if key != RANGE:
        period = parse_period(key, today) or month_period(today)
        return period, *_shown(period, today), ""
    typed_from, typed_to = query.get("from", "").strip(), query.get("to", "").strip()
    fallback = month_period(today)
    first, last = _day(typed_from, last=False), _day(typed_to, last=True)
    shown_from = f"{first:%Y-%m-%d}" if first is not None else typed_from
    shown_to = f"{last:%Y-%m-%d}" if last is not None else typed_to
    if not typed_from or not typed_to:
        return fallback, shown_from, shown_to, _("Choose the first and the last day.")
    if first is None or last is None:
        wrong = typed_from if first is None else typed_to
        return (
            fallback,
            shown_from,
            shown_to,
            _("“%(text)s” is not a day: write it as DD/MM/YYYY, e.g. %(example)s.")
            % {"text": wrong[:20], "example": formats.date_format(today, "d/m/Y")},
        )
    try:
        if parse_month(typed_from) is not None and parse_month(typed_to) is not None:
            # Two months, as the earlier form sent them: those whole months.
            period = range_period(first, last, today)
        else:
            period = day_range_period(first, last, today)
    except PeriodError as problem:
        return fallback, shown_from, shown_to, str(problem)
    return period, shown_from, shown_to, ""
