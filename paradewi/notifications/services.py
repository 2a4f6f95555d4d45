"""Writes for notifications: who is told what, on which channel, and announcements.

Every decision to tell someone is written as rows (in-app Notification, Outbox) under a unique
`dedupe_key`, so handling the same event twice (the after-commit hook and the catch-up sweep,
or two ticks of the clock) writes nothing twice. Outbox rows are delivered by one background
task each, enqueued after the rows commit (`delivery.schedule`).

Privacy: messages carry the registration number, the service, the village, links and the
reporter's first name, never a NIK, a KK number, a full name or a phone number; officers'
free text (reasons) is scrubbed of long digit runs.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from paradewi.accounts.models import Role, User
from paradewi.core.validators import normalize_phone
from paradewi.notifications import delivery, gateway, selectors, texts
from paradewi.notifications.models import (
    Announcement,
    AnnouncementReceipt,
    Channel,
    Cursor,
    Event,
    MessageTemplate,
    Notification,
    OptOut,
    Outbox,
    OutboxStatus,
    Preference,
)
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.selectors.clock import Clock
from paradewi.requests.tracking import make_token
from paradewi.worktime.services import (
    WorkCalendar,
    add_working_minutes,
    working_minutes_between,
)

logger = logging.getLogger(__name__)

TRANSITIONS_CURSOR = "transitions"
# History rows younger than this are still in their after-commit hook: the catch-up waits.
CATCH_UP_GRACE = timedelta(minutes=2)
CATCH_UP_BATCH = 500


def _language() -> str:
    language: str = settings.NOTIFICATIONS_LANGUAGE
    return language


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# --- writing rows -------------------------------------------------------------------------------


@dataclass
class _Batch:
    """Rows to write together; `write()` inserts what does not exist yet and enqueues."""

    notifications: list[Notification] = field(default_factory=list)
    messages: list[Outbox] = field(default_factory=list)

    def in_app(
        self,
        user: User,
        event: str,
        request: ServiceRequest | None,
        params: dict[str, Any],
        key: str,
    ) -> None:
        self.notifications.append(
            Notification(user=user, event=event, request=request, params=params, dedupe_key=key)
        )

    def message(
        self,
        *,
        event: str,
        channel: str,
        recipient: str,
        user: User | None,
        request: ServiceRequest | None,
        subject: str,
        body: str,
        key: str,
        message_id: uuid.UUID | None = None,
    ) -> None:
        self.messages.append(
            Outbox(
                id=message_id or uuid.uuid4(),
                event=event,
                channel=channel,
                recipient=recipient,
                user=user,
                request=request,
                language=_language(),
                subject=subject,
                body=body,
                next_attempt_at=timezone.now(),
                dedupe_key=key,
            )
        )

    def write(self) -> None:
        with transaction.atomic():
            Notification.objects.bulk_create(self.notifications, ignore_conflicts=True)
            Outbox.objects.bulk_create(self.messages, ignore_conflicts=True)
            keys = [message.dedupe_key for message in self.messages]
            if not keys:
                return
            waiting = Outbox.objects.filter(
                dedupe_key__in=keys, status=OutboxStatus.QUEUED, attempts=0
            ).values_list("pk", flat=True)
            for message_id in waiting:
                transaction.on_commit(partial(delivery.schedule, message_id))


def _request_values(request: ServiceRequest, language: str) -> dict[str, str]:
    with translation.override(language):
        village = request.village.display_name
    return {
        "number": request.number or "",
        "service": str(request.definition.get("name", request.service_id)),
        "village": village,
    }


def _officers(
    batch: _Batch,
    users: list[User],
    event: str,
    request: ServiceRequest | None,
    params: dict[str, Any],
    values: dict[str, str],
    key: str,
    *,
    email: bool = True,
) -> None:
    """In-app for every user; e-mail too for those who have an address and want it."""
    for user in users:
        batch.in_app(user, event, request, params, f"{key}:app:{user.pk}")
    recipients = selectors.email_recipients(users) if email else []
    if not recipients:
        return
    subject, body = texts.compose(event, _language(), values, delivery=Channel.EMAIL)
    for user in recipients:
        batch.message(
            event=event,
            channel=Channel.EMAIL,
            recipient=user.email,
            user=user,
            request=request,
            subject=subject,
            body=body,
            key=f"{key}:email:{user.pk}",
        )


def resident_phone(request: ServiceRequest) -> str | None:
    """The reporter's number if the resident can be sent WhatsApp/SMS now, else None."""
    if gateway.mode() == "off" or not request.reporter_phone:
        return None
    try:
        phone = normalize_phone(request.reporter_phone)
    except ValidationError:
        return None
    if OptOut.objects.filter(phone=phone).exists():
        return None
    return phone


