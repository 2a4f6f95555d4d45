"""The sample result a scenario completes a practice request with: an A4 page that names the
document, the practice number and the invented resident, and says it is no document. The
practice mark ("LATIHAN - TIDAK SAH") is drawn over it when it is served, as over every PDF
of a practice request (core/practice_pdf.py)."""

from __future__ import annotations

import io

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from paradewi.requests.models import ServiceRequest


def sample_result_pdf(request: ServiceRequest, *, output_name: str) -> bytes:
    buffer = io.BytesIO()
    width, height = A4
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"CONTOH {output_name} - LATIHAN")
    canvas.setAuthor("paradewi (latihan)")
    canvas.setLineWidth(2)
    canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawCentredString(width / 2, height - 45 * mm, f"CONTOH: {output_name.upper()}")
    canvas.setFont("Helvetica", 12)
    lines = [
        f"Nomor permohonan latihan: {request.number or '-'}",
        f"Nama (rekaan): {request.subject_name or '-'}",
        f"Layanan: {request.service_version.definition.get('name', '')}",
        f"Dibuat: {timezone.localtime().strftime('%d-%m-%Y %H:%M')}",
        "",
        "Dokumen ini dibuat oleh skenario latihan paradewi.",
        "Bukan dokumen kependudukan. Tidak sah untuk keperluan apa pun.",
        "This is a training sample, not a population document.",
    ]
    y = height - 70 * mm
    for line in lines:
        canvas.drawString(30 * mm, y, line)
        y -= 8 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
