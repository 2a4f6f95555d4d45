"""Service-level warnings: requests approaching their target time, and the daily digest of
overdue requests (docs/notifications.md, "Periodic jobs and the clock")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from paradewi.accounts.models import Role, User
from paradewi.notifications import selectors, texts
from paradewi.notifications.models import Event, Notification
from paradewi.notifications.services.batch import (
    Batch,
    absolute,
    message_language,
    request_url,
    request_values,
    tell_officers,
)
from paradewi.requests.models import ServiceRequest
from paradewi.requests.selectors.clock import Clock
from paradewi.worktime.services import WorkCalendar, add_working_minutes, working_minutes_between


def _working_now(now: datetime, hours: tuple[Any, Any] | None = None) -> bool:
    """Whether `now` lies in the office's working time (the calendar's windows: breaks and
    Ramadan hours included), or within `hours` of a working day."""
    local = timezone.localtime(now)
    calendar = WorkCalendar(local.date(), local.date())
    if hours is not None:
        opens, closes = hours
        return calendar.is_working_day(local.date()) and opens <= local.time() < closes
    return any(
        opens <= local.time() < closes for opens, closes in calendar.day_windows(local.date())
    )


def approaching_warn(now: datetime | None = None) -> int:
    """Warn whoever holds an open request that will reach its target time within
    NOTIFICATIONS_APPROACHING_MINUTES of working time; once per request, stage and due time.

    Runs during office hours only: a warning at night would be read in the morning anyway,
    and by then the next tick sends it.
    """
    now = now or timezone.now()
    if not _working_now(now):
        return 0
    language = message_language()
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
    batch = Batch()
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
            **request_values(request, language),
            "request_url": request_url(request),
            "due": texts.moment(request.due_at, language),
            "left": texts.duration(left, language),
        }
        params = {
            "number": values["number"],
            "service": values["service"],
            "village": values["village"],
            "due": request.due_at.isoformat(),
        }
        tell_officers(batch, users, Event.APPROACHING, request, params, values, keys[request.pk])
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
    language = message_language()
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
    batch = Batch()
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
            "list_url": absolute(reverse("request_list")),
            "date": texts.day(now, language),
        }
        params = {"count": count, "area": area_name}
        tell_officers(batch, [user], Event.OVERDUE_DIGEST, None, params, values, prefix)
        written += 1
    batch.write()
    return written
