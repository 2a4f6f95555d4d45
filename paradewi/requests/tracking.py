"""What a resident sees of their request, without logging in (docs/design.md, "People and
roles" and "The request and its workflow").

A resident follows a request with its registration number and PIN (both on the receipt), or by
scanning the receipt's QR code, which carries a signed token instead of the PIN. Wrong PINs are
rate-limited per number and per client address in the shared cache, so guessing the six digits
is hopeless even across many app servers.

The resident sees only `PublicStatus`: the masked name, the steps and the reasons they need
(what to fix or bring, why it was rejected), never NIK, KK, phone, files or who handled it.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from paradewi.catalogue.models import target_display
from paradewi.core.masking import mask_name
from paradewi.core.ratelimit import Limit, locked_keys
from paradewi.requests.models import OPEN_STATES, Part, ServiceRequest, Status, Transition
from paradewi.requests.workflow import Action

SIGNING_SALT = "paradewi.requests.tracking.token"

# Wrong PINs: after NUMBER_LIMIT failures for one number (or IP_LIMIT from one client address)
# within WINDOW seconds, every attempt for it is refused for LOCKOUT seconds.
WINDOW = 15 * 60
LOCKOUT = 15 * 60
NUMBER_LIMIT = 5
IP_LIMIT = 20

_NUMBER_DIGITS = re.compile(r"\d{18,20}")


class TooManyAttemptsError(Exception):
    """Too many wrong PINs lately: the attempt is refused without checking the PIN."""


# --- numbers --------------------------------------------------------------------------------------


def normalise_number(raw: str) -> str | None:
    """The registration number as stored, from what a resident typed; None if it cannot be one.

    Spaces, dashes, dots and the like are ignored: "3516 01 2001 2611 0007" and
    "3516012001-2611-0007" are the same number (10 digits village, 4 period, 4+ serial).
    """
    digits = re.sub(r"\D", "", raw)
    if not _NUMBER_DIGITS.fullmatch(digits):
        return None
    return f"{digits[:10]}-{digits[10:14]}-{digits[14:]}"


def group_number(number: str) -> str:
    """The number in short groups for reading aloud: "3516 01 2001 - 2611 - 0007"."""
    village, period, serial = number.split("-", 2)
    return f"{village[:4]} {village[4:6]} {village[6:]} - {period} - {serial}"


# --- signed tokens (the receipt's QR code) ------------------------------------------------------


def _signer(pin: str) -> signing.Signer:
    # The PIN is part of the salt: should a PIN ever be renewed, old QR codes stop working.
    return signing.Signer(salt=f"{SIGNING_SALT}:{pin}")


def _message_signer(pin: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"{SIGNING_SALT}:message:{pin}")


def make_token(request: ServiceRequest) -> str:
    """The receipt's token: it opens the request's public status page without typing the PIN,
    for as long as the request lives (it is printed on the paper the resident keeps)."""
    if not request.number or not request.pin:
        raise ValueError("Only a submitted request has a tracking token.")
    return _signer(request.pin).sign(request.number)


def make_message_token(request: ServiceRequest) -> str:
    """The token of a link in a WhatsApp/SMS message: it carries its making time and opens the
    page for TRACKING_LINK_DAYS only, so a copy of a message (in a gateway's log, the outbox
    table, a backup) stops opening the page; the PIN on the receipt always does."""
    if not request.number or not request.pin:
        raise ValueError("Only a submitted request has a tracking token.")
    return _message_signer(request.pin).sign(request.number)


@dataclass(frozen=True)
class TokenCheck:
    request: ServiceRequest | None
    # A message link past its time (the number is known, the page asks for the PIN).
    expired: bool = False
    number: str = ""


def check_token(token: str) -> TokenCheck:
    """The request a receipt or message token was made for; no request for anything invalid
    or tampered with, and `expired` for a genuine message link past TRACKING_LINK_DAYS."""
    number = token.split(":", 1)[0]
    if not number or normalise_number(number) != number:
        return TokenCheck(None)
    found = _public_requests().filter(number=number).first()
    if found is None or not found.pin:
        return TokenCheck(None)
    if token.count(":") == 1:
        try:
            _signer(found.pin).unsign(token)
        except signing.BadSignature:
            return TokenCheck(None)
        return TokenCheck(found)
    max_age = settings.TRACKING_LINK_DAYS * 24 * 60 * 60
    try:
        _message_signer(found.pin).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        return TokenCheck(None, expired=True, number=number)
    except signing.BadSignature:
        return TokenCheck(None)
    return TokenCheck(found)


def request_for_token(token: str) -> ServiceRequest | None:
    """The request the token was made for; None for anything invalid, tampered with or
    expired."""
    return check_token(token).request


# --- number and PIN -----------------------------------------------------------------------------


def _public_requests() -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.exclude(status=Status.DRAFT).select_related(
        "service_version", "village", "district"
    )


# Wrong PINs per number and per client address (core/ratelimit.py).
NUMBER_GUESSES = Limit(
    prefix="track",
    scope="number",
    limit=NUMBER_LIMIT,
    window=WINDOW,
    lockout=LOCKOUT,
    counter="fail",
)
IP_GUESSES = Limit(
    prefix="track", scope="ip", limit=IP_LIMIT, window=WINDOW, lockout=LOCKOUT, counter="fail"
)


def find_by_number_and_pin(*, number: str, pin: str, client_ip: str) -> ServiceRequest | None:
    """The submitted request with this number if the PIN matches; None otherwise.

    Unknown numbers, drafts and wrong PINs all answer None, so nobody learns which numbers
    exist. Raises TooManyAttemptsError while the number or the client address is locked, even
    for the right PIN; the lock follows the NUMBER_LIMIT-th (IP_LIMIT-th) wrong attempt.
    """
    canonical = normalise_number(number)
    ip = client_ip or "unknown"
    ip_lock = IP_GUESSES.lock_key(ip)
    number_lock = NUMBER_GUESSES.lock_key(canonical) if canonical else ""
    locked = locked_keys([ip_lock, number_lock] if canonical else [ip_lock])
    if number_lock in locked:
        raise TooManyAttemptsError(
            _(
                "Too many wrong attempts for this number. For the resident's safety it is locked "
                "for %(minutes)d minutes: try again later, or ask your village office."
            )
            % {"minutes": LOCKOUT // 60}
        )
    if ip_lock in locked:
        raise TooManyAttemptsError(
            _("Too many wrong attempts from this connection. Try again in %(minutes)d minutes.")
            % {"minutes": LOCKOUT // 60}
        )
    found = _public_requests().filter(number=canonical).first() if canonical else None
    expected = found.pin if found is not None else ""
    given = re.sub(r"\s", "", pin)
    # compare_digest also runs for unknown numbers, so both answers take the same time.
    matches = hmac.compare_digest(expected.encode(), given.encode())
    if found is not None and expected and matches:
        return found
    if canonical:
        NUMBER_GUESSES.record(canonical)
    IP_GUESSES.record(ip)
    return None


# --- what the resident sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStep:
    when: datetime
    label: str
    reason: str = ""
    # (what, what to fix or bring) of a return
    items: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PublicStatus:
    """Everything the public status page shows, and nothing more."""

    number: str
    grouped_number: str
    service_name: str
    village: str
    district: str
    masked_name: str
    status: str
    status_label: str
    explanation: str
    steps: list[PublicStep]
    target: str
    due_at: datetime | None
    finished_at: datetime | None
    pickup_place: str
    is_open: bool


def _explanation(request: ServiceRequest) -> str:
    status = request.status
    if status == Status.SUBMITTED:
        return _("The kecamatan is checking that the request is complete.")
    if status == Status.VERIFIED:
        return _("The request is complete and waits to be processed at the Dinas.")
    if status == Status.IN_PROCESS:
        return _("The Dinas is processing the request.")
    if status == Status.DONE and request.card_names and request.cards_handed_over_at is None:
        return _(
            "The document is finished. Your village office prints it for you. The card is "
            "not printed: it is picked up at %(place)s."
        ) % {"place": request.pickup_place}
    if status == Status.DONE:
        return _("The document is finished. Your village office prints it for you.")
    if status == Status.READY_FOR_PICKUP:
        return _("The card is ready to be picked up.")
    if status == Status.HANDED_OVER:
        return _("The document has been handed over.")
    if status == Status.RETURNED:
        return _(
            "The request was returned to the village office: something must be fixed or "
            "brought. See below what is needed."
        )
    if status == Status.REJECTED:
        return _("The request was rejected. See the reason below.")
    if status == Status.CANCELLED:
        return _("The request was cancelled by the village office.")
    return ""


def _step_label(transition: Transition, request: ServiceRequest) -> str | None:
    """The resident's words for a history row; None for internal steps they need not see."""
    action, to_status = transition.action, transition.to_status
    if action == Action.SUBMIT:
        if transition.from_status == Status.RETURNED:
            return _("Fixed and sent again by the village office")
        return _("Submitted by the village office")
    if action == Action.VERIFY:
        return _("Checked complete by the kecamatan")
    if action == Action.CLAIM:
        return _("Being processed at the Dinas")
    if action == Action.RETURN:
        return _("Returned to the village office")
    if action == Action.REJECT:
        return _("Rejected")
    if action == Action.CANCEL:
        return _("Cancelled")
    if action == Action.COMPLETE:
        if to_status == Status.READY_FOR_PICKUP:
            return _("Card ready for pick-up")
        return _("Document finished, to be printed at the village office")
    if action == Action.HAND_OVER and to_status != Status.HANDED_OVER:
        if Part.CARDS in transition.details.get("parts", []):
            return _("Card handed over")
        return _("Printed documents handed over")
    if action == Action.HAND_OVER:
        return _("Handed over")
    # create (a draft), release and reassign (which clerk holds it) are internal.
    return None


