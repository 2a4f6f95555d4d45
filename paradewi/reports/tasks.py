from __future__ import annotations

from django_tasks import task

from paradewi.reports import services


@task()
def refresh_activity_task() -> int:
    """Runs in the worker when a dashboard finds its figures stale (see reports.services)."""
    return services.refresh_activity()
