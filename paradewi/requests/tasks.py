"""Background tasks of requests (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paradewi.requests import retention


@task()
def purge_expired_uploads_task() -> int:
    """Once a day (the periodic tick enqueues it): delete the scans whose retention is over."""
    return retention.purge_expired_uploads()
