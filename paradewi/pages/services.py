"""Health of the parts the service depends on, for /healthz and monitoring."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_tasks_db.models import DBTaskResult

from paradewi.pages.tasks import heartbeat

HEARTBEAT_PATH = f"{heartbeat.func.__module__}.{heartbeat.func.__qualname__}"


# Headers a reverse proxy adds: with any of them the request did not come from this host
# directly, whatever REMOTE_ADDR says (nginx on the same host connects from 127.0.0.1).
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def may_see_health_details(request: HttpRequest) -> bool:
    """The database vendor and the worker's heartbeat are for monitoring, not for anyone: a
    request with `Authorization: Bearer <HEALTHZ_TOKEN>`, or one made on this host directly
    (a loopback address and no proxy header)."""
    token = settings.HEALTHZ_TOKEN
    sent = str(request.META.get("HTTP_AUTHORIZATION") or "")
    if token and sent.startswith("Bearer ") and constant_time_compare(sent[7:].strip(), token):
        return True
    if any(request.META.get(header) for header in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(str(request.META.get("REMOTE_ADDR") or "")).is_loopback
    except ValueError:
        return False


def database_status() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "vendor": connection.vendor, "error": error.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker_status() -> dict[str, Any]:
    """Whether a background worker has run a heartbeat task recently.

    Each call enqueues a heartbeat unless one is already waiting, so a running worker keeps
    proving itself whenever the endpoint is polled; the answer reflects the last one finished.
    """
    timeout = timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT)
    now = timezone.now()
    beats = DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH)
    last = beats.successful().order_by("-finished_at").values_list("finished_at", flat=True).first()
    waiting = beats.filter(status="READY").order_by("enqueued_at").first()
    if waiting is None:
        heartbeat.enqueue()
    # Old heartbeats are noise: keep the newest few.
    stale = beats.successful().filter(finished_at__lt=now - 10 * timeout)
    stale.delete()
    status: dict[str, Any] = {
        "ok": last is not None and now - last <= timeout,
        "last_heartbeat": last.isoformat() if last else None,
    }
    if waiting is not None:
        status["waiting_since"] = waiting.enqueued_at.isoformat()
    return status
