"""XLSX exports of the dashboards' figures (openpyxl, write-only workbooks).

Numbers are written as numbers (shares as fractions formatted as percentages, working time in
hours), so they can be summed and charted. Exports hold the same aggregates as the pages:
no resident, and never the survey ticket. The tabulation sheet (one row per survey response,
anonymous, ordered by its values rather than by arrival) is only for the Dinas head and the
leadership viewer, who audit the index, and only for a month (a year of a regency holds
hundreds of thousands of answers: too many for one download).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from paradewi.reports import durations
from paradewi.reports.durations import Percentile
from paradewi.reports.periods import RANGE_SEPARATOR, Period
from paradewi.reports.scope import Scope
from paradewi.reports.selectors import (
    MIN_REQUESTS,
    SAMPLE_BASIS,
    TOP_REASONS,
    Activity,
    ComplaintsReport,
    CorrectionFigures,
    IkmReport,
    IkmRow,
    RankingReport,
    ReturnsReport,
    SpeedReport,
    SpeedRow,
    tabulation,
)
from paradewi.surveys import ikm
from paradewi.surveys.ikm import IkmFigures
from paradewi.surveys.models import Channel
from paradewi.surveys.questionnaire import ELEMENTS, PROFILE

PERCENT = "0.0%"
DECIMAL = "0.00"
HOURS = "0.0"


def filename(prefix: str, scope: Scope, period: Period, extension: str) -> str:
    # Codes and period keys hold only digits, dots, dashes and letters: safe in a header.
    key = period.key.replace(RANGE_SEPARATOR, "_")
    return f"{prefix}-{scope.region.code}-{key}.{extension}"


def _hours(minutes: int | None) -> float | None:
    return round(minutes / 60, 2) if minutes is not None else None


def _bound(value: Percentile | None) -> float | str | None:
    """A percentile in working hours; beyond the scale as text ("> 480")."""
    if value is None:
        return None
    if value.over:
        return f"> {value.minutes // 60}"
    return _hours(value.minutes)


def _is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


class _Sheet:
    """A write-only sheet with a bold header row and per-column number formats.

    Every text is written as text: openpyxl would store a string that begins with "=" as a
    formula, and a resident's comment (or any name) must never run as one in a spreadsheet.
    """

    def __init__(self, book: Workbook, title: str) -> None:
        # A sheet's title has at most 31 characters and none of []:*?/\ (a translation of
        # "Villages" is "Desa/kelurahan").
        title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
        self.sheet: WriteOnlyWorksheet = book.create_sheet(title)
        self.formats: list[str | None] = []

    def header(self, *titles: str, formats: Sequence[str | None] = ()) -> None:
        cells = []
        for title in titles:
            cell = WriteOnlyCell(self.sheet, value=title)
            cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.append(cells)
        self.formats = list(formats) + [None] * (len(titles) - len(formats))

    def figures(self, label: str, *values: Any, formats: Sequence[str | None]) -> None:
        """One row with its own number formats (a summary sheet mixes kinds of figure)."""
        saved, self.formats = self.formats, [None, *formats]
        self.row(label, *values)
        self.formats = saved

    def row(self, *values: Any) -> None:
        if not any(self.formats) and not any(_is_formula(value) for value in values):
            self.sheet.append(values)  # plain values: several times faster than cells
            return
        cells = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(self.sheet, value=value)
            if _is_formula(value):
                cell.data_type = "s"
            number_format = self.formats[index] if index < len(self.formats) else None
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        self.sheet.append(cells)


def _about(book: Workbook, title: str, scope: Scope, period: Period) -> _Sheet:
    sheet = _Sheet(book, title)
    sheet.header(_("Report"), title)
    sheet.row(_("Area"), scope.region.display_name)
    sheet.row(_("Period"), period.label)
    sheet.row(_("Made"), timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    return sheet


def _save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- service speed ------------------------------------------------------------------------------


def _activity_columns() -> list[str]:
    return [
        _("Submitted"),
        _("Completed"),
        _("Completed on time"),
        _("On time"),
        _("Mean time to completion (working hours)"),
        _("Returned by the kecamatan"),
        _("Returned by the Dinas"),
        _("Requests returned at least once"),
        _("Return rate"),
        _("Handed over"),
        _("Rejected"),
        _("Cancelled"),
    ]


ACTIVITY_FORMATS = [None, None, None, PERCENT, HOURS, None, None, None, PERCENT, None, None, None]


def _activity_values(activity: Activity) -> list[Any]:
    return [
        activity.submitted,
        activity.completed,
        activity.completed_on_time,
        float(activity.on_time) if activity.on_time is not None else None,
        _hours(activity.lead_mean),
        activity.returned_by_district,
        activity.returned_by_dinas,
        activity.returned_requests,
        float(activity.return_rate) if activity.return_rate is not None else None,
        activity.handed_over,
        activity.rejected,
        activity.cancelled,
    ]


def _speed_rows(sheet: _Sheet, rows: Iterable[SpeedRow], *, now: bool) -> None:
    for row in rows:
        values = [row.code, row.name, *_activity_values(row.activity)]
        if now:
            values += [row.now.open, row.now.overdue]
            if row.lead is not None:
                values += [_bound(row.lead.median), _bound(row.lead.p90)]
        sheet.row(*values)


def speed_workbook(
    scope: Scope, report: SpeedReport, corrections: CorrectionFigures | None = None
) -> bytes:
    """Summary, time per stage, per area, per service and per month, as XLSX bytes; for the
    regency, the Dinas's own clerical errors corrected (UU 23/2006 Pasal 71 as amended by UU
    24/2013), which are in no other figure."""
    book = Workbook(write_only=True)
    about = _about(book, _("Service speed"), scope, report.period)
    total = report.total
    for label, value in zip(_activity_columns(), _activity_values(total), strict=True):
        about.row(label, value)
    about.row(_("Open now (kecamatan or Dinas)"), report.now.open)
    about.row(_("Overdue now"), report.now.overdue)
    about.row(
        _("Note"),
        _(
            "Times are working time: office hours, without weekends, public holidays, cuti "
            "bersama and office closures. The clock stops while a request is back at the "
            "village."
        ),
    )

    stages = _Sheet(book, _("Stages"))
    stages.header(
        _("Measure"),
        _("Count"),
        _("Mean (working hours)"),
        _("Median (working hours, at most)"),
        _("90th percentile (working hours, at most)"),
        formats=[None, None, HOURS, HOURS, HOURS],
    )
    for row in report.turnaround:
        stages.row(row.label, row.count, _hours(row.mean), _bound(row.median), _bound(row.p90))
    stages.row(
        _("Note"),
        _(
            "Median and 90th percentile: half (nine in ten) of the durations took at most this "
            "long; read from a fixed scale of steps (%(steps)s working minutes), so the figure "
            "is the upper end of its step. Beyond the scale: more than %(last)s working hours."
        )
        % {
            "steps": ", ".join(str(bound) for bound in durations.BOUNDS),
            "last": durations.BOUNDS[-1] // 60,
        },
    )

    if report.areas:
        areas = _Sheet(book, _("By area"))
        areas.header(
            _("Code"),
            _("Area"),
            *_activity_columns(),
            _("Open now"),
            _("Overdue now"),
            _("Median to completion (working hours, at most)"),
            _("90th percentile to completion (working hours, at most)"),
            formats=[None, None, *ACTIVITY_FORMATS, None, None, HOURS, HOURS],
        )
        _speed_rows(areas, report.areas, now=True)

    services = _Sheet(book, _("By service"))
    services.header(
        _("Code"), _("Service"), *_activity_columns(), formats=[None, None, *ACTIVITY_FORMATS]
    )
    _speed_rows(services, report.services, now=False)

    months = _Sheet(book, _("By month"))
    months.header(_("Month"), *_activity_columns(), formats=["yyyy-mm", *ACTIVITY_FORMATS])
    for month, activity in report.trend:
        months.row(month, *_activity_values(activity))

    if corrections is not None:
        sheet = _Sheet(book, _("Corrections (Dinas)"))
        sheet.header(_("Figure"), _("Value"))
        for label, value, number_format in _correction_figures(corrections):
            sheet.figures(label, value, formats=[number_format])
        sheet.row(_("Note"), corrections_note())
    return _save(book)


def corrections_note() -> str:
    return _(
        "Counted against the Dinas: they are not in the other figures, nor in any village's, "
        "kecamatan's or service's figures, and are not new requests."
    )


def _correction_figures(figures: CorrectionFigures) -> list[tuple[str, Any, str]]:
    on_time = float(figures.on_time) if figures.on_time is not None else None
    return [
        (_("Corrections asked for"), figures.opened, INTEGER),
        (_("Corrected documents issued"), figures.completed, INTEGER),
        (_("Corrected within their target"), on_time, PERCENT),
        (_("Open now"), figures.open_now, INTEGER),
        (_("Overdue now"), figures.overdue_now, INTEGER),
    ]


# --- satisfaction (IKM) -------------------------------------------------------------------------


INTEGER = "#,##0"
# The index with its official two decimals, its NI with four (PermenPAN-RB 14/2017), and the
# exact value (from the exact fractions) with enough decimals to check the rounding.
NI_FORMAT = "0.0000"
EXACT = "0.000000"
IKM_FORMATS = [INTEGER, DECIMAL, None, EXACT]


def _official(value: Fraction, places: int = 2) -> float:
    """An exact figure as printed: rounded to `places` (half up), as the page shows it."""
    return float(ikm.rounded(value, places))


def _index(figures: IkmFigures) -> list[Any]:
    """Responses, the official two-decimal IKM, the grade and the exact IKM."""
    if figures.index is None:
        return [figures.responses, None, "", None]
    assert figures.grade is not None  # noqa: S101 - a shown index has a grade
    return [
        figures.responses,
        _official(figures.index),
        f"{figures.grade.letter} {figures.grade.label}",
        float(figures.index),
    ]


def _ikm_rows(sheet: _Sheet, title: str, rows: Iterable[IkmRow]) -> None:
    sheet.header(
        title, _("Responses"), _("IKM"), _("Grade"), _("IKM (exact)"), formats=[None, *IKM_FORMATS]
    )
    for row in rows:
        sheet.row(row.name, *_index(row.figures))


def _complaints(book: Workbook, complaints: ComplaintsReport) -> None:
    """The complaint figures beside U9 (docs/complaints.md, "Figures"): one sheet of totals
    and times, one of counts per month, category, area and service; every figure with its
    number format."""
    figures = complaints.figures
    sheet = _Sheet(book, _("Complaints"))
    sheet.header(_("Figure"), _("Value"))

    def share(value: Fraction | None) -> float | None:
        return float(value) if value is not None else None

    rows: list[tuple[str, Any, str]] = [
        (_("Complaints filed"), figures.total, INTEGER),
        (
            _("Judged against the target (answered, or waiting past it)"),
            figures.due,
            INTEGER,
        ),
        (_("Answered within the target"), figures.within_target, INTEGER),
        (_("Share answered within the target"), share(figures.within_target_share), PERCENT),
        (
            _("Time to the first answer, median (working hours)"),
            _hours(figures.first_answer.median),
            HOURS,
        ),
        (
            _("Time to the first answer, 90th percentile (working hours)"),
            _hours(figures.first_answer.p90),
            HOURS,
        ),
        (_("Time to closure, median (working hours)"), _hours(figures.closure.median), HOURS),
        (_("Time to closure, 90th percentile (working hours)"), _hours(figures.closure.p90), HOURS),
        (_("Reopened"), figures.reopened, INTEGER),
        (_("Share reopened"), share(figures.reopened_share), PERCENT),
        (_("Answers rated"), figures.rated, INTEGER),
        (_("Mean rating of the answers (1-4)"), share(figures.rating_mean), DECIMAL),
        (_("Waiting for an answer now"), figures.open_now, INTEGER),
        (_("Of which past the target"), figures.overdue_now, INTEGER),
    ]
    for label, value, number_format in rows:
        sheet.figures(label, value, formats=[number_format])
    groups = _Sheet(book, _("Complaints by group"))
    groups.header(_("Grouped by"), _("Group"), _("Complaints"), formats=[None, None, INTEGER])
    for month, count in figures.by_month:
        groups.row(_("Month"), f"{month:%Y-%m}", count)
    for label, counted in (
        (_("Category"), figures.by_category),
        (_("Area"), figures.by_district),
        (_("Service"), figures.by_service),
    ):
        for name, count in counted:
            groups.row(label, name, count)


def ikm_workbook(
    scope: Scope, report: IkmReport, complaints: ComplaintsReport | None = None
) -> bytes:
    """The IKM with its elements, per area, service, channel and month, and the profile; the
    complaint figures beside U9; for the Dinas head and the viewer also the tabulation of
    every response.

    Every figure is written as the page prints it (the IKM with two decimals, NI with four,
    PermenPAN-RB 14/2017) with a number format; the exact IKM is a further column."""
    book = Workbook(write_only=True)
    about = _about(book, _("Satisfaction (IKM)"), scope, report.period)
    total = report.total
    responses, index, grade, exact = _index(total)
    about.figures(_("Responses"), responses, formats=[INTEGER])
    about.figures(_("People served (requests handed over)"), report.served, formats=[INTEGER])
    about.figures(_("Responses needed (Krejcie-Morgan)"), report.sample_needed, formats=[INTEGER])
    about.row(_("Counted by"), str(SAMPLE_BASIS))
    if complaints is not None and complaints.period.key != report.period.key:
        # A range of days: the IKM is of the whole months it touches, the complaints of
        # its days.
        about.row(_("Days chosen"), complaints.period.label)
        about.row(
            _("IKM counted over"),
            _("%(months)s (whole months: a survey response keeps only its month)")
            % {"months": report.period.label},
        )
    about.figures(_("IKM"), index, exact, formats=[DECIMAL, EXACT])
    about.figures(
        _("NI (IKM / 25)"),
        _official(ikm.ni(total.index), ikm.NI_PLACES) if total.index is not None else None,
        float(ikm.ni(total.index)) if total.index is not None else None,
        formats=[NI_FORMAT, EXACT],
    )
    about.row(_("Grade"), grade)
    about.row(
        _("Method"),
        _(
            "IKM = 25 x sum of (NRR x 1/9), PermenPAN-RB 14/2017. Every element weighs exactly "
            "1/9 (not 0.111); values are exact, rounded only when shown: the IKM with two "
            "decimals, NI with four, the exact value beside them. No index is given for "
            "fewer than five responses."
        ),
    )

    elements = _Sheet(book, _("Elements"))
    elements.header(
        _("Code"),
        _("Element"),
        _("Sum of answers"),
        _("NRR"),
        _("NRR x 1/9"),
        _("NRR x 25"),
        _("Grade"),
        formats=[None, None, INTEGER, DECIMAL, NI_FORMAT, DECIMAL],
    )
    for figure in total.elements:
        elements.row(
            figure.element.code,
            str(figure.element.name),
            figure.total,
            _official(figure.nrr),
            _official(figure.weighted, ikm.NI_PLACES),
            _official(figure.converted),
            figure.grade.letter,
        )

    if report.areas:
        _ikm_rows(_Sheet(book, _("By area")), _("Area"), report.areas)
    _ikm_rows(_Sheet(book, _("By service")), _("Service"), report.services)
    _ikm_rows(_Sheet(book, _("By channel")), _("Answered"), report.channels)
    months = _Sheet(book, _("By month"))
    months.header(
        _("Month"),
        _("Responses"),
        _("IKM"),
        _("Grade"),
        _("IKM (exact)"),
        formats=["yyyy-mm", *IKM_FORMATS],
    )
    for month, figures in report.trend:
        months.row(month, *_index(figures))

    profile = _Sheet(book, _("Respondents"))
    profile.header(
        _("Question"),
        _("Answer"),
        _("Responses"),
        _("Share"),
        formats=[None, None, INTEGER, PERCENT],
    )
    if report.profile:
        for field, label, _choices in PROFILE:
            for row in report.profile[field]:
                profile.row(str(label), row.label, row.count, float(row.share))

    if report.comments is not None:
        comments = _Sheet(book, _("Comments"))
        comments.header(_("No."), _("Month"), _("Service"), _("Comment"))
        for number, comment in enumerate(report.comments, start=1):
            comments.row(number, f"{comment.month:%Y-%m}", comment.service or "", comment.text)

    if complaints is not None:
        _complaints(book, complaints)

    if scope.may_tabulate and report.period.is_month:
        _tabulation(book, scope, report.period)
    elif scope.may_tabulate:
        about.row(_("Tabulation"), _("The answers one by one are in the export of each month."))
    return _save(book)


def _tabulation(book: Workbook, scope: Scope, period: Period) -> None:
    sheet = _Sheet(book, _("Tabulation"))
    sheet.header(
        _("No."),
        _("Month"),
        _("Kecamatan"),
        _("Service"),
        _("Answered"),
        *(str(label) for _field, label, _choices in PROFILE),
        *(element.code for element in ELEMENTS),
    )
    labels = {field: dict(choices.choices) for field, _label, choices in PROFILE}
    channels = dict(Channel.choices)
    for number, (month, district, service, channel, *rest) in enumerate(
        tabulation(scope, period).iterator(chunk_size=2000), start=1
    ):
        profile, scores = rest[: len(PROFILE)], rest[len(PROFILE) :]
        sheet.row(
            number,
            f"{month:%Y-%m}",
            district,
            service,
            str(channels.get(channel, channel)),
            *(
                str(labels[field].get(value, value))
                for (field, _label, _choices), value in zip(PROFILE, profile, strict=True)
            ),
            *scores,
        )


# --- returns ------------------------------------------------------------------------------------


def returns_workbook(scope: Scope, report: ReturnsReport) -> bytes:
    """Per village: requests, returns, the return rate and the three most frequent reasons;
    every reason per village and in the whole area."""
    book = Workbook(write_only=True)
    about = _about(book, _("Returns"), scope, report.period)
    about.row(_("Submitted"), report.submitted)
    about.row(_("Requests returned at least once"), report.returned_requests)
    about.row(_("Return rate"), float(report.rate) if report.rate is not None else None)
    about.row(
        _("Note"),
        _(
            "Return rate: requests returned to the village at least once, of the requests "
            "submitted (each counted once). A return that names several requirements counts "
            "for each of them."
        ),
    )

    villages = _Sheet(book, _("Villages"))
    reason_titles = []
    for number in range(1, TOP_REASONS + 1):
        reason_titles += [
            _("Reason %(n)d") % {"n": number},
            _("Service %(n)d") % {"n": number},
            _("Returns %(n)d") % {"n": number},
        ]
    villages.header(
        _("Code"),
        _("Village"),
        _("Kecamatan"),
        _("Submitted"),
        _("Returned at least once"),
        _("Return rate"),
        _("Returns"),
        *reason_titles,
        formats=[None, None, None, None, None, PERCENT],
    )
    for village in report.villages:
        reasons: list[Any] = []
        for reason in village.top:
            reasons += [reason.requirement, reason.service, reason.returns]
        villages.row(
            village.code,
            village.name,
            village.district,
            village.submitted,
            village.returned_requests,
            float(village.rate) if village.rate is not None else None,
            village.returns,
            *reasons,
        )

    every = _Sheet(book, _("Reasons per village"))
    every.header(_("Code"), _("Village"), _("Requirement"), _("Service"), _("Returns"))
    for village in report.villages:
        for reason in village.reasons:
            every.row(
                village.code, village.name, reason.requirement, reason.service, reason.returns
            )

    area = _Sheet(book, _("Reasons in the area"))
    area.header(_("Requirement"), _("Service"), _("Returns"))
    for reason in report.reasons:
        area.row(reason.requirement, reason.service, reason.returns)
    return _save(book)


# --- ranking ------------------------------------------------------------------------------------


def ranking_workbook(scope: Scope, report: RankingReport) -> bytes:
    """One sheet per ranking (kecamatan, villages) with the three ranks and the figures."""
    book = Workbook(write_only=True)
    about = _about(book, _("Ranking"), scope, report.period)
    about.row(
        _("Note"),
        _(
            "Ranked by the figures as shown; equal figures share a rank. By IKM only areas "
            "with at least %(responses)d responses; by completion on time only areas with at "
            "least %(requests)d requests completed; by volume every area."
        )
        % {"responses": ikm.MIN_RESPONSES, "requests": MIN_REQUESTS},
    )
    for ranking in report.rankings:
        sheet = _Sheet(book, ranking.title)
        sheet.header(
            _("Rank by IKM"),
            _("Rank by on time"),
            _("Rank by volume"),
            _("Code"),
            _("Area"),
            _("Kecamatan"),
            _("Submitted"),
            _("Completed"),
            _("On time"),
            _("Responses"),
            _("IKM"),
            _("Grade"),
            formats=[None, None, None, None, None, None, None, None, PERCENT, None, DECIMAL],
        )
        for row in ranking.rows:
            sheet.row(
                row.rank_ikm,
                row.rank_on_time,
                row.rank_volume,
                row.code,
                row.name,
                row.district,
                row.submitted,
                row.completed,
                float(row.on_time) if row.on_time is not None else None,
                *_index(row.figures),
            )
    return _save(book)
