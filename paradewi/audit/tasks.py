"""Background tasks of the access log (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paradewi.audit.services import access_log_purge, retention_cutoff


@task()
def purge_access_log_task() -> int:
    """Once a day (the periodic tick enqueues it): delete rows past their retention period."""
    return access_log_purge(before=retention_cutoff())
