"""The IKM arithmetic of PermenPAN-RB 14/2017, exact (DESIGN section 6).

Per element, NRR (nilai rata-rata) = the mean of its answers (1..4). The index is
IKM = 25 x sum(NRR_i x 1/9): each of the nine elements weighs exactly 1/9, not the rounded
0.111 of the regulation's worked example (9 x 0.111 = 0.999 would cost up to 0.1 point).
Everything is computed with Fraction and rounded only for display (`rounded()`); the grade is
read from the index rounded to two decimals, because the regulation's grade table is written
to two decimals (88.31-100.00 is A) and the grade must agree with the figure printed next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

WEIGHT = Fraction(1, 9)
SCALE = 25  # converts the 1..4 scale into the 25..100 index

# Groups with fewer responses show no figures: an index of three answers means little, and
# in a small village it could tell an officer how one resident answered.
MIN_RESPONSES = 5


@dataclass(frozen=True)
class Grade:
    letter: str
    label: _StrPromise
    lowest: Decimal  # the lowest two-decimal index with this grade


# Mutu pelayanan (PermenPAN-RB 14/2017), best first.
GRADES: tuple[Grade, ...] = (
    # Translators: IKM grade (mutu pelayanan), official wording. English: Very good
    Grade("A", _("Sangat Baik"), Decimal("88.31")),
    # Translators: IKM grade. English: Good
    Grade("B", _("Baik"), Decimal("76.61")),
    # Translators: IKM grade. English: Not good enough
    Grade("C", _("Kurang Baik"), Decimal("65.00")),
    # Translators: IKM grade. English: Not good
    Grade("D", _("Tidak Baik"), Decimal("25.00")),
)


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """A Fraction for display: `places` decimals, halves rounded up (as people round)."""
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        exponent, rounding=ROUND_HALF_UP
    )


def nrr(total: int, responses: int) -> Fraction:
    """NRR of one element: the sum of its answers over the number of responses."""
    if responses <= 0:
        raise ValueError("NRR needs at least one response.")
    return Fraction(total, responses)


def ikm(totals: Sequence[int], responses: int) -> Fraction:
    """IKM = 25 x sum(NRR_i x 1/9) from the nine element sums of `responses` responses."""
    if len(totals) != 9:
        raise ValueError("The IKM has nine elements.")
    return SCALE * sum((nrr(total, responses) * WEIGHT for total in totals), Fraction(0))


def grade(index: Fraction) -> Grade:
    """The grade (mutu pelayanan) of an index, read from its two-decimal value."""
    shown = rounded(index)
    for candidate in GRADES:
        if shown >= candidate.lowest:
            return candidate
    return GRADES[-1]


def krejcie_morgan(population: int) -> int:
    """The sample a period needs (Krejcie and Morgan, 95% confidence, 5% error):
    s = 3.841 N 0.25 / (0.0025 (N - 1) + 3.841 x 0.25), rounded up to whole respondents.

    N is the number of people served in the period (requests handed over).
    """
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    p = Fraction(1, 4)
    d2 = Fraction(1, 400)
    return math.ceil(chi * population * p / (d2 * (population - 1) + chi * p))
