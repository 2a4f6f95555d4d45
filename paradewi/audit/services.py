"""Writing the access log: one INSERT per logged view, and the retention purge.

`access_record` is called by every view that shows or sends a resident's personal data, after
the view's access check has passed and just before it answers, so a refused access (404)
writes nothing. It reads only what the request already holds (the logged-in user with their
role and area id, the headers) and writes one row: no SELECT, no `full_clean` (which would
look up every foreign key); the values are bounded here instead.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from paradewi.accounts.models import User
from paradewi.accounts.network import client_ip
from paradewi.audit.models import (
    ADDRESS_MAX,
    EXPORT_ACTIONS,
    OBJECT_MAX,
    REASON_MAX,
    USER_AGENT_MAX,
    AccessLog,
    Action,
)
from paradewi.requests.models import ServiceRequest

logger = logging.getLogger(__name__)

PURGE_BATCH = 5000


class MissingReasonError(ValueError):
    """An export of personal data was about to be logged without the reason it needs."""


def short_user_agent(value: str) -> str:
    """The browser's self-description, cut to fit and without control characters."""
    printable = "".join(char if char.isprintable() else " " for char in value)
    return " ".join(printable.split())[:USER_AGENT_MAX]


def access_record(
    *,
    request: HttpRequest,
    actor: User,
    action: Action,
    service_request: ServiceRequest | None = None,
    object_id: int | str = "",
    reason: str = "",
) -> AccessLog:
    """Log that `actor` did `action` on `service_request` (and the object `object_id`).

    Call after the access check. An export (`EXPORT_ACTIONS`) needs a non-empty `reason`.
    """
    reason = reason.strip()
    if action in EXPORT_ACTIONS and not reason:
        raise MissingReasonError(action)
    return AccessLog.objects.create(
        at=timezone.now(),
        user=actor,
        role=actor.role,
        area_id=actor.area_id,
        action=action,
        request_id=service_request.pk if service_request is not None else None,
        object_id=str(object_id)[:OBJECT_MAX],
        address=client_ip(request)[:ADDRESS_MAX],
        user_agent=short_user_agent(str(request.META.get("HTTP_USER_AGENT") or "")),
        reason=reason[:REASON_MAX],
    )


def retention_days() -> int:
    days: int = settings.ACCESS_LOG_RETENTION_DAYS
    return days


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Rows written before this moment have passed the retention period."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def access_log_purge(*, before: datetime) -> int:
    """Delete the rows written before `before`, in batches; the number deleted.

    The only deletion the log knows: a whole row once its retention period is over.
    """
    deleted = 0
    while True:
        ids = list(
            AccessLog.objects.filter(at__lt=before)
            .order_by("at")
            .values_list("pk", flat=True)[:PURGE_BATCH]
        )
        if not ids:
            break
        with transaction.atomic():
            count, _rows = AccessLog.objects.filter(pk__in=ids).delete()
        deleted += count
    if deleted:
        logger.info("access log: %d rows older than %s deleted", deleted, before.isoformat())
    return deleted