def _resident(
    batch: _Batch, event: str, request: ServiceRequest, extra: dict[str, str], key: str
) -> None:
    phone = resident_phone(request)
    if phone is None:
        return
    language = _language()
    message_id = uuid.uuid4()
    office = request.created_by.area if request.created_by.role == Role.DISTRICT_OPERATOR else None
    with translation.override(language):
        office_name = (office or request.village).display_name
    values = {
        **_request_values(request, language),
        "first_name": texts.first_name(request.reporter_name or request.subject_name, language),
        "office": office_name,
        "tracking_url": _absolute(reverse("track_token", args=[make_token(request)])),
        "optout_url": _absolute(reverse("notification_stop", args=[message_id.hex])),
        "when": texts.office_hours(language),
        **extra,
    }
    channel = settings.NOTIFICATIONS_TEXT_CHANNEL
    _subject, body = texts.compose(event, language, values, delivery=channel)
    batch.message(
        event=event,
        channel=channel,
        recipient=phone,
        user=None,
        request=request,
        subject="",
        body=body,
        key=f"{key}:{channel}",
        message_id=message_id,
    )


def _clause(text: str) -> str:
    """Officers' text as a clause of a message: scrubbed, without closing punctuation (the
    template writes its own)."""
    return texts.scrub(text).rstrip(" .;,")


def _return_reason(transition: Transition, request: ServiceRequest, language: str) -> str:
    """The general reason and each requirement's reason, as one line."""
    names = {spec["code"]: spec["name"] for spec in request.definition["requirements"]}
    names["data"] = texts.fragments(language)["data"]
    parts = [_clause(transition.reason)] if transition.reason.strip() else []
    items: dict[str, str] = transition.details.get("items") or {}
    parts += [f"{names.get(code, code)}: {_clause(text)}" for code, text in items.items()]
    return "; ".join(parts)


# --- events of the workflow ---------------------------------------------------------------------


