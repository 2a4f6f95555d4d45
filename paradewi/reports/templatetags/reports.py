"""Numbers as the dashboards print them: rounded here and only here, in the reader's locale."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from paradewi.reports.durations import Percentile
from paradewi.requests.selectors.clock import working_time_display
from paradewi.surveys.ikm import rounded

register = template.Library()


@register.filter
def decimals(value: Fraction | None, places: int = 2) -> str:
    """An exact value with `places` decimals (half up); "-" for none."""
    if value is None:
        return "-"
    return formats.number_format(rounded(Fraction(value), places), decimal_pos=places)


@register.filter
def percent(value: Fraction | None) -> str:
    """A share as a percentage with one decimal: 7/8 -> "87.5 %"; "-" for none."""
    if value is None:
        return "-"
    return f"{decimals(Fraction(value) * 100, 1)} %"


@register.filter
def worktime(minutes: int | None) -> str:
    """Working minutes as people say them ("1 working day 2 h"); "-" for none."""
    if minutes is None:
        return "-"
    return working_time_display(minutes)


@register.filter
def within(value: Percentile | None, sign: bool = True) -> str:
    """A percentile as the upper bound it is: "≤ 2 h" (without the sign where the heading
    says "at most"), or "more than 60 working days" beyond the scale; "-" for none."""
    if value is None:
        return "-"
    if value.over:
        return _("more than %(time)s") % {"time": working_time_display(value.minutes)}
    shown = working_time_display(value.minutes)
    return f"≤ {shown}" if sign else shown


@register.filter
def busy_lines(lines: list[Any]) -> list[Any]:
    """The lines of a published table that have figures or are withheld (`reports.published`)."""
    return [line for line in lines if line.withheld or line.completed]


@register.filter
def idle_lines(lines: list[Any]) -> list[str]:
    """The names of the lines with no request completed: listed in a sentence, not a table."""
    return [line.name for line in lines if not line.withheld and not line.completed]
