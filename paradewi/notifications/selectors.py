"""Reads for notifications: who hears about what, what a user has unread, what is overdue.

Recipients are looked up when an event happens, from the accounts active at that moment; a
user only ever reads their own notifications and announcement receipts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from paradewi.accounts.models import Role, User
from paradewi.notifications.models import (
    Announcement,
    AnnouncementReceipt,
    Event,
    Notification,
    OptOut,
    Preference,
)
from paradewi.regions.models import Region
from paradewi.requests.models import OPEN_STATES, ServiceRequest, Status

PAGE_SIZE = 25


# --- recipients ---------------------------------------------------------------------------------


def _active(role: str, **area: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=role, **area).order_by("pk")


def village_side(request: ServiceRequest) -> list[User]:
    """Who acts for the village: its officers, and the kecamatan operator who made the request
    at the kecamatan (they print and hand over what they submitted)."""
    users = list(_active(Role.VILLAGE_OFFICER, area_id=request.village_id))
    creator = request.created_by
    if creator.role == Role.DISTRICT_OPERATOR and creator.is_active:
        users.append(creator)
    return users


def district_operators(district_id: int) -> list[User]:
    return list(_active(Role.DISTRICT_OPERATOR, area_id=district_id))


def dinas_clerks() -> list[User]:
    return list(_active(Role.DINAS_CLERK))


def dinas_heads() -> list[User]:
    return list(_active(Role.DINAS_HEAD))


def holders(request: ServiceRequest) -> list[User]:
    """Who holds an open request now: the kecamatan's operators while it waits for them, the
    Dinas head while it waits unclaimed in the queue (they assign it), else its clerk."""
    if request.status == Status.SUBMITTED:
        return district_operators(request.district_id)
    if request.status == Status.VERIFIED:
        return dinas_heads()
    if request.status == Status.IN_PROCESS and request.holder is not None:
        return [request.holder] if request.holder.is_active else []
    return []


def email_recipients(users: list[User]) -> list[User]:
    """Those of `users` with an e-mail address who have not turned e-mail off."""
    with_address = [user for user in users if user.email]
    if not with_address:
        return []
    off = set(
        Preference.objects.filter(
            user__in=[user.pk for user in with_address], email=False
        ).values_list("user_id", flat=True)
    )
    return [user for user in with_address if user.pk not in off]


def is_opted_out(phone: str) -> bool:
    return OptOut.objects.filter(phone=phone).exists()


def wants_email(user: User) -> bool:
    return not Preference.objects.filter(user=user, email=False).exists()


# --- overdue ------------------------------------------------------------------------------------


def overdue_in_area(area: Region, now: datetime) -> QuerySet[ServiceRequest]:
    """Open requests past their due time inside `area` (a kecamatan or the regency), the most
    overdue first."""
    requests = ServiceRequest.objects.filter(status__in=OPEN_STATES, due_at__lt=now)
    if area.level == Region.Level.DISTRICT:
        requests = requests.filter(district=area)
    elif area.level == Region.Level.VILLAGE:
        requests = requests.filter(village=area)
    elif area.level != Region.Level.REGENCY:
        return requests.none()
    return requests.select_related("service", "village").order_by("due_at", "pk")


def approaching(now: datetime, horizon: datetime) -> QuerySet[ServiceRequest]:
    """Open requests due after now and no later than `horizon`."""
    return (
        ServiceRequest.objects.filter(status__in=OPEN_STATES, due_at__gt=now, due_at__lte=horizon)
        .select_related("service", "village", "holder")
        .order_by("due_at", "pk")
    )


# --- in-app notifications -----------------------------------------------------------------------


def _when(value: str | None) -> str:
    parsed = parse_datetime(value) if value else None
    if parsed is None:
        return ""
    return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")


def describe(notification: Notification) -> str:
    """The notification in the reader's language (made when shown, not when stored)."""
    p: dict[str, Any] = {
        "number": "",
        "service": "",
        "village": "",
        "reason": "",
        "place": "",
        **notification.params,
    }
    event = notification.event
    if event == Event.SUBMITTED:
        text = _("%(number)s (%(service)s, %(village)s) waits for your verification.")
    elif event == Event.QUEUED:
        text = _("%(number)s (%(service)s, %(village)s) is in the Dinas queue.")
    elif event == Event.REASSIGNED:
        text = _("%(number)s (%(service)s, %(village)s) has been assigned to you.")
    elif event == Event.RETURNED:
        text = _("%(number)s (%(service)s) was returned to fix: %(reason)s")
    elif event == Event.DONE and p.get("place"):
        text = _(
            "%(number)s (%(service)s) is done: print the documents and hand them over; "
            "the card is picked up at %(place)s."
        )
    elif event == Event.DONE:
        text = _("%(number)s (%(service)s) is done: print it and hand it over.")
    elif event == Event.READY_FOR_PICKUP:
        text = _("The card of %(number)s (%(service)s) is ready for pick-up at %(place)s.")
    elif event == Event.REJECTED:
        text = _("%(number)s (%(service)s) was rejected: %(reason)s")
    elif event == Event.APPROACHING:
        p["due"] = _when(p.get("due"))
        text = _("%(number)s (%(service)s, %(village)s) is due by %(due)s.")
    elif event == Event.OVERDUE_DIGEST:
        count = int(p.get("count", 0))
        return ngettext(
            "%(count)d request is overdue in %(area)s.",
            "%(count)d requests are overdue in %(area)s.",
            count,
        ) % {"count": count, "area": p.get("area", "")}
    elif event == Event.COMPLAINT_FILED:
        text = _("New complaint %(number)s.")
    elif event == Event.COMPLAINT_ASSIGNED:
        text = _("Complaint %(number)s has been given to you to answer.")
    elif event == Event.COMPLAINT_REPLIED:
        text = _("The complainant wrote again on complaint %(number)s.")
    elif event == Event.COMPLAINT_DUE and p.get("state") == "overdue":
        p["due"] = _when(p.get("due"))
        text = _("Complaint %(number)s is past its target (%(due)s): answer it.")
    elif event == Event.COMPLAINT_DUE:
        p["due"] = _when(p.get("due"))
        text = _("Complaint %(number)s is due by %(due)s.")
    else:
        text = "%(number)s"
    return text % p


