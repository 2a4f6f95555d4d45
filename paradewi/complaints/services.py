"""Writes of complaints: one function per step, each guarded by the current status and done
as a compare-and-swap, each appending a ComplaintEvent (docs/complaints.md).

Who may take a step is checked here (`access.py` answers the visibility, `policy.py` names the
groups); the views only call these. Side effects (messages) run after the commit through
`events.step_committed`.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.accounts.models import User
from paradewi.accounts.policy import COMPLAINT_FILERS, COMPLAINT_MANAGERS, COMPLAINT_READERS
from paradewi.catalogue.models import Service
from paradewi.complaints import events
from paradewi.complaints.access import may_answer, may_see
from paradewi.complaints.models import (
    TEXT_MAX_LENGTH,
    TEXT_MIN_LENGTH,
    Action,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintSequence,
    ComplaintSettings,
    LaporDirection,
    Status,
)
from paradewi.complaints.tracking import format_number
from paradewi.core.validators import normalize_phone
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest
from paradewi.worktime.services import add_working_minutes, target_minutes

# Control characters (but tab and newline) mean nothing in a complaint.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LAPOR_NUMBER = re.compile(r"[0-9A-Za-z\-/.]{3,40}")


class ComplaintError(Exception):
    """The step cannot be taken now; the message says why (shown to the user)."""


class NotAllowedError(ComplaintError):
    """The actor may not take this step on this complaint (a 404 in the views)."""


def settings_row() -> ComplaintSettings:
    row, _created = ComplaintSettings.objects.get_or_create(pk=1)
    return row


def answer_target_minutes() -> int:
    return target_minutes(settings_row().answer_target_days, "days")


def clean_text(text: str, *, required: bool = True) -> str:
    """The words as stored: control characters dropped, line ends plain, trimmed, checked."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if required and len(text) < TEXT_MIN_LENGTH:
        raise ValidationError(
            _("Write at least %(count)d characters, so we understand what happened.")
            % {"count": TEXT_MIN_LENGTH},
            code="too_short",
        )
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            _("Write at most %(count)d characters.") % {"count": TEXT_MAX_LENGTH},
            code="too_long",
        )
    return text


def _next_number(now: datetime) -> str:
    """The next number of the month, from a row locked while it is incremented (no gaps, no
    duplicates under concurrency). Call inside `transaction.atomic`."""
    period = timezone.localtime(now).strftime("%y%m")
    ComplaintSequence.objects.get_or_create(period=period)
    row = ComplaintSequence.objects.select_for_update().get(period=period)
    row.last += 1
    row.save(update_fields=["last"])
    return format_number(period, row.last)


def _append(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None,
    from_status: str,
    text: str = "",
    details: dict[str, object] | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        action=action,
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        from_status=from_status,
        to_status=complaint.status,
        text=text,
        details=details or {},
    )
    transaction.on_commit(partial(events.step_committed, event.pk))
    return event


def _swap(complaint: Complaint, expected: str, **changes: object) -> None:
    """Compare-and-swap on the status the actor saw; someone else first raises."""
    now = timezone.now()
    updated = Complaint.objects.filter(pk=complaint.pk, status=expected).update(
        status_changed_at=now, **changes
    )
    if updated != 1:
        raise ComplaintError(_("Someone else changed this complaint first. Open it again."))
    complaint.refresh_from_db()


