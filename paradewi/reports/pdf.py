"""The report of a period (normally a month) as an A4 PDF: service speed and satisfaction.

ReportLab with its built-in fonts (nothing downloaded); the element chart is vector drawing.
The same figures as the dashboards, rounded the same way (the `reports` template filters);
every text from the database is escaped before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from paradewi.reports.exports import corrections_note
from paradewi.reports.periods import Period
from paradewi.reports.scope import Scope
from paradewi.reports.selectors import (
    SAMPLE_BASIS,
    ComplaintsReport,
    CorrectionFigures,
    IkmReport,
    SpeedReport,
    SpeedRow,
    u9_of,
)
from paradewi.reports.templatetags.reports import decimals, percent, within, worktime
from paradewi.requests.receipts import dinas_name
from paradewi.surveys import ikm
from paradewi.surveys.ikm import ElementFigure, IkmFigures
from paradewi.surveys.questionnaire import PROFILE

FONT, BOLD = "Helvetica", "Helvetica-Bold"
BRAND = colors.HexColor("#0b5d3b")
WIDTH = A4[0] - 36 * mm

BASE = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=11.5)
STYLES = {
    "text": BASE,
    "small": ParagraphStyle("small", parent=BASE, fontSize=7.5, leading=9.5, textColor=colors.grey),
    "dinas": ParagraphStyle("dinas", parent=BASE, fontName=BOLD, fontSize=10),
    "title": ParagraphStyle("title", parent=BASE, fontName=BOLD, fontSize=15, leading=19),
    "h2": ParagraphStyle(
        "h2", parent=BASE, fontName=BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    ),
    "h3": ParagraphStyle("h3", parent=BASE, fontName=BOLD, spaceBefore=6, spaceAfter=3),
    "cell": ParagraphStyle("cell", parent=BASE, fontSize=8, leading=10),
    "head": ParagraphStyle("head", parent=BASE, fontName=BOLD, fontSize=8, leading=10),
    "head_number": ParagraphStyle(
        "head_number", parent=BASE, fontName=BOLD, fontSize=8, leading=10, alignment=TA_RIGHT
    ),
}


def _p(text: object, style: str = "text") -> Paragraph:
    return Paragraph(escape(str(text)), STYLES[style])


def _table(
    rows: Sequence[Sequence[object]], widths: list[float], *, numeric_from: int = 1
) -> Table:
    """A table with a header row; columns from `numeric_from` on are right-aligned. Headers
    and the first columns wrap; numbers do not."""
    header = [
        Paragraph(escape(str(value)), STYLES["head_number" if index >= numeric_from else "head"])
        for index, value in enumerate(rows[0])
    ]
    body = [
        [
            _p(value, "cell") if index < numeric_from else str(value)
            for index, value in enumerate(row)
        ]
        for row in rows[1:]
    ]
    table = Table([header, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.lightgrey),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _speed_rows(title: str, rows: list[SpeedRow]) -> list[list[object]]:
    header: list[object] = [
        title,
        _("Submitted"),
        _("Completed"),
        _("On time"),
        _("Mean time to completion"),
        _("Returned"),
        _("Handed over"),
    ]
    return [header] + [
        [
            row.name,
            row.activity.submitted,
            row.activity.completed,
            percent(row.activity.on_time),
            worktime(row.activity.lead_mean),
            row.activity.returned,
            row.activity.handed_over,
        ]
        for row in rows
    ]


SPEED_WIDTHS = [WIDTH * 0.31] + [WIDTH * 0.115] * 6


def _speed(report: SpeedReport) -> list[Flowable]:
    total = report.total
    lead = report.lead
    story: list[Flowable] = [_p(_("Service speed"), "h2")]
    summary: list[list[object]] = [
        [_("Figure"), _("Value")],
        [_("Requests submitted"), total.submitted],
        [_("Completed by the Dinas"), total.completed],
        [_("Completed on time"), percent(total.on_time)],
        [_("Mean time from submission to completion"), worktime(total.lead_mean)],
        [
            _("Median time from submission to completion (at most)"),
            within(lead.median, sign=False),
        ],
        [
            _("90th percentile of the time from submission to completion (at most)"),
            within(lead.p90, sign=False),
        ],
        [_("Handed over to residents"), total.handed_over],
        [_("Returned to the village to be fixed"), total.returned],
        [_("Requests returned at least once, of those submitted"), percent(total.return_rate)],
        [_("Rejected"), total.rejected],
        [_("Cancelled after submission"), total.cancelled],
        [_("Open now (kecamatan or Dinas)"), report.now.open],
        [_("Overdue now"), report.now.overdue],
    ]
    story.append(_table(summary, [WIDTH * 0.7, WIDTH * 0.3]))
    story.append(_p(_("Turnaround and time per stage"), "h3"))
    stages: list[list[object]] = [
        [
            _("Measure"),
            _("Count"),
            _("Mean time"),
            _("Median (at most)"),
            _("90th percentile (at most)"),
        ]
    ]
    stages += [
        [
            row.label,
            row.count,
            worktime(row.mean),
            within(row.median, sign=False),
            within(row.p90, sign=False),
        ]
        for row in report.turnaround
    ]
    story.append(
        _table(stages, [WIDTH * 0.4, WIDTH * 0.1, WIDTH * 0.16, WIDTH * 0.17, WIDTH * 0.17])
    )
    story.append(
        _p(
            _(
                "Times are working time: office hours, without weekends, public holidays, cuti "
                "bersama and office closures. The clock stops while a request is back at the "
                "village."
            )
            + " "
            + _(
                "Half of the requests (median) or nine in ten (90th percentile) took at most "
                "the time shown, read from a fixed scale of steps (quarter hours up to an hour, "
                "then half hours, hours, half days, days and weeks)."
            ),
            "small",
        )
    )
    if report.areas:
        story.append(_p(_("By area"), "h3"))
        story.append(_table(_speed_rows(_("Area"), report.areas), SPEED_WIDTHS))
    story.append(_p(_("By service"), "h3"))
    story.append(_table(_speed_rows(_("Service"), report.services), SPEED_WIDTHS))
    return story


def _element_chart(figures: IkmFigures) -> Drawing:
    """Horizontal bars of the nine NRR (scale 1 to 4), drawn as vectors."""
    row, label_width = 14, 60 * mm
    bar_space = WIDTH - label_width - 15 * mm
    drawing = Drawing(WIDTH, row * len(figures.elements) + 6)
    for index, figure in enumerate(figures.elements):
        y = (len(figures.elements) - 1 - index) * row + 4
        label = f"{figure.element.code} {figure.element.name}"
        drawing.add(String(0, y + 2, label[:45], fontName=FONT, fontSize=7.5))
        width = float(figure.nrr) / 4 * bar_space
        drawing.add(Rect(label_width, y, width, row - 4, fillColor=BRAND, strokeColor=None))
        drawing.add(
            String(
                label_width + width + 3, y + 2, decimals(figure.nrr), fontName=FONT, fontSize=7.5
            )
        )
    drawing.add(Line(label_width, 0, label_width, drawing.height, strokeColor=colors.grey))
    return drawing


def _ikm_rows(title: str, rows: list[tuple[str, IkmFigures]]) -> list[list[object]]:
    header: list[object] = [title, _("Responses"), _("IKM"), _("Grade")]
    return [header] + [
        [
            name,
            figures.responses,
            decimals(figures.index),
            f"{figures.grade.letter} {figures.grade.label}" if figures.grade else "-",
        ]
        for name, figures in rows
    ]


IKM_WIDTHS = [WIDTH * 0.5, WIDTH * 0.15, WIDTH * 0.15, WIDTH * 0.2]


def _ikm(report: IkmReport, asked: Period) -> list[Flowable]:
    total = report.total
    story: list[Flowable] = [_p(_("Satisfaction (IKM)"), "h2")]
    if report.period.key != asked.key:
        story.append(
            _p(
                _(
                    "The IKM is counted over whole months: %(months)s. A survey response keeps "
                    "only the month of its hand-over."
                )
                % {"months": report.period.label},
                "small",
            )
        )
    grade = f"{total.grade.letter} ({total.grade.label})" if total.grade else "-"
    summary: list[list[object]] = [
        [_("Figure"), _("Value")],
        [_("IKM (25 to 100)"), decimals(total.index)],
        [_("Grade"), grade],
        [_("Responses"), total.responses],
        [_("People served (requests handed over)"), report.served],
        [_("Responses needed (Krejcie-Morgan)"), report.sample_needed],
        [
            _("Sample reached"),
            _("yes") if report.sample_adequate else _("no"),
        ],
    ]
    story.append(_table(summary, [WIDTH * 0.7, WIDTH * 0.3]))
    story.append(_p(str(SAMPLE_BASIS), "small"))
    if not total.shown:
        story.append(
            _p(
                _("Fewer than %(n)d responses: no index is given for this area and period.")
                % {"n": ikm.MIN_RESPONSES}
            )
        )
    else:
        story.append(_p(_("Per element"), "h3"))
        rows: list[list[object]] = [
            [_("Element"), _("Sum"), _("NRR"), _("NRR x 1/9"), _("NRR x 25"), _("Grade")]
        ]
        rows += [
            [
                f"{e.element.code} {e.element.name}",
                e.total,
                decimals(e.nrr),
                decimals(e.weighted, ikm.NI_PLACES),
                decimals(e.converted),
                e.grade.letter,
            ]
            for e in total.elements
        ]
        assert total.index is not None  # noqa: S101 - shown
        rows.append(
            [
                _("IKM"),
                "",
                "",
                decimals(ikm.ni(total.index), ikm.NI_PLACES),
                decimals(total.index),
                grade,
            ]
        )
        story.append(
            _table(
                rows,
                [WIDTH * 0.42, WIDTH * 0.1, WIDTH * 0.1, WIDTH * 0.12, WIDTH * 0.12, WIDTH * 0.14],
            )
        )
        story.append(Spacer(0, 4))
        story.append(_element_chart(total))
    story.append(
        _p(
            _(
                "IKM = 25 x the sum of (NRR x 1/9) over the nine elements of PermenPAN-RB 14/2017. "
                "Every element weighs exactly 1/9 (not 0.111); the figures are computed exactly "
                "and rounded only for display, the grade from the index as shown. Answers run "
                "from 1 (worst) to 4 (best). No index is given for fewer than %(n)d responses."
            )
            % {"n": ikm.MIN_RESPONSES},
            "small",
        )
    )
    if report.areas:
        story.append(_p(_("By area"), "h3"))
        story.append(
            _table(_ikm_rows(_("Area"), [(r.name, r.figures) for r in report.areas]), IKM_WIDTHS)
        )
    if report.services:
        story.append(_p(_("By service"), "h3"))
        story.append(
            _table(
                _ikm_rows(_("Service"), [(r.name, r.figures) for r in report.services]), IKM_WIDTHS
            )
        )
    if report.comments:
        story.append(_p(_("Residents' comments (the latest)"), "h3"))
        unnamed = _("service not named")
        for comment in report.comments:
            meta = f"{formats.date_format(comment.month, 'F Y')} · {comment.service or unnamed}"
            story.append(KeepTogether([_p(meta, "small"), _p(comment.text), Spacer(0, 3)]))
        if report.more_comments:
            story.append(_p(_("Every comment of the period is in the IKM export (XLSX)."), "small"))
    if report.profile:
        story.append(_p(_("Respondents"), "h3"))
        for field, label, _choices in PROFILE:
            shares: list[list[object]] = [[str(label), _("Responses"), "%"]]
            shares += [[row.label, row.count, percent(row.share)] for row in report.profile[field]]
            story.append(
                KeepTogether(
                    [_table(shares, [WIDTH * 0.5, WIDTH * 0.2, WIDTH * 0.3]), Spacer(0, 4)]
                )
            )
    return story


def _complaints(report: ComplaintsReport, u9: ElementFigure | None) -> list[Flowable]:
    """The complaints beside U9 of the IKM (docs/complaints.md, "Figures")."""
    figures = report.figures
    story: list[Flowable] = [_p(_("Complaints (pengaduan)"), "h2")]
    if u9 is not None:
        story.append(
            _p(
                _("IKM element U9, handling of complaints: NRR %(nrr)s, %(converted)s of 100.")
                % {"nrr": decimals(u9.nrr), "converted": decimals(u9.converted)}
            )
        )
    rows: list[list[object]] = [
        [_("Figure"), _("Value")],
        [_("Complaints filed"), figures.total],
        [
            _("Answered within the target"),
            f"{figures.within_target} / {figures.due} ({percent(figures.within_target_share)})",
        ],
        [
            _("Time to the first answer: median, 90th percentile"),
            f"{worktime(figures.first_answer.median)}; {worktime(figures.first_answer.p90)}",
        ],
        [
            _("Time to closure: median, 90th percentile"),
            f"{worktime(figures.closure.median)}; {worktime(figures.closure.p90)}",
        ],
        [_("Reopened"), f"{figures.reopened} ({percent(figures.reopened_share)})"],
        [
            _("Waiting for an answer now (past the target)"),
            f"{figures.open_now} ({figures.overdue_now})",
        ],
    ]
    story.append(_table(rows, [WIDTH * 0.6, WIDTH * 0.4]))
    for title, groups in (
        (_("By category"), figures.by_category),
        (_("By area"), figures.by_district),
        (_("By service"), figures.by_service),
    ):
        if groups:
            story.append(_p(title, "h3"))
            story.append(_table([[title, _("Complaints")], *groups], [WIDTH * 0.7, WIDTH * 0.3]))
    story.append(
        _p(
            _("Times are working time (office hours, without weekends and holidays)."),
            "small",
        )
    )
    return story


def _corrections(figures: CorrectionFigures) -> list[Flowable]:
    """The Dinas's clerical errors corrected (UU 23/2006 Pasal 71 as amended by UU 24/2013)."""
    rows: list[list[object]] = [
        [_("Figure"), _("Value")],
        [_("Corrections asked for"), figures.opened],
        [_("Corrected documents issued"), figures.completed],
        [_("Corrected within their target"), percent(figures.on_time)],
        [_("Open now"), figures.open_now],
        [_("Overdue now"), figures.overdue_now],
    ]
    return [
        _p(_("The Dinas's clerical errors corrected (pembetulan)"), "h3"),
        _table(rows, [WIDTH * 0.7, WIDTH * 0.3]),
        _p(corrections_note(), "small"),
    ]


