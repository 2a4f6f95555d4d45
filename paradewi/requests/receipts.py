"""The receipt (bukti pengajuan) a resident takes home: number, PIN and a QR code to follow it.

Two layouts: A4 for an office printer, and a 58 mm strip for the small thermal printers many
village offices use (48 mm printable, the page as long as its content). Only ReportLab's
built-in fonts are used, so nothing is downloaded; the QR code is drawn as vector squares, so
it stays sharp at any printer resolution. Every text from the database goes through `_text()`
before it reaches Paragraph markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from paradewi.catalogue.models import target_display
from paradewi.core.masking import mask_name
from paradewi.core.practice_pdf import stamp_practice
from paradewi.core.signing import sign_pdf
from paradewi.regions.selectors import deployed_regency, signing_location
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tracking import group_number

FONT = "Helvetica"
BOLD = "Helvetica-Bold"


@dataclass(frozen=True)
class Layout:
    width: float
    margin: float
    text_size: float
    title_size: float
    number_size: float
    qr_size: float
    # A thermal strip is cut after the content: the page is exactly as tall as needed.
    fit_height: bool


LAYOUTS = {
    "a4": Layout(
        width=A4[0],
        margin=20 * mm,
        text_size=11,
        title_size=16,
        number_size=22,
        qr_size=50 * mm,
        fit_height=False,
    ),
    "thermal": Layout(
        width=58 * mm,
        margin=5 * mm,  # 48 mm printable, the common 384-dot print head
        text_size=8,
        title_size=10,
        number_size=11,
        qr_size=40 * mm,
        fit_height=True,
    ),
}


def dinas_name() -> str:
    regency = deployed_regency()
    name = "Dinas Kependudukan dan Pencatatan Sipil"
    return f"{name} {regency.name}" if regency is not None else name


def _text(value: object) -> str:
    """Plain text made inert for Paragraph markup ("<b>" and "&" print as themselves)."""
    return escape(str(value))


def _when(value: datetime | None) -> str:
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname() or ''}".strip()


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code drawn as filled squares (one path), with the standard 4-module quiet zone."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.rows = [list(row) for row in segno.make_qr(data, error="m").matrix_iter(border=4)]
        self.size = size
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.rows)
        module = self.size / count
        path = self.canv.beginPath()
        for y, row in enumerate(self.rows):
            bottom = (count - 1 - y) * module
            x = 0
            while x < count:
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < count and row[x]:
                    x += 1
                path.rect(start * module, bottom, (x - start) * module, module)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _styles(layout: Layout) -> dict[str, ParagraphStyle]:
    size = layout.text_size
    base = ParagraphStyle("text", fontName=FONT, fontSize=size, leading=size * 1.25)
    return {
        "text": base,
        "small": ParagraphStyle(
            "small",
            parent=base,
            fontSize=size * 0.85,
            leading=size * 1.1,
            textColor=colors.grey,
            spaceBefore=size * 0.3,
        ),
        "dinas": ParagraphStyle("dinas", parent=base, fontName=BOLD, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=BOLD,
            fontSize=layout.title_size,
            leading=layout.title_size * 1.25,
            alignment=TA_CENTER,
            spaceBefore=size,
            spaceAfter=size,
        ),
        "label": ParagraphStyle(
            "label", parent=base, fontSize=size * 0.85, leading=size * 1.1, alignment=TA_CENTER
        ),
        "number": ParagraphStyle(
            "number",
            parent=base,
            fontName=BOLD,
            fontSize=layout.number_size,
            leading=layout.number_size * 1.2,
            alignment=TA_CENTER,
            spaceAfter=size * 0.6,
        ),
        "value": ParagraphStyle("value", parent=base, fontName=BOLD),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
    }


def _fields(request: ServiceRequest) -> list[tuple[str, str]]:
    target = request.definition["target"]
    return [
        (_("Service"), request.definition["name"]),
        (
            _("Village"),
            f"{request.village.display_name}, {request.district.display_name}",
        ),
        (_("Name"), mask_name(request.subject_name)),
        (_("Submitted"), _when(request.submitted_at)),
        (_("Target time"), target_display(target["amount"], target["unit"])),
        (_("Expected by"), _when(request.due_at)),
    ]


def _story(
    request: ServiceRequest, layout: Layout, *, tracking_url: str, token_url: str
) -> list[Flowable]:
    assert request.number is not None  # noqa: S101 - only submitted requests have a receipt
    styles = _styles(layout)
    site = tracking_url.split("://", 1)[-1]
    story: list[Flowable] = [
        Paragraph(_text(dinas_name()), styles["dinas"]),
        Paragraph(_text(_("Request submission receipt")), styles["title"]),
        Paragraph(_text(_("Registration number")), styles["label"]),
        Paragraph(
            _text(request.number if request.is_practice else group_number(request.number)),
            styles["number"],
        ),
        Paragraph(_text(_("PIN")), styles["label"]),
        Paragraph(_text(request.pin), styles["number"]),
    ]
    fields = _fields(request)
    if layout.fit_height:
        for label, value in fields:
            story.append(Paragraph(_text(label), styles["small"]))
            story.append(Paragraph(_text(value), styles["value"]))
    else:
        table = Table(
            [
                [Paragraph(_text(label), styles["text"]), Paragraph(_text(value), styles["value"])]
                for label, value in fields
            ],
            colWidths=[45 * mm, layout.width - 2 * layout.margin - 45 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.lightgrey),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(table)
    if request.is_practice:
        # No QR code and no tracking address: a practice request is never tracked.
        story += [
            Spacer(0, layout.text_size),
            Paragraph(
                _text(
                    _("Practice (training mode): this request is not real and cannot be tracked.")
                ),
                styles["center"],
            ),
        ]
        return story
    story += [
        Spacer(0, layout.text_size),
        QrCode(token_url, layout.qr_size),
        Spacer(0, layout.text_size * 0.5),
        Paragraph(
            _text(
                _(
                    "Scan the QR code to see the status of this request, or open %(site)s "
                    "and enter the number %(number)s and the PIN."
                )
                % {"site": site, "number": request.number}
            ),
            styles["center"],
        ),
        Spacer(0, layout.text_size * 0.5),
        Paragraph(
            _text(
                _(
                    "Keep this receipt. Anyone with the number and the PIN can see the status "
                    "of this request."
                )
            ),
            styles["small"],
        ),
    ]
    return story


def _content_height(story: list[Flowable], width: float) -> float:
    height = 0.0
    for flowable in story:
        _width, flowable_height = flowable.wrap(width, 10_000)
        height += flowable_height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height


def receipt_pdf(
    request: ServiceRequest, *, layout: str = "a4", tracking_url: str, token_url: str
) -> bytes:
    """The receipt of a submitted request as PDF bytes.

    `tracking_url` is the absolute address of the public tracking form (printed for people
    without a QR reader), `token_url` the signed link the QR code opens. The receipt is for
    the resident, so it speaks the deployment's language whatever the officer's screen does.
    """
    with translation.override(settings.LANGUAGE_CODE):
        pdf = _build(request, LAYOUTS[layout], tracking_url=tracking_url, token_url=token_url)
        if request.is_practice:
            # "LATIHAN - TIDAK SAH" across it, and never signed (docs/training.md).
            return stamp_practice(pdf)
        # Signed (PAdES) when a signing key is configured: a reader shows the Dinas made it.
        return sign_pdf(
            pdf,
            reason=_("Receipt of request %(number)s") % {"number": request.number},
            location=signing_location(),
        )


def _build(request: ServiceRequest, spec: Layout, *, tracking_url: str, token_url: str) -> bytes:
    story = _story(request, spec, tracking_url=tracking_url, token_url=token_url)
    return build_pdf(
        story,
        spec,
        page_height=A4[1],
        title=f"{_('Request submission receipt')} {request.number}",
    )


def build_pdf(story: list[Flowable], spec: Layout, *, page_height: float, title: str) -> bytes:
    """`story` on one page of `spec`'s width: as tall as the content for a strip, else
    `page_height`. Shared by the receipt and the verification slip."""
    body_width = spec.width - 2 * spec.margin
    if spec.fit_height:
        # A little slack so rounding never pushes the last line onto a second page.
        height = _content_height(story, body_width) + 2 * spec.margin + 4 * mm
    else:
        height = page_height
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=(spec.width, height),
        leftMargin=spec.margin,
        rightMargin=spec.margin,
        topMargin=spec.margin,
        bottomMargin=spec.margin,
        title=title,
        author=dinas_name(),
        creator="paradewi",
    )
    frame = Frame(
        spec.margin,
        spec.margin,
        body_width,
        height - 2 * spec.margin,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    document.build(story)
    return buffer.getvalue()


def receipt_filename(request: ServiceRequest) -> str:
    # The number holds only digits and dashes: safe in a Content-Disposition header.
    return f"bukti-pengajuan-{request.number}.pdf"
