"""Background tasks of requests (django-tasks)."""

from __future__ import annotations

import io
import logging

from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import task

from paradewi.requests import retention

logger = logging.getLogger(__name__)


@task()
def purge_expired_uploads_task() -> int:
    """Once a day (the periodic tick enqueues it): delete the scans whose retention is over."""
    return retention.purge_expired_uploads()


@task()
def verify_history_task() -> str:
    """Once a day: `verify_history` (the chain, and every request against its history). A
    failure is logged as an error and fails the task, so the queue's admin page shows it."""
    try:
        call_command("verify_history", stdout=io.StringIO())
    except CommandError as error:
        logger.error("verify_history: %s", error)
        raise
    return "intact"