def transition_notify(transition_id: int) -> None:
    """Tell the right people about one committed history row (see docs/notifications.md).

    Idempotent: the rows are keyed by the history row, so a second call writes nothing new.
    The actor is never told about their own action.
    """
    transition = (
        Transition.objects.select_related(
            "request__village",
            "request__district",
            "request__created_by__area",
            "request__holder",
            "request__service_version",
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is None or not transition.request.number:
        return
    request = transition.request
    language = _language()
    action, to_status = transition.action, transition.to_status
    key = f"t{transition.pk}"
    values = {**_request_values(request, language), "request_url": _request_url(request)}
    params: dict[str, Any] = {
        "number": values["number"],
        "service": values["service"],
        "village": values["village"],
    }
    officers: list[User] = []
    officer_event: str | None = None
    resident_event: str | None = None
    extra: dict[str, str] = {}
    email = True

    if action in ("submit", "verify") and to_status == Status.SUBMITTED:
        officer_event = Event.SUBMITTED
        officers = selectors.district_operators(request.district_id)
        values["due"] = texts.moment(request.due_at, language)
    elif action in ("submit", "verify") and to_status == Status.VERIFIED:
        # The shared Dinas queue: in the app only (an e-mail per request to every clerk
        # would bury the messages that matter).
        officer_event, email = Event.QUEUED, False
        officers = selectors.dinas_clerks()
    elif action == "reassign":
        officer_event = Event.REASSIGNED
        officers = list(User.objects.filter(pk=transition.details.get("to_holder"), is_active=True))
        values["due"] = texts.moment(request.due_at, language)
    elif action == "return":
        officer_event, resident_event = Event.RETURNED, Event.RESIDENT_RETURNED
        officers = selectors.village_side(request)
        values["reason"] = extra["reason"] = _return_reason(transition, request, language)
        params["reason"] = values["reason"][:300]
    elif action == "complete" and to_status == Status.READY_FOR_PICKUP:
        officer_event, resident_event = Event.READY_FOR_PICKUP, Event.RESIDENT_READY
        officers = selectors.village_side(request)
        values["pickup_place"] = extra["pickup_place"] = request.pickup_place
        params["place"] = request.pickup_place
    elif action == "complete":
        officer_event, resident_event = Event.DONE, Event.RESIDENT_DONE
        officers = selectors.village_side(request)
    elif action == "reject":
        officer_event, resident_event = Event.REJECTED, Event.RESIDENT_REJECTED
        officers = selectors.village_side(request)
        values["reason"] = extra["reason"] = _clause(transition.reason)
        params["reason"] = values["reason"][:300]
    elif action == "hand_over":
        # Imported here: the surveys app builds on requests too (no import cycle at start-up).
        from paradewi.surveys.links import survey_path

        path = survey_path(request)
        if path:
            resident_event = Event.RESIDENT_SURVEY
            extra["survey_url"] = _absolute(path)

    batch = _Batch()
    officers = [user for user in officers if user.pk != transition.actor_id]
    if officer_event is not None and officers:
        _officers(batch, officers, officer_event, request, params, values, key, email=email)
    if resident_event is not None:
        _resident(batch, resident_event, request, extra, key)
    batch.write()


def _request_url(request: ServiceRequest) -> str:
    return _absolute(reverse("request_detail", args=[request.pk]))


def transitions_catch_up(now: datetime | None = None) -> int:
    """Handle history rows whose after-commit hook never ran (the process died right after the
    commit, or the hook failed): every row after the cursor and older than CATCH_UP_GRACE.

    The cursor starts at the newest row when it is first made, so older history is never
    announced. Rows are handled again harmlessly (transition_notify is idempotent).
    """
    now = now or timezone.now()
    cursor = Cursor.objects.filter(name=TRANSITIONS_CURSOR).first()
    if cursor is None:
        newest = Transition.objects.aggregate(newest=Max("pk"))["newest"] or 0
        Cursor.objects.get_or_create(name=TRANSITIONS_CURSOR, defaults={"position": newest})
        return 0
    pending = list(
        Transition.objects.filter(pk__gt=cursor.position, created_at__lte=now - CATCH_UP_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:CATCH_UP_BATCH]
    )
    handled = 0
    for transition_id in pending:
        try:
            transition_notify(transition_id)
        except Exception:
            logger.exception("Notifications for history row %s failed", transition_id)
            break
        handled += 1
        Cursor.objects.filter(name=TRANSITIONS_CURSOR, position__lt=transition_id).update(
            position=transition_id, updated_at=timezone.now()
        )
    return handled


# --- service-level warnings ---------------------------------------------------------------------


def _working_now(now: datetime, hours: tuple[Any, Any] | None = None) -> bool:
    local = timezone.localtime(now)
    opens, closes = hours or settings.OFFICE_HOURS
    calendar = WorkCalendar(local.date(), local.date())
    return calendar.is_working_day(local.date()) and opens <= local.time() < closes


def approaching_warn(now: datetime | None = None) -> int:
    """Warn whoever holds an open request that will reach its target time within
    NOTIFICATIONS_APPROACHING_MINUTES of working time; once per request, stage and due time.

    Runs during office hours only: a warning at night would be read in the morning anyway,
    and by then the next tick sends it.
    """
    now = now or timezone.now()
    if not _working_now(now):
        return 0
    language = _language()
    horizon = add_working_minutes(now, settings.NOTIFICATIONS_APPROACHING_MINUTES)
    candidates = list(selectors.approaching(now, horizon))
    keys = {
        request.pk: f"approaching:{request.pk}:{request.status}:{request.due_at:%Y%m%d%H%M}"
        for request in candidates
    }
    already = set(
        Notification.objects.filter(
            event=Event.APPROACHING, request__in=[request.pk for request in candidates]
        ).values_list("dedupe_key", flat=True)
    )
    batch = _Batch()
    for request in candidates:
        users = [
            user
            for user in selectors.holders(request)
            if f"{keys[request.pk]}:app:{user.pk}" not in already
        ]
        if not users:
            continue
        assert request.due_at is not None  # noqa: S101 - selected by due_at
        left = working_minutes_between(now, request.due_at)
        values = {
            **_request_values(request, language),
            "request_url": _request_url(request),
            "due": texts.moment(request.due_at, language),
            "left": texts.duration(left, language),
        }
        params = {
            "number": values["number"],
            "service": values["service"],
            "village": values["village"],
            "due": request.due_at.isoformat(),
        }
        _officers(batch, users, Event.APPROACHING, request, params, values, keys[request.pk])
    batch.write()
    return len({message.request_id for message in batch.notifications})


def _digest_lines(requests: list[ServiceRequest], now: datetime, language: str) -> list[str]:
    words = texts.fragments(language)
    clock = Clock((request.due_at for request in requests), now)
    lines = []
    with translation.override(language):
        for request in requests:
            assert request.due_at is not None  # noqa: S101 - overdue means a due time
            late = texts.duration(clock.between(request.due_at, now), language)
            lines.append(
                " · ".join(
                    [
                        request.number or "",
                        str(request.definition.get("name", "")),
                        request.village.display_name,
                        words["stages"].get(request.status, request.status),
                        words["overdue"].format(duration=late),
                    ]
                )
            )
    return lines


def overdue_digests_send(now: datetime | None = None) -> int:
    """The daily digest of overdue requests: to each Dinas head (the whole regency) and each
    kecamatan operator (their kecamatan), on working days, at the first tick within
    NOTIFICATIONS_DIGEST_HOURS; once a day each (keyed by the date); nothing when nothing is
    overdue. Returns the number of digests written."""
    now = now or timezone.now()
    if not _working_now(now, settings.NOTIFICATIONS_DIGEST_HOURS):
        return 0
    language = _language()
    today = timezone.localdate(now)
    prefix = f"digest:{today.isoformat()}"
    recipients = selectors.dinas_heads() + list(
        User.objects.filter(is_active=True, role=Role.DISTRICT_OPERATOR)
        .select_related("area")
        .order_by("pk")
    )
    sent = set(
        Notification.objects.filter(
            dedupe_key__in=[f"{prefix}:app:{user.pk}" for user in recipients]
        ).values_list("user_id", flat=True)
    )
    batch = _Batch()
    written = 0
    for user in recipients:
        if user.pk in sent or user.area is None:
            continue
        overdue = selectors.overdue_in_area(user.area, now)
        count = overdue.count()
        if not count:
            continue
        shown = list(overdue[: settings.NOTIFICATIONS_DIGEST_MAX_ITEMS])
        lines = _digest_lines(shown, now, language)
        if count > len(shown):
            lines.append(texts.fragments(language)["more"].format(n=count - len(shown)))
        with translation.override(language):
            area_name = user.area.display_name
        values = {
            "count": str(count),
            "area": area_name,
            "list": "\n".join(f"- {line}" for line in lines),
            "list_url": _absolute(reverse("request_list")),
            "date": texts.day(now, language),
        }
        params = {"count": count, "area": area_name}
        _officers(batch, [user], Event.OVERDUE_DIGEST, None, params, values, prefix)
        written += 1
    batch.write()
    return written


# --- the officer's own notifications ------------------------------------------------------------


def notification_for_user(user: User, notification_id: int) -> Notification:
    """The user's own notification; Http404 for anyone else's (missing and not-yours alike)."""
    found = Notification.objects.filter(pk=notification_id, user=user).first()
    if found is None:
        raise Http404
    return found


def notification_open(*, user: User, notification_id: int) -> Notification:
    notification = notification_for_user(user, notification_id)
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preference_set(*, user: User, email: bool) -> Preference:
    preference, _created = Preference.objects.update_or_create(user=user, defaults={"email": email})
    return preference


# --- announcements ------------------------------------------------------------------------------


def announcement_publish(
    *,
    author: User,
    title: str,
    body: str,
    roles: list[str],
    area: Region,
    expires_on: date | None = None,
) -> Announcement:
    """The Dinas head broadcasts a notice to the chosen roles in the regency or one kecamatan.

    Its recipients are the matching active accounts at this moment (the author excluded).
    """
    if not author.is_active or author.role != Role.DINAS_HEAD or author.area is None:
        raise PermissionDenied
    roles = [role for role in dict.fromkeys(roles) if role in selectors.ANNOUNCEMENT_ROLES]
    if not roles:
        raise ValidationError({"roles": _("Choose at least one role.")})
    regency = author.area
    if not (
        area.pk == regency.pk
        or (area.level == Region.Level.DISTRICT and area.parent_id == regency.pk)
    ):
        raise ValidationError({"area": _("Choose the regency or one of its kecamatan.")})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("This day has already passed.")})
    with transaction.atomic():
        announcement = Announcement(
            title=title.strip(),
            body=body.strip(),
            author=author,
            roles=roles,
            area=area,
            expires_on=expires_on,
        )
        announcement.full_clean()
        announcement.save()
        recipients = (
            User.objects.filter(is_active=True, role__in=roles)
            .filter(Q(area__code=area.code) | Q(area__code__startswith=area.code + "."))
            .exclude(pk=author.pk)
            .values_list("pk", flat=True)
        )
        AnnouncementReceipt.objects.bulk_create(
            [
                AnnouncementReceipt(announcement=announcement, user_id=user_id)
                for user_id in recipients
            ],
            batch_size=1000,
        )
    return announcement


