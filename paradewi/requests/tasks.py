"""Background tasks of requests (django-tasks)."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import task

from paradewi.accounts.models import User
from paradewi.requests import previews, retention, services
from paradewi.requests.models import Upload, UploadState
from paradewi.worktime.services import CalendarChange

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


@task()
def reschedule_due_times_task(
    first: str | None, reason: str, actor_id: int | None = None
) -> dict[str, Any]:
    """The calendar changed from `first` (an ISO date; None: every day): move the due times of
    running requests in the worker (services.due_times_recompute), not in the administrator's
    page (some 40 seconds at 20,000 running requests).

    Idempotent: it recomputes from the calendar as it stands when it runs, so a second run (a
    retry, two changes in a row) moves nothing already moved; each moved due time leaves its
    RESCHEDULE history row, naming the administrator who changed the calendar."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    result = services.due_times_recompute(
        CalendarChange(date.fromisoformat(first) if first else None, reason, actor)
    )
    logger.info(
        "due times after a calendar change (%s): %d examined, %d moved",
        reason,
        result.examined,
        result.moved,
    )
    return {"examined": result.examined, "moved": result.moved}


def _thumbnail(upload_id: int) -> str:
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None:
        return "gone"
    try:
        return previews.ensure_preview(upload, 1, "thumb")
    except previews.PreviewUnavailable:
        return "unavailable"


@task()
def render_thumbnail_task(upload_id: int) -> str:
    """Draw the first page's thumbnail of a new upload, so the request page's first viewer
    does not wait for it (bench: 8 ms of CPU for a photo, 16 ms for a PDF page, PDF pages one
    at a time per process). The preview view still draws one that is not there yet."""
    return _thumbnail(upload_id)


@task()
def check_upload_task(upload_id: int) -> str:
    """Decode a new photo in full and store its clean JPEG (services.upload_check), then draw
    its thumbnail: the officer's upload is answered once the header is read (bench: the
    re-encoding was 30-45 ms of an upload's CPU on the request path)."""
    state = services.upload_check(upload_id)
    if state != UploadState.DAMAGED:
        _thumbnail(upload_id)
    return str(state)


@task()
def check_forgotten_uploads_task() -> int:
    """At every tick of the clock: check the photos whose own task was lost
    (services.uploads_check_forgotten), so no officer waits for a check that never comes."""
    return services.uploads_check_forgotten()
