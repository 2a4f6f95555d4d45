"""The fan-out of a complaint's step (docs/complaints.md, "Who is told"): the managers of a
new complaint, the officer it is given to, the one handling it of a reply or a reopening, and
the complainant of every answer (WhatsApp/SMS to their phone, e-mail to their address).

Idempotent like the transitions' fan-out: rows are keyed by the complaint step, so handling a
step twice writes nothing twice. The actor is never told about their own step.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from paradewi.accounts.models import User
from paradewi.accounts.policy import COMPLAINT_MANAGERS
from paradewi.complaints.models import Action, Category, Complaint, ComplaintEvent, Status
from paradewi.complaints.selectors import Clock, clock_states
from paradewi.complaints.tracking import make_token
from paradewi.core.validators import normalize_phone
from paradewi.notifications import gateway, texts
from paradewi.notifications.models import Channel, Event, Notification, OptOut
from paradewi.notifications.services.batch import Batch, absolute, message_language, tell_officers


def _managers() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=sorted(COMPLAINT_MANAGERS)).order_by("pk")
    )


def _area(complaint: Complaint, language: str) -> str:
    with translation.override(language):
        region = complaint.village or complaint.district
        return region.display_name if region else _("the regency as a whole")


def _complainant_phone(complaint: Complaint) -> str | None:
    """The complaint's phone, else the reporter's of the request it is about; None if none,
    not a mobile number, or opted out."""
    raw = complaint.contact_phone
    if not raw and complaint.request is not None:
        raw = complaint.request.reporter_phone
    if not raw:
        return None
    try:
        phone = normalize_phone(raw)
    except ValidationError:
        return None
    if OptOut.objects.filter(phone=phone).exists():
        return None
    return phone


def complaint_notify(event_id: int) -> None:
    """Tell the right people about one committed complaint step."""
    event = (
        ComplaintEvent.objects.select_related(
            "complaint__village", "complaint__district", "complaint__request", "complaint__assignee"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    complaint = event.complaint
    language = message_language()
    key = f"c{event.pk}"
    with translation.override(language):
        category = str(Category(complaint.category).label)
    values = {
        "complaint": complaint.number,
        "category": category,
        "area": _area(complaint, language),
        "due": texts.moment(complaint.due_at, language),
        "complaint_url": absolute(reverse("complaint_detail", args=[complaint.pk])),
    }
    params = {"number": complaint.number, "category": complaint.category, "complaint": complaint.pk}
    batch = Batch()
    officers: list[User] = []
    officer_event: str | None = None
    if event.action == Action.FILE:
        officer_event, officers = Event.COMPLAINT_FILED, _managers()
    elif event.action == Action.ASSIGN and complaint.assignee is not None:
        officer_event, officers = Event.COMPLAINT_ASSIGNED, [complaint.assignee]
    elif event.action in (Action.REPLY, Action.REOPEN):
        officer_event = Event.COMPLAINT_REPLIED
        officers = [complaint.assignee] if complaint.assignee is not None else _managers()
    officers = [user for user in officers if user.pk != event.actor_id and user.is_active]
    if officer_event is not None and officers:
        email = officer_event != Event.COMPLAINT_REPLIED
        tell_officers(
            batch, officers, officer_event, complaint.request, params, values, key, email=email
        )
    if event.action == Action.ANSWER:
        _tell_complainant(batch, complaint, event, key)
    batch.write()


def _tell_complainant(batch: Batch, complaint: Complaint, event: ComplaintEvent, key: str) -> None:
    language = message_language()
    values = {
        "complaint": complaint.number,
        "answer": texts.scrub(event.text),
        "follow_url": absolute(reverse("complaint_follow", args=[make_token(complaint)])),
    }
    phone = _complainant_phone(complaint)
    if phone is not None and gateway.mode() != "off":
        channel = settings.NOTIFICATIONS_TEXT_CHANNEL
        _subject, body = texts.compose(
            Event.RESIDENT_COMPLAINT_ANSWERED, language, values, delivery=channel
        )
        batch.message(
            event=Event.RESIDENT_COMPLAINT_ANSWERED,
            channel=channel,
            recipient=phone,
            user=None,
            request=complaint.request,
            subject="",
            body=body,
            key=f"{key}:{channel}",
        )
    if complaint.contact_email:
        subject, body = texts.compose(
            Event.RESIDENT_COMPLAINT_EMAIL, language, values, delivery=Channel.EMAIL
        )
        batch.message(
            event=Event.RESIDENT_COMPLAINT_EMAIL,
            channel=Channel.EMAIL,
            recipient=complaint.contact_email,
            user=None,
            request=complaint.request,
            subject=subject,
            body=body,
            key=f"{key}:email",
        )


def complaints_warn(now: datetime | None = None) -> int:
    """Tell whoever answers an open complaint (the officer it was given to, else the managers)
    when it enters its last working day before the target, and again once it is past it: in
    the app, once per complaint, stage and due time (docs/complaints.md, "Handling and the
    clock"). Runs at every tick; the keys make a second run write nothing."""
    now = now or timezone.now()
    complaints = list(
        Complaint.objects.filter(status=Status.OPEN).select_related("assignee", "request")
    )
    states = clock_states(complaints, now)
    planned: list[tuple[User, Complaint, str, dict[str, object]]] = []
    managers: list[User] | None = None
    for complaint in complaints:
        state = states[complaint.pk]
        if state not in (Clock.APPROACHING, Clock.OVERDUE):
            continue
        if complaint.assignee is not None and complaint.assignee.is_active:
            users = [complaint.assignee]
        else:
            managers = _managers() if managers is None else managers
            users = managers
        key = f"cdue:{complaint.pk}:{state}:{complaint.due_at:%Y%m%d%H%M}"
        params: dict[str, object] = {
            "number": complaint.number,
            "complaint": complaint.pk,
            "state": state,
            "due": complaint.due_at.isoformat(),
        }
        planned += [(user, complaint, f"{key}:app:{user.pk}", params) for user in users]
    already = set(
        Notification.objects.filter(
            dedupe_key__in=[key for _u, _c, key, _p in planned]
        ).values_list("dedupe_key", flat=True)
    )
    batch = Batch()
    for user, complaint, key, params in planned:
        if key not in already:
            batch.in_app(user, Event.COMPLAINT_DUE, complaint.request, params, key)
    written = len(batch.notifications)
    batch.write()
    return written
