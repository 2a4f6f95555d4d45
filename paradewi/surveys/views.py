"""The survey pages: the resident's own link, and the kiosk on the officer's device.

Both show the same questionnaire in a page without the site's navigation. The kiosk is opened
by a logged-in officer for a handed-over request in their area and ends on a "hand the device
back" page that shows nothing of the officer's work. Nothing here is cached: the back button
must not bring an answered form (or an officer's page) back from the browser's cache.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from paradewi.accounts.access import role_required
from paradewi.accounts.policy import HANDLING_ROLES
from paradewi.requests.models import ServiceRequest
from paradewi.requests.selectors import get_request_for_user
from paradewi.surveys.forms import SurveyForm
from paradewi.surveys.links import request_for_survey_token
from paradewi.surveys.models import COMMENT_MAX_LENGTH, Channel
from paradewi.surveys.services import (
    SurveyError,
    SurveyState,
    refusal,
    response_submit,
    survey_state,
)


def _page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _survey(
    request: HttpRequest, service_request: ServiceRequest, *, channel: Channel, done: str
) -> HttpResponse:
    """The questionnaire for one request: shown, answered once, or refused with the reason."""
    kiosk = channel == Channel.KIOSK
    state = survey_state(service_request)
    refused = 409 if request.method == "POST" else 200
    if state is not SurveyState.OPEN:
        return _page(
            request, "surveys/refused.html", {"message": refusal(state), "kiosk": kiosk}, refused
        )
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response_submit(
                service_request=service_request,
                answers=form.answers(),
                profile=form.profile(),
                channel=channel,
                comment=form.comment(),
            )
        except SurveyError as error:
            return _page(
                request, "surveys/refused.html", {"message": str(error), "kiosk": kiosk}, refused
            )
        return redirect(done)
    context = {
        "form": form,
        "kiosk": kiosk,
        "service_name": service_request.definition["name"],
        "village": service_request.village.display_name,
        "comment_max_length": COMMENT_MAX_LENGTH,
    }
    return _page(request, "surveys/answer.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The survey a resident opens from the invitation link (no login)."""
    service_request = request_for_survey_token(token)
    if service_request is None:
        raise Http404
    return _survey(request, service_request, channel=Channel.LINK, done=reverse("survey_thanks"))


@never_cache
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, "surveys/thanks.html", {"kiosk": False})


@never_cache
@role_required(*HANDLING_ROLES)
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, pk: int) -> HttpResponse:
    """The survey on the officer's device, for a handed-over request in their area."""
    service_request = get_request_for_user(request.user, pk)
    done = reverse("survey_kiosk_done", args=[service_request.pk])
    return _survey(request, service_request, channel=Channel.KIOSK, done=done)


@never_cache
@role_required(*HANDLING_ROLES)
@require_GET
def kiosk_done(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Thank you, hand the device back": no navigation, no data, one way back for the officer."""
    service_request = get_request_for_user(request.user, pk)
    return _page(request, "surveys/thanks.html", {"kiosk": True, "req": service_request})
