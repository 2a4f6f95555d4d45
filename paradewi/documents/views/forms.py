"""The official forms (F-1.01 ... F-2.04) of a request, pre-filled from its data, as PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.policy import HANDLING_ROLES
from paradewi.core.practice_pdf import stamp_practice
from paradewi.core.signing import sign_pdf
from paradewi.documents.official_forms import (
    form_filename,
    form_from_slug,
    forms_of,
    official_form_pdf,
)
from paradewi.regions.selectors import signing_location
from paradewi.requests.access_log import Action, access_record
from paradewi.requests.selectors import get_request_for_user


@require_GET
@never_cache
@role_required(*HANDLING_ROLES)
def official_form(request: HttpRequest, pk: int, form_code: str) -> HttpResponse:
    """The form `form_code` (a slug such as f-1-01) filled from the request, inline.

    For those who handle the request in their area (village, kecamatan, Dinas); a form the
    request's service does not ask for is a 404, as is a request outside the user's area. The
    PDF holds personal data, so it is never cached.
    """
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    form = form_from_slug(form_code)
    if form is None or form not in forms_of(service_request):
        raise Http404
    access_record(
        request=request,
        actor=actor,
        action=Action.FORM_DOWNLOADED,
        service_request=service_request,
        object_id=form.code,
    )
    if service_request.is_practice:
        pdf = stamp_practice(official_form_pdf(service_request, form))
    else:
        pdf = sign_pdf(
            official_form_pdf(service_request, form),
            reason=f"Formulir {form.code} diisi oleh sistem paradewi dari data permohonan",
            location=signing_location(),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{form_filename(service_request, form)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
