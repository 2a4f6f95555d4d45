"""Survey entries on pages other apps own: the request detail (kiosk) and the public status."""

from __future__ import annotations

from typing import Any

from django import template

from paradewi.accounts.access import active_user
from paradewi.accounts.policy import HANDLING_ROLES
from paradewi.requests.models import ServiceRequest, Status
from paradewi.requests.tracking import PublicStatus
from paradewi.surveys.links import answer_path
from paradewi.surveys.services import SURVEY_OPEN_DAYS, SurveyState, survey_state

register = template.Library()


@register.inclusion_tag("surveys/_kiosk_entry.html", takes_context=True)
def survey_kiosk_entry(context: template.Context, req: ServiceRequest) -> dict[str, Any]:
    """On a handed-over request's detail page: open the survey on this device (kiosk), or say
    that it was answered or has closed. One query, and only for handed-over requests."""
    actor = active_user(context["user"])
    if req.status != Status.HANDED_OVER or actor is None or actor.role not in HANDLING_ROLES:
        return {"state": None}
    return {"req": req, "state": survey_state(req).value, "days": SURVEY_OPEN_DAYS}


@register.inclusion_tag("surveys/_status_invitation.html")
def survey_invitation(status: PublicStatus) -> dict[str, Any]:
    """On the resident's status page (shown only after the PIN or the receipt's token): the
    link to the survey while it can be answered."""
    if status.status != Status.HANDED_OVER:
        return {"path": None}
    found = ServiceRequest.objects.filter(number=status.number).first()
    state = survey_state(found) if found is not None else SurveyState.NOT_YET
    return {
        "path": answer_path(found) if found is not None and state is SurveyState.OPEN else None,
        "answered": state is SurveyState.ANSWERED,
    }
