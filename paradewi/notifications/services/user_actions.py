"""What officers and residents do with their notifications: an officer's own notifications
and e-mail preference, the Dinas head's announcements, and residents' opt-out of WhatsApp/SMS."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from paradewi.accounts.models import User
from paradewi.accounts.policy import ANNOUNCEMENT_AUTHORS, ANNOUNCEMENT_ROLES
from paradewi.core.validators import normalize_phone
from paradewi.notifications.models import (
    Announcement,
    AnnouncementReceipt,
    Channel,
    Notification,
    OptOut,
    Outbox,
    OutboxStatus,
    Preference,
)
from paradewi.regions.codes import code_within_q
from paradewi.regions.models import Region

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


def notifications_mark_older_read(*, users: list[User], keep: int, after_id: int = 0) -> int:
    """Mark read each user's unread notifications after `after_id` except the `keep` newest.

    For the demo: a history of two weeks makes dozens of notifications at once; an officer who
    had worked through it would have read all but the latest few.
    """
    marked = 0
    for user in users:
        unread = Notification.objects.filter(user=user, read_at__isnull=True, pk__gt=after_id)
        newest = list(unread.order_by("-created_at", "-pk").values_list("pk", flat=True)[:keep])
        marked += unread.exclude(pk__in=newest).update(read_at=timezone.now())
    return marked


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
    if not author.is_active or author.role not in ANNOUNCEMENT_AUTHORS or author.area is None:
        raise PermissionDenied
    roles = [role for role in dict.fromkeys(roles) if role in ANNOUNCEMENT_ROLES]
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
            .filter(code_within_q("area__code", area.code))
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
