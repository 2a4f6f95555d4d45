"""The mark of a practice PDF: "LATIHAN - TIDAK SAH" across every page (docs/training.md).

Every PDF of a practice request (its receipt, the official forms filled from it, its sample
result and any document a clerk in training uploads to it) is served through `stamp_practice`,
so no printed page of a practice can pass for a real one. Stamped PDFs are never signed: a
signature would vouch for a document that is not one.
"""

from __future__ import annotations

import io
import math

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

MARK = "LATIHAN - TIDAK SAH"
_RED = Color(0.75, 0.05, 0.05, alpha=0.28)
_BAND = Color(0.75, 0.05, 0.05, alpha=1)


def _overlay(width: float, height: float) -> PdfReader:
    """One page of `width` x `height` points: the mark diagonally across it, and a band along
    its top edge (legible on a 58 mm thermal strip too)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    diagonal = (width**2 + height**2) ** 0.5
    size = max(10.0, min(72.0, diagonal / (0.62 * len(MARK))))
    canvas.saveState()
    canvas.setFillColor(_RED)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(_angle(width, height))
    canvas.setFont("Helvetica-Bold", size)
    canvas.drawCentredString(0, -size / 3, MARK)
    canvas.restoreState()
    band = max(7.0, min(11.0, width / 30))
    canvas.setFillColor(_BAND)
    canvas.setFont("Helvetica-Bold", band)
    canvas.drawCentredString(width / 2, height - band - 2, MARK)
    canvas.drawCentredString(width / 2, 3, MARK)
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return PdfReader(buffer)


def _angle(width: float, height: float) -> float:
    return math.degrees(math.atan2(height, width))


def stamp_practice(pdf: bytes) -> bytes:
    """`pdf` with the practice mark drawn over every page."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    for page in writer.pages:
        box = page.mediabox
        overlay = _overlay(float(box.width), float(box.height)).pages[0]
        page.merge_page(overlay)
    writer.add_metadata({"/Title": MARK, "/Subject": MARK})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def is_stamped(pdf: bytes) -> bool:
    """Whether every page of `pdf` carries the mark in its text (for the tests and checks)."""
    reader = PdfReader(io.BytesIO(pdf))
    return bool(reader.pages) and all(MARK in (page.extract_text() or "") for page in reader.pages)
