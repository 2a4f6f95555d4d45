"""The site's clock: the periodic jobs each app registers, and the tick that enqueues them.

Each app lists its jobs in its own `jobs.py`, which its `AppConfig.ready()` imports:

    clock.every_tick(tasks.sweep)      # enqueued by every tick (every few minutes)
    clock.daily(tasks.purge_task)      # enqueued by the first tick of each local day

A tick comes from `manage.py notifications_tick` (cron or a systemd timer) or from the
`notifications_clock` process (docs/notifications.md, "Periodic jobs and the clock"). Jobs are
django-tasks tasks run by the worker, and each must be safe to run twice or at once: several
clocks may tick together. A daily job is enqueued by exactly one tick a day (a compare-and-swap
on its `DailyRun` row), whatever the number of clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, TypeAlias, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from paradewi.core.models import DailyRun

Schedule: TypeAlias = Literal["every_tick", "daily"]
AnyTask: TypeAlias = Task[Any, Any]
TaskT = TypeVar("TaskT", bound=AnyTask)


@dataclass(frozen=True)
class Job:
    task: AnyTask
    schedule: Schedule

    @property
    def name(self) -> str:
        return self.task.name


# Keyed by the task's dotted path; filled at start-up by the apps' jobs.py modules.
_JOBS: dict[str, Job] = {}


def _register(task: AnyTask, schedule: Schedule) -> None:
    known = _JOBS.get(task.module_path)
    if known is not None and known.schedule != schedule:
        raise ImproperlyConfigured(
            f"{task.module_path} is registered with the clock both {known.schedule} and {schedule}."
        )
    _JOBS[task.module_path] = Job(task=task, schedule=schedule)


def every_tick(task: TaskT) -> TaskT:
    """Enqueue `task` at every tick of the clock."""
    _register(task, "every_tick")
    return task


def daily(task: TaskT) -> TaskT:
    """Enqueue `task` once a day, at the first tick of each local day."""
    _register(task, "daily")
    return task


def jobs() -> list[Job]:
    """Every registered job: those of every tick first, then the daily ones, each in the order
    the apps registered them."""
    registered = list(_JOBS.values())
    return [job for job in registered if job.schedule == "every_tick"] + [
        job for job in registered if job.schedule == "daily"
    ]


def _first_tick_of_the_day(name: str, today: date) -> bool:
    """True for exactly one caller per job and day. Marked before enqueueing: if the enqueue
    fails, the job waits for the next day rather than running twice."""
    DailyRun.objects.get_or_create(name=name)
    return (
        DailyRun.objects.filter(Q(day__isnull=True) | Q(day__lt=today), name=name).update(
            day=today, updated_at=timezone.now()
        )
        == 1
    )


def tick() -> list[str]:
    """Enqueue what is due: every job of every tick, and the daily jobs not yet enqueued today.
    Returns the names of the tasks enqueued."""
    today = timezone.localdate()
    names = []
    for job in jobs():
        if job.schedule == "daily" and not _first_tick_of_the_day(job.name, today):
            continue
        job.task.enqueue()
        names.append(job.name)
    return names
