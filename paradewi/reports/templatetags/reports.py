"""Numbers as the dashboards print them: rounded here and only here, in the reader's locale."""

from __future__ import annotations

from fractions import Fraction

from django import template
from django.utils import formats

from paradewi.requests.worklists import working_time_display
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