def announcement_mark_read(*, user: User, announcement_id: int) -> bool:
    """Mark the user's own copy read; False if it was not theirs or already read."""
    changed = AnnouncementReceipt.objects.filter(
        announcement_id=announcement_id, user=user, read_at__isnull=True
    ).update(read_at=timezone.now())
    return changed == 1


# --- residents' opt-out -------------------------------------------------------------------------


def message_for_stop_link(token: str) -> Outbox:
    """The text message a stop link came in; Http404 for anything else."""
    try:
        message_id = uuid.UUID(hex=token)
    except ValueError:
        raise Http404 from None
    found = (
        Outbox.objects.filter(pk=message_id)
        .exclude(channel=Channel.EMAIL)
        .only("pk", "recipient", "channel")
        .first()
    )
    if found is None:
        raise Http404
    return found


def opt_out(*, phone: str, source: str) -> OptOut:
    """No more WhatsApp/SMS to this number; messages already queued are not sent either."""
    normalized = normalize_phone(phone)
    opt, _created = OptOut.objects.get_or_create(phone=normalized, defaults={"source": source})
    Outbox.objects.filter(
        recipient=normalized,
        status=OutboxStatus.QUEUED,
        channel__in=(Channel.WHATSAPP, Channel.SMS),
    ).update(status=OutboxStatus.CANCELLED, last_error="opted out", updated_at=timezone.now())
    return opt


