"""The printed service standard: public, like the page it prints (`catalogue.views`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from paradewi.catalogue.selectors import published_standard
from paradewi.documents.standard import standard_filename, standard_pdf


@require_GET
def service_standard_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The A4 PDF of one service's standar pelayanan and the maklumat, to print for the wall."""
    standard = published_standard(code)
    response = HttpResponse(standard_pdf(standard), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{standard_filename(standard)}"'
    return response
