from __future__ import annotations

from datetime import date

from django_tasks import task

from paradewi.reports import services


@task()
def refresh_activity_task(rebuild: bool = False, from_month: str | None = None) -> int:
    """Runs in the worker when a dashboard finds its figures stale, or the calendar changed
    (from `from_month`, an ISO date, or every month with `rebuild`; see reports.services)."""
    return services.refresh_activity(
        rebuild=rebuild, from_month=date.fromisoformat(from_month) if from_month else None
    )