@transaction.atomic
def complaint_file(
    *,
    category: str,
    text: str,
    request: ServiceRequest | None = None,
    service: Service | None = None,
    district: Region | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    filed_by: User | None = None,
    channel: str = Channel.WEB,
    lapor_number: str = "",
) -> Complaint:
    """File a complaint; the new complaint carries its number and PIN.

    `request` (already found by its number and PIN or its link) sets the service and area;
    otherwise `district` (the resident's choice) or the filing officer's area does. Contact
    data is optional. An officer files only for their own area (`filed_by`); a complaint
    received from SP4N-LAPOR! (`channel` lapor, by a manager) carries its LAPOR! number.
    Raises ValidationError with a message per field.
    """
    errors: dict[str, str] = {}
    if category not in Category.values:
        errors["category"] = _("Choose what the complaint is about.")
    try:
        text = clean_text(text)
    except ValidationError as error:
        errors["text"] = error.messages[0]
    phone = ""
    if contact_phone.strip():
        try:
            phone = normalize_phone(contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error.messages[0]
    email = contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Enter an e-mail address such as nama@contoh.id.")
    village: Region | None = None
    if filed_by is not None:
        if filed_by.role not in COMPLAINT_FILERS or filed_by.area is None:
            raise NotAllowedError
        if channel == Channel.LAPOR and filed_by.role not in COMPLAINT_MANAGERS:
            raise NotAllowedError
        if request is not None and not filed_by.area.contains(request.village):
            raise NotAllowedError
        if request is None:
            area = filed_by.area
            if area.level == Region.Level.VILLAGE:
                village, district = area, area.parent
            elif area.level == Region.Level.DISTRICT:
                district = area
    else:
        channel = Channel.WEB
    if request is not None:
        village, district, service = request.village, request.district, request.service
    lapor_number = lapor_number.strip()
    if channel == Channel.LAPOR and not _LAPOR_NUMBER.fullmatch(lapor_number):
        errors["lapor_number"] = _("Enter the LAPOR! tracking number (3 to 40 letters or digits).")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    minutes = answer_target_minutes()
    due = add_working_minutes(now, minutes)
    complaint = Complaint.objects.create(
        number=_next_number(now),
        pin=f"{secrets.randbelow(1_000_000):06d}",
        category=category,
        text=text,
        channel=channel,
        request=request,
        service=service,
        village=village,
        district=district,
        contact_name=contact_name.strip()[:150],
        contact_phone=phone,
        contact_email=email,
        filed_by=filed_by,
        target_minutes=minutes,
        first_due_at=due,
        due_at=due,
        lapor_direction=LaporDirection.RECEIVED if channel == Channel.LAPOR else "",
        lapor_number=lapor_number if channel == Channel.LAPOR else "",
    )
    _append(complaint, Action.FILE, actor=filed_by, from_status="", text=text)
    return complaint


def _require_manager(actor: User, complaint: Complaint) -> None:
    if actor.role not in COMPLAINT_MANAGERS or not may_see(actor, complaint):
        raise NotAllowedError


@transaction.atomic
def complaint_assign(*, actor: User, complaint: Complaint, assignee: User) -> Complaint:
    """A manager gives an open complaint to an officer who may read it (its area) to answer."""
    _require_manager(actor, complaint)
    if not (assignee.is_active and assignee.role in COMPLAINT_READERS):
        raise ComplaintError(_("This officer cannot answer complaints."))
    if complaint.status != Status.OPEN:
        raise ComplaintError(_("Only a complaint waiting for an answer can be assigned."))
    if not may_see(assignee, complaint, as_assignee=True):
        raise ComplaintError(_("This officer works outside the complaint's area."))
    _swap(complaint, Status.OPEN, assignee=assignee)
    _append(
        complaint,
        Action.ASSIGN,
        actor=actor,
        from_status=Status.OPEN,
        details={"to": assignee.pk, "to_name": assignee.full_name},
    )
    return complaint


@transaction.atomic
def complaint_answer(*, actor: User, complaint: Complaint, text: str) -> Complaint:
    """A manager, or the officer it was given to, answers; the complainant is told."""
    if not may_answer(actor, complaint):
        raise NotAllowedError
    text = clean_text(text)
    if complaint.status != Status.OPEN:
        raise ComplaintError(_("This complaint has been answered already."))
    now = timezone.now()
    _swap(complaint, Status.OPEN, status=Status.ANSWERED)
    if complaint.first_answered_at is None:
        Complaint.objects.filter(pk=complaint.pk).update(first_answered_at=now)
        complaint.first_answered_at = now
    _append(complaint, Action.ANSWER, actor=actor, from_status=Status.OPEN, text=text)
    return complaint


@transaction.atomic
def complaint_close(*, actor: User, complaint: Complaint, text: str = "") -> Complaint:
    """A manager closes an answered complaint (with an optional closing note)."""
    _require_manager(actor, complaint)
    text = clean_text(text, required=False)
    if complaint.status != Status.ANSWERED:
        raise ComplaintError(_("Only an answered complaint can be closed."))
    _swap(complaint, Status.ANSWERED, status=Status.CLOSED, closed_at=timezone.now())
    _append(complaint, Action.CLOSE, actor=actor, from_status=Status.ANSWERED, text=text)
    return complaint


@transaction.atomic
def complaint_reply(*, complaint: Complaint, text: str) -> Complaint:
    """The complainant adds a message (more detail, a thank-you) without reopening."""
    text = clean_text(text)
    if complaint.status == Status.CLOSED:
        raise ComplaintError(_("The complaint is closed. Reopen it if the answer did not help."))
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _append(locked, Action.REPLY, actor=None, from_status=locked.status, text=text)
    return locked


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, text: str) -> Complaint:
    """The complainant reopens an answered (or closed) complaint once, saying why; it is due
    again one target after now."""
    text = clean_text(text)
    if complaint.reopened_at is not None:
        raise ComplaintError(_("A complaint can be reopened once only."))
    if complaint.status not in (Status.ANSWERED, Status.CLOSED):
        raise ComplaintError(_("The complaint has not been answered yet."))
    now = timezone.now()
    previous = complaint.status
    due = add_working_minutes(now, complaint.target_minutes)
    _swap(
        complaint,
        previous,
        status=Status.OPEN,
        reopened_at=now,
        due_at=due,
        closed_at=None,
        rating=None,
    )
    _append(complaint, Action.REOPEN, actor=None, from_status=previous, text=text)
    return complaint


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int) -> Complaint:
    """The complainant rates the answer once (1 not satisfied .. 4 very satisfied, the scale
    of the IKM, PermenPAN-RB 14/2017)."""
    if rating not in (1, 2, 3, 4):
        raise ValidationError({"rating": _("Choose one of the four answers.")})
    if complaint.status not in (Status.ANSWERED, Status.CLOSED):
        raise ComplaintError(_("The answer can be rated once it has been given."))
    updated = Complaint.objects.filter(
        pk=complaint.pk, rating__isnull=True, status=complaint.status
    ).update(rating=rating)
    if updated != 1:
        raise ComplaintError(_("The answer has been rated already. Thank you!"))
    complaint.refresh_from_db()
    _append(
        complaint,
        Action.RATE,
        actor=None,
        from_status=complaint.status,
        details={"rating": rating},
    )
    return complaint


@transaction.atomic
def complaint_record_lapor(
    *, actor: User, complaint: Complaint, direction: str, lapor_number: str
) -> Complaint:
    """A manager records that the complaint was forwarded to, or came from, SP4N-LAPOR!
    (Perpres 76/2013), with LAPOR!'s tracking number. No network call: the manager enters it
    in LAPOR!'s own admin pages (docs/complaints.md)."""
    _require_manager(actor, complaint)
    lapor_number = lapor_number.strip()
    errors = {}
    if direction not in LaporDirection.values:
        errors["direction"] = _("Choose whether it was forwarded or received.")
    if not _LAPOR_NUMBER.fullmatch(lapor_number):
        errors["lapor_number"] = _("Enter the LAPOR! tracking number (3 to 40 letters or digits).")
    if errors:
        raise ValidationError(errors)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    locked.lapor_direction = direction
    locked.lapor_number = lapor_number
    locked.save(update_fields=["lapor_direction", "lapor_number"])
    _append(
        locked,
        Action.LAPOR,
        actor=actor,
        from_status=locked.status,
        details={"direction": direction, "number": lapor_number},
    )
    return locked
