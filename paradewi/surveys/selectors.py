"""Reads of survey responses: the IKM and the respondent profile, aggregated in the database.

Every function takes a queryset of responses already limited to what the reader may see (the
reports scope them by area and period) and runs one GROUP BY or aggregate query; the IKM
arithmetic on the sums is exact (`surveys.ikm`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from paradewi.surveys import ikm
from paradewi.surveys.models import SurveyResponse
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, ELEMENTS, PROFILE, Element


@dataclass(frozen=True)
class ElementFigure:
    """One element's result: its NRR, its share of the index (NRR x 1/9) and NRR x 25."""

    element: Element
    total: int
    nrr: Fraction
    weighted: Fraction
    converted: Fraction
    grade: ikm.Grade


@dataclass(frozen=True)
class IkmFigures:
    """The IKM of a group of responses. With fewer than MIN_RESPONSES, `shown` is False and
    no figure is given (index, grade and elements are empty)."""

    responses: int
    index: Fraction | None
    grade: ikm.Grade | None
    elements: tuple[ElementFigure, ...]

    @property
    def shown(self) -> bool:
        return self.index is not None


NO_FIGURES = IkmFigures(0, None, None, ())


def figures(responses: int, totals: Sequence[int]) -> IkmFigures:
    """The IKM and per-element figures from the nine answer sums of `responses` responses."""
    if responses < ikm.MIN_RESPONSES:
        return IkmFigures(responses, None, None, ())
    elements = []
    for element, total in zip(ELEMENTS, totals, strict=True):
        value = ikm.nrr(total, responses)
        elements.append(
            ElementFigure(
                element=element,
                total=total,
                nrr=value,
                weighted=value * ikm.WEIGHT,
                converted=value * ikm.SCALE,
                grade=ikm.grade(value * ikm.SCALE),
            )
        )
    index = ikm.ikm(totals, responses)
    return IkmFigures(responses, index, ikm.grade(index), tuple(elements))


def _sums() -> dict[str, Any]:
    return {
        "responses": Count("pk"),
        **{f"total_{field}": Sum(field) for field in ELEMENT_FIELDS},
    }


def _from_row(row: dict[str, Any]) -> IkmFigures:
    return figures(
        int(row["responses"] or 0), [int(row[f"total_{field}"] or 0) for field in ELEMENT_FIELDS]
    )


def ikm_of(responses: QuerySet[SurveyResponse]) -> IkmFigures:
    """The IKM of all the responses (one aggregate query)."""
    return _from_row(responses.aggregate(**_sums()))


def ikm_by(
    responses: QuerySet[SurveyResponse], *fields: str
) -> list[tuple[dict[str, Any], IkmFigures]]:
    """The IKM per group of `fields` (e.g. "district__code", "district__name"), ordered by
    them (one GROUP BY query); each group with its field values."""
    rows = responses.values(*fields).annotate(**_sums()).order_by(*fields)
    return [({name: row[name] for name in fields}, _from_row(row)) for row in rows]


@dataclass(frozen=True)
class ProfileRow:
    label: str
    count: int
    share: Fraction


def profile_of(responses: QuerySet[SurveyResponse]) -> dict[str, list[ProfileRow]] | None:
    """Respondents per sex, age band, education and occupation (one aggregate query of
    conditional counts). None below MIN_RESPONSES: a small profile says who answered."""
    counts = responses.aggregate(
        total=Count("pk"),
        **{
            f"{field}__{value}": Count("pk", filter=Q(**{field: value}))
            for field, _label, choices in PROFILE
            for value in choices.values
        },
    )
    total = int(counts["total"] or 0)
    if total < ikm.MIN_RESPONSES:
        return None
    return {
        field: [
            ProfileRow(
                str(label),
                int(counts[f"{field}__{value}"] or 0),
                Fraction(int(counts[f"{field}__{value}"] or 0), total),
            )
            for value, label in choices.choices
        ]
        for field, _label, choices in PROFILE
    }
