"""The verification slip: a small PDF the village prints and staples to an issued document.

It carries the QR code that opens the document's public verification page, the code in
groups of four (for typing it at /verify/), the type and number of the document and the
address of the page as text. Two layouts, like the receipt (`requests/receipts.py`, whose
QR drawing, styles, text escaping and page building are reused): A6 for an office printer
and a 58 mm strip for a thermal printer.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from paradewi.documents.models import OutputFile
from paradewi.documents.verification import (
    VerificationResult,
    verification_result,
    verification_url,
)
from paradewi.requests.receipts import (
    LAYOUTS as RECEIPT_LAYOUTS,
)
from paradewi.requests.receipts import (
    Layout,
    QrCode,
    _styles,
    _text,
    build_pdf,
    dinas_name,
)

LAYOUTS = {
    "a6": Layout(
        width=A6[0],
        margin=8 * mm,
        text_size=9,
        title_size=12,
        number_size=13,
        qr_size=40 * mm,
        fit_height=False,
    ),
    "thermal": RECEIPT_LAYOUTS["thermal"],
}


def _story(result: VerificationResult, layout: Layout, url: str) -> list[Flowable]:
    styles = _styles(layout)
    number_label = _("Registration number") if result.number_is_reference else _("Number")
    form_url = f"{settings.SITE_URL}{reverse('verify')}"
    story: list[Flowable] = [
        Paragraph(_text(dinas_name()), styles["dinas"]),
        Paragraph(_text(_("Document verification")), styles["title"]),
        Paragraph(_text(result.document_type), styles["dinas"]),
        Spacer(0, layout.text_size * 0.5),
        Paragraph(_text(number_label), styles["label"]),
        Paragraph(_text(result.document_number), styles["number"]),
        QrCode(url, layout.qr_size),
        Paragraph(_text(_("Scan to check this document")), styles["dinas"]),
        Spacer(0, layout.text_size * 0.5),
        Paragraph(_text(_("Verification code")), styles["label"]),
        Paragraph(_text(result.display_code), styles["number"]),
        Paragraph(
            _text(
                _("Without a QR reader: open %(site)s and type the code. Address of this check:")
                % {"site": form_url.split("://", 1)[-1]}
            ),
            styles["center"],
        ),
        Paragraph(_text(url), styles["label"]),
    ]
    return story


def slip_pdf(output: OutputFile, *, layout: str = "a6") -> bytes:
    """The slip of an issued document as PDF bytes, in the deployment's language."""
    spec = LAYOUTS[layout]
    with translation.override(settings.LANGUAGE_CODE):
        result = verification_result(output)
        url = verification_url(output.verification_code)
        return build_pdf(
            _story(result, spec, url),
            spec,
            page_height=A6[1],
            title=f"{_('Document verification')} {result.display_code}",
        )


def slip_filename(output: OutputFile) -> str:
    # The code holds only capitals and digits: safe in a Content-Disposition header.
    return f"verifikasi-{output.verification_code}.pdf"
