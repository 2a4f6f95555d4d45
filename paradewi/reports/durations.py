"""Percentiles of working time from histograms that can be added up.

The median and the 90th percentile of a year cannot be made from twelve monthly medians. So
the refresh counts every duration (a stay in a stage, a request's time to completion) into a
fixed set of buckets per month and village (`models.MonthlyDuration`); a report adds the
counts of its months and villages up in the database, and reads the percentile from the sum.

The buckets grow with the durations they hold: quarter hours up to an hour, half hours up to
two, hours up to one working day (8 h), then half days, days, and a few weeks; the last
bucket holds everything beyond 60 working days. A percentile is the upper bound of the bucket
it falls in: "at least 90% took at most this long" is then exactly true, and at most one
step of the scale too high (a quarter of an hour for short waits, a working day around a
week). Ranks are nearest-rank: the median of n durations is the ceil(n/2)-th smallest.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

# Upper bounds of the buckets in working minutes (8 working hours = 480 minutes a day).
BOUNDS: tuple[int, ...] = (
    15, 30, 45, 60, 90, 120, 180, 240, 300, 360, 420, 480,  # up to a working day
    720, 960, 1200, 1440, 1920, 2400,  # 1.5, 2, 2.5, 3, 4 and 5 working days
    2880, 3360, 3840, 4320, 4800,  # 6 to 10 working days
    7200, 9600, 14400, 19200, 28800,  # 15, 20, 30, 40 and 60 working days
)  # fmt: skip
# The columns of MonthlyDuration, one per bucket: "le_15" holds durations up to 15 minutes,
# "over" those beyond the last bound.
COLUMNS: tuple[str, ...] = (*(f"le_{bound}" for bound in BOUNDS), "over")

MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def bucket(minutes: int) -> int:
    """The index of the bucket (and of its column) that holds `minutes`."""
    return bisect_left(BOUNDS, max(minutes, 0))


@dataclass(frozen=True)
class Percentile:
    """At least the asked share of the durations took at most `minutes` (or, when `over`,
    more than `minutes`: beyond the scale)."""

    minutes: int
    over: bool = False


def percentile(counts: Sequence[int], share: Fraction) -> Percentile | None:
    """The `share` percentile of the durations counted per bucket; None without any."""
    total = sum(counts)
    if total <= 0:
        return None
    rank = max(math.ceil(share * total), 1)
    seen = 0
    for index, count in enumerate(counts):
        seen += count
        if seen >= rank:
            if index >= len(BOUNDS):
                return Percentile(BOUNDS[-1], over=True)
            return Percentile(BOUNDS[index])
    raise AssertionError("unreachable: the counts add up to the total")  # pragma: no cover