def opt_in(*, phone: str) -> int:
    deleted, _rows = OptOut.objects.filter(phone=normalize_phone(phone)).delete()
    return deleted


# --- templates ----------------------------------------------------------------------------------


def templates_seed(*, overwrite: bool = False) -> int:
    """Write the default templates for every event, channel and language; with `overwrite`,
    put back the defaults over the administrator's edits. Returns the rows written."""
    from paradewi.notifications.defaults import DEFAULTS

    written = 0
    for (event, channel), languages in DEFAULTS.items():
        for language, text in languages.items():
            if overwrite:
                MessageTemplate.objects.update_or_create(
                    event=event, channel=channel, language=language, defaults=dict(text)
                )
                written += 1
            else:
                _row, created = MessageTemplate.objects.get_or_create(
                    event=event, channel=channel, language=language, defaults=dict(text)
                )
                written += int(created)
    return written


# --- the clock ----------------------------------------------------------------------------------


# Jobs of other apps that run once a day: django-tasks tasks (dotted paths), enqueued by the
# first tick of each local day, whatever the number of clocks.
DAILY_TASKS = (
    "paradewi.requests.tasks.purge_expired_uploads_task",
    "paradewi.audit.tasks.purge_access_log_task",
    "paradewi.accounts.tasks.clear_expired_sessions_task",
    "paradewi.core.tasks.update_planner_statistics_task",
)


def _first_tick_of_the_day(name: str, today: date) -> bool:
    """True for exactly one caller per job and day (compare-and-swap on the job's Cursor,
    whose position is the day's ordinal). Marked before enqueueing: if the enqueue fails,
    the job waits for the next day rather than running twice."""
    day = today.toordinal()
    Cursor.objects.get_or_create(name=name)
    return Cursor.objects.filter(name=name, position__lt=day).update(position=day) == 1


def tick() -> list[str]:
    """Enqueue the periodic jobs (sweep, approaching warnings, overdue digests, and once a day
    DAILY_TASKS); returns their names. Called by `notifications_tick` (cron) or
    `notifications_clock` (a loop)."""
    from paradewi.notifications import tasks

    tasks.sweep.enqueue()
    tasks.warn_approaching.enqueue()
    tasks.send_overdue_digests.enqueue()
    names = [tasks.sweep.name, tasks.warn_approaching.name, tasks.send_overdue_digests.name]
    today = timezone.localdate()
    for path in DAILY_TASKS:
        daily = import_string(path)
        if _first_tick_of_the_day(f"daily:{daily.name}", today):
            daily.enqueue()
            names.append(daily.name)
    return names