def target_url(notification: Notification) -> str:
    if "complaint" in notification.params:
        return reverse("complaint_detail", args=[notification.params["complaint"]])
    if notification.request_id is not None:
        return reverse("request_detail", args=[notification.request_id])
    return reverse("request_list")


@dataclass(frozen=True)
class Item:
    notification: Notification
    text: str
    url: str


def notification_page(user: User, page_number: str | None) -> tuple[Page[Notification], list[Item]]:
    notifications = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    page = Paginator(notifications, PAGE_SIZE).get_page(page_number)
    items = [Item(n, describe(n), target_url(n)) for n in page.object_list]
    return page, items


def _count(queryset: QuerySet[Any], user: User) -> Coalesce:
    """A scalar subquery: how many rows of `queryset` belong to the user (0 for none)."""
    per_user = queryset.filter(user=user.pk).order_by().values("user")
    return Coalesce(Subquery(per_user.annotate(n=Count("pk")).values("n")), 0)


def _column(model: type[Any], field: str) -> str:
    return str(connection.ops.quote_name(model._meta.get_field(field).column))


def _table(model: type[Any]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


@cache
def _unread_sql() -> str:
    """The menu's two counts as one statement, written once per process: built through the
    ORM (a user row annotated with two subqueries) it took 1.5-2 ms of CPU on every page, a
    tenth of a worklist's, for a query whose shape never changes. Both counts read the partial
    indexes of unread rows (`notification_unread`, `announcement_unread`); the conditions are
    `_current`'s, which `test_the_menu_counts_as_the_querysets_do` holds them to."""
    receipt, announcement = AnnouncementReceipt, Announcement
    # Only the models' own table and column names (quoted) are written in; values are
    # parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM {_table(Notification)}"  # noqa: S608
        f" WHERE {_column(Notification, 'user')} = %s"
        f" AND {_column(Notification, 'read_at')} IS NULL),"
        f" (SELECT COUNT(*) FROM {_table(receipt)} r"
        f" INNER JOIN {_table(announcement)} a"
        f" ON a.{_column(announcement, 'id')} = r.{_column(receipt, 'announcement')}"
        f" WHERE r.{_column(receipt, 'user')} = %s AND r.{_column(receipt, 'read_at')} IS NULL"
        f" AND (a.{_column(announcement, 'expires_on')} IS NULL"
        f" OR a.{_column(announcement, 'expires_on')} >= %s))"
    )


def unread_counts(user: User) -> tuple[int, int]:
    """(unread notifications, unread announcements still shown), in one query."""
    today = connection.ops.adapt_datefield_value(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(_unread_sql(), [user.pk, user.pk, today])
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def unread_count(user: User) -> int:
    """The number in the menu: unread notifications and announcements."""
    return sum(unread_counts(user))


# --- announcements ------------------------------------------------------------------------------


def _current(receipts: QuerySet[AnnouncementReceipt]) -> QuerySet[AnnouncementReceipt]:
    """Unread receipts of announcements still shown (not past their last day)."""
    today = timezone.localdate()
    return receipts.filter(read_at__isnull=True).filter(
        Q(announcement__expires_on__isnull=True) | Q(announcement__expires_on__gte=today)
    )


def current_receipts(user: User) -> QuerySet[AnnouncementReceipt]:
    """The user's unread announcements that are still shown."""
    return _current(AnnouncementReceipt.objects.filter(user=user))


def home_announcements(user: User) -> dict[str, Any]:
    """For the home page: the unread announcements and the menu's count.

    The counts ride along with the user's area, which the home page reads anyway (and finds
    cached on the user afterwards), so the usual case (nothing unread to announce) costs no
    query of its own; unread announcements cost one more.
    """
    area = (
        Region.objects.filter(pk=user.area_id or 0)
        .annotate(
            unread_notifications=_count(Notification.objects.filter(read_at__isnull=True), user),
            unread_announcements=_count(_current(AnnouncementReceipt.objects.all()), user),
        )
        .first()
    )
    if area is None:
        return {"announcements": [], "unread_total": 0}
    user.area = area
    notifications = int(getattr(area, "unread_notifications", 0))
    announcements = int(getattr(area, "unread_announcements", 0))
    return {
        "announcements": unread_announcements(user) if announcements else [],
        "unread_total": notifications + announcements,
    }


def unread_announcements(user: User) -> list[Announcement]:
    """What the home page shows until the user marks it read, newest first."""
    receipts = current_receipts(user).select_related("announcement", "announcement__author")
    return [
        receipt.announcement
        for receipt in receipts.order_by("-announcement__created_at", "-announcement__pk")[:10]
    ]


def announcements_with_counts() -> QuerySet[Announcement]:
    return Announcement.objects.select_related("area", "author").annotate(
        recipients=Count("receipts"),
        readers=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
    )


def announcement_readers(announcement: Announcement) -> list[AnnouncementReceipt]:
    """Every recipient with when they read it (None: not yet), unread first."""
    return list(
        announcement.receipts.select_related("user", "user__area").order_by(
            F("read_at").asc(nulls_first=True), "user__area__code", "user__full_name"
        )
    )