def report_pdf(
    scope: Scope,
    speed: SpeedReport,
    satisfaction: IkmReport,
    complaints: ComplaintsReport | None = None,
    *,
    refreshed_at: datetime | None,
    corrections: CorrectionFigures | None = None,
) -> bytes:
    """The report of `speed.period` for the scope's area, as PDF bytes; for the regency with
    the Dinas's own clerical errors corrected (`corrections`), which are in no other figure."""
    period = speed.period
    title = _("Service report, %(period)s") % {"period": period.label}
    made = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")
    as_of = (
        formats.date_format(timezone.localtime(refreshed_at), "DATETIME_FORMAT")
        if refreshed_at
        else "-"
    )
    story: list[Flowable] = [
        _p(dinas_name(), "dinas"),
        _p(title, "title"),
        _p(scope.region.display_name),
        _p(
            _("Made %(made)s; figures as of %(as_of)s.") % {"made": made, "as_of": as_of},
            "small",
        ),
        Spacer(0, 6),
        *_speed(speed),
        *(_corrections(corrections) if corrections is not None else []),
        *_ikm(satisfaction, period),
        *(_complaints(complaints, u9_of(satisfaction)) if complaints is not None else []),
    ]

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, f"{title} · {scope.region.display_name}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{title} - {scope.region.display_name}",
        author=dinas_name(),
        creator="paradewi",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
