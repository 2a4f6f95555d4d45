"""Retention: the scans of finished requests are deleted after UPLOAD_RETENTION_DAYS.

A request is finished when it reaches a final state (handed over, rejected, cancelled); no
transition leaves those states, so `status_changed_at` is the day its life ended and the
retention period counts from there. Then every upload of the request, current and replaced,
loses its file and its previews (through the storage API, so on local disk and S3 alike) and
gets `purged_at`. What stays: the Upload rows with their name, size and SHA-256, the history
(Transition rows), the issued documents (OutputFile) and every figure the reports read.

The purge is idempotent (a purged upload is never looked at again; deleting a missing file is
no error) and safe to run twice at once (the row is marked with a compare-and-swap). It works
in batches ordered by id, so memory stays bounded however many uploads expire on one day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from paradewi.requests.models import FINAL_STATES, Upload
from paradewi.requests.previews import delete_previews

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Storage errors in a row after which a run stops (the store is probably unreachable); the
# uploads left are taken up by the next run.
MAX_FAILURES = 10


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Requests that reached a final state before this moment have expired uploads."""
    return (now or timezone.now()) - timedelta(days=settings.UPLOAD_RETENTION_DAYS)


def expired_uploads(now: datetime | None = None) -> QuerySet[Upload]:
    """Uploads whose file is still stored although their request's retention period is over."""
    return Upload.objects.filter(
        purged_at__isnull=True,
        request__status__in=FINAL_STATES,
        request__status_changed_at__lt=retention_cutoff(now),
    )


def purge_upload(upload: Upload, *, now: datetime) -> bool:
    """Delete one upload's file and previews, then mark the row. True if this call marked it.

    The file goes first, so no preview can be drawn from it once its previews are deleted.
    The mark comes last: if anything fails before, the next run deletes again (a no-op) and
    marks; the other order could leave files behind that nothing would ever delete.
    """
    if upload.file.name:
        upload.file.storage.delete(upload.file.name)
    delete_previews(upload)
    marked = Upload.objects.filter(pk=upload.pk, purged_at__isnull=True).update(purged_at=now)
    return marked == 1


@dataclass(frozen=True)
class PurgePlan:
    uploads: int
    requests: int


def purge_plan(*, now: datetime | None = None) -> PurgePlan:
    """What a purge would delete now (for `purge_uploads --dry-run`)."""
    expired = expired_uploads(now)
    return PurgePlan(
        uploads=expired.count(),
        requests=expired.values("request_id").distinct().count(),
    )


def purge_expired_uploads(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Delete the files of every expired upload (see the module docstring); returns how many."""
    now = now or timezone.now()
    expired = expired_uploads(now).only("pk", "request", "file", "pages").order_by("pk")
    purged = failures = 0
    last_pk = 0
    while failures < MAX_FAILURES:
        batch = list(expired.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        for upload in batch:
            try:
                if purge_upload(upload, now=now):
                    purged += 1
                failures = 0
            except Exception:  # a storage error: log it, the next run tries again
                failures += 1
                logger.exception("retention: could not delete upload %s", upload.pk)
                if failures >= MAX_FAILURES:
                    logger.error("retention: %d failures in a row, stopping", failures)
                    break
    if purged:
        logger.info("retention: deleted the files of %d uploads", purged)
    return purged
