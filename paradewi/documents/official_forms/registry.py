"""The registry of the forms (code, official title, builder) and the PDF of one form filled
from a request."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from paradewi.documents.official_forms.f101 import build_f101
from paradewi.documents.official_forms.f102 import build_f102
from paradewi.documents.official_forms.f103 import build_f103
from paradewi.documents.official_forms.f106 import build_f106
from paradewi.documents.official_forms.f201 import build_f201
from paradewi.documents.official_forms.f203 import build_f203
from paradewi.documents.official_forms.f204 import build_f204
from paradewi.documents.official_forms.sheet import (
    BODY_WIDTH,
    BOLD,
    CODE_HEIGHT,
    CODE_TOP,
    FONT,
    FRAME_TOP,
    MARGIN,
    FormData,
    Sheet,
    tanggal,
)
from paradewi.requests.models import ServiceRequest


@dataclass(frozen=True)
class OfficialForm:
    code: str
    title: str  # the official title (Permendagri 109/2019)
    build: Callable[[Sheet], None]

    @property
    def slug(self) -> str:
        return form_slug(self.code)


FORMS: dict[str, OfficialForm] = {
    form.code: form
    for form in (
        OfficialForm("F-1.01", "Formulir Biodata Keluarga", build_f101),
        OfficialForm("F-1.02", "Formulir Pendaftaran Peristiwa Kependudukan", build_f102),
        OfficialForm("F-1.03", "Formulir Pendaftaran Perpindahan Penduduk", build_f103),
        OfficialForm("F-1.06", "Surat Pernyataan Perubahan Elemen Data Kependudukan", build_f106),
        OfficialForm(
            "F-2.01",
            "Formulir Pelaporan Pencatatan Sipil di Dalam Wilayah NKRI",
            build_f201,
        ),
        OfficialForm(
            "F-2.03", "Surat Pernyataan Tanggung Jawab Mutlak Kebenaran Data Kelahiran", build_f203
        ),
        OfficialForm(
            "F-2.04",
            "Surat Pernyataan Tanggung Jawab Mutlak Kebenaran sebagai Pasangan Suami Istri",
            build_f204,
        ),
    )
}


def form_slug(code: str) -> str:
    """The form code as a URL part: "F-1.01" -> "f-1-01"."""
    return code.lower().replace(".", "-")


def form_from_slug(slug: str) -> OfficialForm | None:
    return next((form for form in FORMS.values() if form.slug == slug), None)


def forms_of(request: ServiceRequest) -> list[OfficialForm]:
    """The forms with a builder that the request's service version asks for, in its order."""
    codes = [item.get("form_code") for item in request.definition.get("requirements", [])]
    found = [FORMS[code] for code in codes if code in FORMS]
    return list(dict.fromkeys(found))


def form_filename(request: ServiceRequest, form: OfficialForm) -> str:
    # Numbers hold digits and dashes only, so the name is safe in a Content-Disposition header.
    prefix = request.number or f"draf-{request.pk}"
    return f"{prefix}-{form.code}.pdf"


def _footer(data: FormData, form: OfficialForm) -> Callable[[Canvas, BaseDocTemplate], None]:
    made = f"Dibuat oleh sistem paradewi, {data.regency_name or 'paradewi'}, {tanggal(data.today)}"
    number = data.request.number or ""

    def draw(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.saveState()
        width, height = A4
        # The form code at the top right, boxed, on every page.
        canvas.setFont(BOLD, 11)
        code_width = canvas.stringWidth(form.code, BOLD, 11) + 6 * mm
        bottom = height - CODE_TOP - CODE_HEIGHT
        canvas.setLineWidth(0.8)
        canvas.rect(width - MARGIN - code_width, bottom, code_width, CODE_HEIGHT)
        canvas.drawCentredString(width - MARGIN - code_width / 2, bottom + 2.3 * mm, form.code)
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.grey)
        footer = made + (f" \u00b7 Permohonan {number}" if number else "")
        canvas.drawString(MARGIN, MARGIN - 8 * mm, footer)
        canvas.drawRightString(width - MARGIN, MARGIN - 8 * mm, f"Halaman {document.page}")
        canvas.restoreState()

    return draw


def official_form_pdf(
    request: ServiceRequest, form: OfficialForm, *, today: date | None = None
) -> bytes:
    """The form filled from the request, as the bytes of an A4 PDF (unsigned)."""
    data = FormData.of(request, today)
    sheet = Sheet(data)
    form.build(sheet)
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=FRAME_TOP,
        bottomMargin=MARGIN,
        # No personal data in the metadata: only the form and the request number.
        title=f"{form.code} {form.title} {request.number or ''}".strip(),
        author=f"paradewi {data.regency_name}".strip(),
        subject=form.title,
        creator="paradewi",
    )
    frame = Frame(
        MARGIN,
        MARGIN,
        BODY_WIDTH,
        A4[1] - FRAME_TOP - MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    footer = _footer(data, form)
    document.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=footer)])
    document.build(sheet.story)
    return buffer.getvalue()
