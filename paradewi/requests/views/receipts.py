from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paradewi.accounts.access import request_actor, role_required
from paradewi.accounts.policy import REQUEST_MAKERS
from paradewi.requests.access_log import Action, access_record
from paradewi.requests.receipts import LAYOUTS, receipt_filename, receipt_pdf
from paradewi.requests.selectors import get_request_for_user
from paradewi.requests.tracking import make_token


@require_GET
@never_cache
@role_required(*REQUEST_MAKERS)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt PDF of a submitted request, printed by its village or kecamatan.

    `?layout=thermal` gives a 58 mm strip for a thermal printer; anything else gives A4.
    The PDF holds the PIN, so it is never cached.
    """
    actor = request_actor(request)
    service_request = get_request_for_user(actor, pk)
    if service_request.number is None:
        raise Http404
    access_record(
        request=request,
        actor=actor,
        action=Action.RECEIPT_DOWNLOADED,
        service_request=service_request,
    )
    layout = request.GET.get("layout", "a4")
    pdf = receipt_pdf(
        service_request,
        layout=layout if layout in LAYOUTS else "a4",
        tracking_url=request.build_absolute_uri(reverse("track")),
        token_url=request.build_absolute_uri(
            reverse("track_token", args=[make_token(service_request)])
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{receipt_filename(service_request)}"'
    return response
