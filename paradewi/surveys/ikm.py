"""The IKM arithmetic of PermenPAN-RB 14/2017, exact (docs/design.md, "IKM").

Per element, NRR (nilai rata-rata) = the mean of its answers (1..4). The index is
IKM = 25 x sum(NRR_i x 1/9): each of the nine elements weighs exactly 1/9, not the rounded
0.111 of the regulation's worked example (9 x 0.111 = 0.999 would cost up to 0.1 point).
Everything is computed with Fraction and rounded only for display (`rounded()`); the grade is
read from the index rounded to two decimals, because the regulation's grade table is written
to two decimals (88.31-100.00 is A) and the grade must agree with the figure printed next to it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from paradewi.surveys.questionnaire import ELEMENTS, PROFILE, Element, profile_column

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
    if responses <= 0:
        raise ValueError("NRR needs at least one response.")
    # The same exact value as SCALE x sum(total_i / responses x WEIGHT), in one division: a
    # ranking computes it for every village.
    return Fraction(SCALE * sum(totals) * WEIGHT.numerator, responses * WEIGHT.denominator)


# The index on the 1..4 scale (nilai indeks, NI = IKM / 25) is shown with four decimals: the
# regulation's NI bands are written to four (1.00-2.5996 D, 2.60-3.064 C, 3.0644-3.532 B,
# 3.5324-4.00 A), and with three a printed NI could contradict the grade beside it (IKM
# 88.31 is A, its NI 3.5324 would print as 3.532, the top of B).
NI_PLACES = 4


def ni(index: Fraction) -> Fraction:
    """The nilai indeks (NI, 1..4) of an IKM (25..100): IKM / 25 (PermenPAN-RB 14/2017)."""
    return index / SCALE


def grade(index: Fraction) -> Grade:
    """The grade (mutu pelayanan) of an index, read from its two-decimal value."""
    shown = rounded(index)
    for candidate in GRADES:
        if shown >= candidate.lowest:
            return candidate
    return GRADES[-1]


# The sample never exceeds this: the table's last entry (N = 1,000,000), the formula's limit
# for any population (3.841 x 0.25 / 0.0025 = 384.1).
KREJCIE_MORGAN_MAX = 384


def krejcie_morgan(population: int) -> int:
    """The sample a period needs, as the Krejcie and Morgan table gives it (PermenPAN-RB
    14/2017, Lampiran, "Penentuan jumlah responden": the table of Krejcie and Morgan, 1970,
    "Determining Sample Size for Research Activities", Educational and Psychological
    Measurement 30, 607-610; 95% confidence, 5% error, P = 0.5):
    s = 3.841 N 0.25 / (0.0025 (N - 1) + 3.841 x 0.25), rounded to the nearest whole
    respondent (halves up), never more than 384.

    The published table is this formula rounded to the nearest integer at every one of its
    entries (N = 500 gives 217.49, the table 217); rounding up would ask one respondent
    more than the table at about half of them. N is the number of people served in the
    period (requests handed over).
    """
    if population <= 0:
        return 0
    chi = Fraction(3841, 1000)
    p = Fraction(1, 4)
    d2 = Fraction(1, 400)
    exact = chi * population * p / (d2 * (population - 1) + chi * p)
    return min(math.floor(exact + Fraction(1, 2)), KREJCIE_MORGAN_MAX)


# --- the figures of a group of responses ------------------------------------------------------


@dataclass(frozen=True)
class ElementFigure:
    """One element's result: its NRR, its share of the index (NRR x 1/9) and NRR x 25."""

    element: Element
    total: int
    nrr: Fraction
    weighted: Fraction
    converted: Fraction
    grade: Grade


@dataclass(frozen=True)
class IkmFigures:
    """The IKM of a group of responses. With fewer than MIN_RESPONSES, `shown` is False and
    no figure is given (index, grade and elements are empty)."""

    responses: int
    index: Fraction | None
    grade: Grade | None
    elements: tuple[ElementFigure, ...]

    @property
    def shown(self) -> bool:
        return self.index is not None


NO_FIGURES = IkmFigures(0, None, None, ())


def figures(responses: int, totals: Sequence[int]) -> IkmFigures:
    """The IKM and per-element figures from the nine answer sums of `responses` responses."""
    if responses < MIN_RESPONSES:
        return IkmFigures(responses, None, None, ())
    elements = []
    for element, total in zip(ELEMENTS, totals, strict=True):
        converted = Fraction(total * SCALE, responses)
        elements.append(
            ElementFigure(
                element=element,
                total=total,
                nrr=nrr(total, responses),
                weighted=Fraction(total * WEIGHT.numerator, responses * WEIGHT.denominator),
                converted=converted,
                grade=grade(converted),
            )
        )
    index = ikm(totals, responses)
    return IkmFigures(responses, index, grade(index), tuple(elements))


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int
    share: Fraction


def profile(counts: Mapping[str, int], responses: int) -> dict[str, list[ProfileRow]] | None:
    """Respondents per answer of each profile question, from `counts` keyed by
    `profile_column`; None below MIN_RESPONSES: a small profile says who answered."""
    if responses < MIN_RESPONSES:
        return None
    return {
        field: [
            ProfileRow(
                str(label),
                counts.get(profile_column(field, value), 0),
                Fraction(counts.get(profile_column(field, value), 0), responses),
            )
            for value, label in choices.choices
        ]
        for field, _label, choices in PROFILE
    }