def _return_items(transition: Transition, request: ServiceRequest) -> list[tuple[str, str]]:
    names = {spec["code"]: spec["name"] for spec in request.definition["requirements"]}
    names["data"] = _("The data of the request")
    items: dict[str, str] = transition.details.get("items", {})
    return [(names.get(code, code), text) for code, text in items.items()]


def public_steps(request: ServiceRequest) -> list[PublicStep]:
    """The timeline: dates and steps, with only the reasons the resident needs.

    Return reasons (what to fix or bring) and the rejection reason are shown; who acted,
    cancellation reasons and the Dinas's internal moves are not.
    """
    steps: list[PublicStep] = []
    for transition in request.transitions.order_by("created_at", "pk"):
        label = _step_label(transition, request)
        if label is None or (
            steps and steps[-1].label == label and transition.action == Action.CLAIM
        ):
            continue
        if transition.action == Action.RETURN:
            steps.append(
                PublicStep(
                    transition.created_at,
                    label,
                    reason=transition.reason,
                    items=_return_items(transition, request),
                )
            )
        elif transition.action == Action.REJECT:
            steps.append(PublicStep(transition.created_at, label, reason=transition.reason))
        else:
            steps.append(PublicStep(transition.created_at, label))
    return steps


def public_status(request: ServiceRequest) -> PublicStatus:
    """What the resident may see of a submitted request (call only after the PIN or token)."""
    assert request.number is not None  # noqa: S101 - drafts never reach the public pages
    definition = request.definition
    target = definition["target"]
    return PublicStatus(
        number=request.number,
        grouped_number=group_number(request.number),
        service_name=definition["name"],
        village=request.village.display_name,
        district=request.district.display_name,
        masked_name=mask_name(request.subject_name),
        status=request.status,
        status_label=request.get_status_display(),
        explanation=_explanation(request),
        steps=public_steps(request),
        target=target_display(target["amount"], target["unit"]),
        due_at=request.due_at,
        finished_at=request.finished_at,
        pickup_place=request.pickup_place if request.status == Status.READY_FOR_PICKUP else "",
        is_open=request.status in OPEN_STATES,
    )
