"""Invented scans and issued documents for the demo, clearly marked as specimens."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from paradewi.core.signing import sign_pdf


def scan_jpeg(title: str) -> SimpleUploadedFile:
    """A phone photo of a paper document, as small as a compressed upload."""
    image = Image.new("RGB", (900, 1270), (246, 244, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 1230), outline=(60, 60, 60), width=4)
    draw.text((80, 90), "CONTOH / SPECIMEN", fill=(180, 0, 0))
    draw.text((80, 140), title[:60], fill=(20, 20, 20))
    for line in range(20):
        y = 220 + line * 45
        draw.line((80, y, 820, y), fill=(200, 200, 200), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile("scan.jpg", buffer.getvalue(), content_type="image/jpeg")


def issued_pdf(title: str, number: str) -> SimpleUploadedFile:
    """A finished document as the Dinas would upload it: a specimen, signed with the demo's
    signing key (`make_signing_key`) as the Dinas's TTE would sign it, so its electronic
    signature shows as intact; unsigned where no key is configured."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    pdf.setTitle(f"{title} {number}")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawCentredString(width / 2, height - 90, title.upper())
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, height - 110, f"Nomor permohonan {number}")
    pdf.setFont("Helvetica-Bold", 40)
    pdf.setFillColorRGB(0.8, 0.1, 0.1)
    pdf.drawCentredString(width / 2, height / 2, "CONTOH / SPECIMEN")
    pdf.showPage()
    pdf.save()
    data = sign_pdf(buffer.getvalue(), reason=f"{title} {number}", location="paradewi demo")
    return SimpleUploadedFile("document.pdf", data, content_type="application/pdf")
