"""Writes and rules of the IKM survey: who may answer for which request, and recording it.

A request can be rated once, by its resident, after the document or card was handed over and
for SURVEY_OPEN_DAYS days after that. The response itself is anonymous (see SurveyResponse);
the request is only used here, to check the rule and to note that it has been rated.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from paradewi.core.masking import mask_long_numbers
from paradewi.requests.models import ServiceRequest, Status
from paradewi.surveys.models import Channel, SurveyResponse, SurveyTicket
from paradewi.surveys.questionnaire import ELEMENT_FIELDS, PROFILE

# Called after the commit of every survey response; the apps that show the answers (the
# reports, whose dashboards then refresh sooner) subscribe from their AppConfig.ready().
_answered_subscribers: list[Callable[[], None]] = []


def subscribe_answered(callback: Callable[[], None]) -> None:
    if callback not in _answered_subscribers:
        _answered_subscribers.append(callback)


# How long after the hand-over a resident may still answer: the experience is fresh, and an
# old invitation does not stay valid for ever.
SURVEY_OPEN_DAYS = 30

_TICKET_SALT = "paradewi.surveys.ticket"

# Control characters (but tab and newline) mean nothing in a comment, and some cannot be
# written to a spreadsheet at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class SurveyError(Exception):
    """The survey cannot be answered for this request; the message says why."""


class AlreadyAnsweredError(SurveyError):
    pass


class SurveyClosedError(SurveyError):
    pass


class SurveyState(enum.Enum):
    NOT_YET = "not_yet"  # not handed over (yet), or never will be (a clerical correction)
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"  # handed over more than SURVEY_OPEN_DAYS ago


def _ticket(service_request: ServiceRequest, secret: str) -> str:
    digest = salted_hmac(_TICKET_SALT, str(service_request.pk), secret=secret, algorithm="sha256")
    return digest.hexdigest()


def tickets(service_request: ServiceRequest) -> list[str]:
    """The request's ticket under the current secret key and every fallback key, so that
    rotating SECRET_KEY (with the old one in SECRET_KEY_FALLBACKS) opens no second response."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [_ticket(service_request, secret) for secret in secrets]


def survey_state(service_request: ServiceRequest) -> SurveyState:
    """Where the request stands for the survey (one query, only for handed-over requests).
    A practice request never opens it: its answers would enter the IKM."""
    # A correction of the Dinas's clerical error is no new service to rate: the resident
    # rated (or may rate) the request it corrects.
    if (
        service_request.status != Status.HANDED_OVER
        or service_request.is_practice
        or service_request.is_clerical_correction
    ):
        return SurveyState.NOT_YET
    if SurveyTicket.objects.filter(ticket__in=tickets(service_request)).exists():
        return SurveyState.ANSWERED
    # A handed-over request never changes again: its last status change is the hand-over.
    closes = service_request.status_changed_at + timedelta(days=SURVEY_OPEN_DAYS)
    if timezone.now() >= closes:
        return SurveyState.CLOSED
    return SurveyState.OPEN


def refusal(state: SurveyState) -> str:
    """What to tell the person who tries to answer in `state`."""
    if state is SurveyState.ANSWERED:
        return _("The survey for this request has already been answered. Thank you!")
    if state is SurveyState.CLOSED:
        return _(
            "The survey for this request is closed: it can be answered up to %(days)d days "
            "after the document was handed over."
        ) % {"days": SURVEY_OPEN_DAYS}
    return _("The survey opens once the document has been handed over.")


def comment_clean(text: str) -> str:
    """A resident's comment as it is stored: control characters dropped, line ends made
    plain, long numbers (phone, NIK, registration number) replaced by ***, and no blank
    lines around it. Names cannot be told from other words; the reports limit who reads it."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return mask_long_numbers(text).strip()


@transaction.atomic
def response_submit(
    *,
    service_request: ServiceRequest,
    answers: Mapping[str, int],
    profile: Mapping[str, str],
    channel: Channel,
    comment: str = "",
) -> SurveyResponse:
    """Record the resident's answers for a handed-over request, once.

    `answers` maps u1..u9 to 1..4, `profile` holds sex, age_band, education and occupation,
    `comment` the optional free text (cleaned by `comment_clean`, at most 1000 characters).
    Raises AlreadyAnsweredError for a second response (also when two arrive at once: the
    ticket's primary key lets exactly one in) and SurveyClosedError when the request cannot
    be rated; ValidationError for answers out of range.
    """
    state = survey_state(service_request)
    if state is SurveyState.ANSWERED:
        raise AlreadyAnsweredError(refusal(state))
    if state is not SurveyState.OPEN:
        raise SurveyClosedError(refusal(state))
    # The month of the hand-over, not of the answer: the sample check compares the responses
    # with the people served (handed over) in a period, so both count one cohort.
    handed_over = timezone.localtime(service_request.status_changed_at).date()
    response = SurveyResponse(
        month=handed_over.replace(day=1),
        service_id=service_request.service_id,
        village_id=service_request.village_id,
        district_id=service_request.district_id,
        channel=channel,
        **{field: answers[field] for field in ELEMENT_FIELDS},
        **{field: profile[field] for field, _label, _choices in PROFILE},
        comment=comment_clean(comment),
    )
    # The choices, the 1..4 range and the comment's length; the foreign keys come from the
    # request itself, and the database checks the range again (constraints), so no extra
    # queries here.
    response.full_clean(
        exclude=["service", "village", "district"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            SurveyTicket.objects.create(ticket=tickets(service_request)[0])
    except IntegrityError:
        raise AlreadyAnsweredError(refusal(SurveyState.ANSWERED)) from None
    response.save(force_insert=True)
    for callback in _answered_subscribers:
        transaction.on_commit(callback)
    return response
