"""Where a resident answers the survey for a handed-over request (used by notifications).

The link carries a signed token, like the receipt's QR code, but under its own salt: it opens
the survey of one request and nothing else (not its status page). The request's PIN is part of
the salt, as for tracking tokens, so a token cannot be made for a number alone.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tracking import normalise_number
from paradewi.surveys.services import SurveyState, survey_state

SIGNING_SALT = "paradewi.surveys.link"


def _signer(pin: str) -> signing.Signer:
    return signing.Signer(salt=f"{SIGNING_SALT}:{pin}")


def make_survey_token(service_request: ServiceRequest) -> str:
    if not service_request.number or not service_request.pin:
        raise ValueError("Only a submitted request has a survey token.")
    return _signer(service_request.pin).sign(service_request.number)


def request_for_survey_token(token: str) -> ServiceRequest | None:
    """The handed-over request the token was made for; None for anything invalid."""
    number, _sep, _signature = token.rpartition(":")
    if not number or normalise_number(number) != number:
        return None
    found = ServiceRequest.objects.filter(number=number, status=Status.HANDED_OVER).first()
    if found is None or not found.pin:
        return None
    try:
        _signer(found.pin).unsign(token)
    except signing.BadSignature:
        return None
    return found


def answer_path(service_request: ServiceRequest) -> str:
    """The path of the request's survey page, whether or not it can be answered now."""
    return reverse("survey_answer", args=[make_survey_token(service_request)])


def survey_path(service_request: ServiceRequest) -> str | None:
    """The survey page's path for this request, or None when it cannot (or can no longer)
    be answered: not handed over, already answered, or handed over too long ago."""
    if survey_state(service_request) is not SurveyState.OPEN:
        return None
    return answer_path(service_request)
