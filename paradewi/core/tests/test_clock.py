"""The clock: every app's periodic jobs are registered, and one tick enqueues what is due."""

from __future__ import annotations

import importlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from paradewi.core import clock
from paradewi.core.models import DailyRun

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")

EXPECTED = {
    "paradewi.notifications.tasks.sweep": "every_tick",
    "paradewi.notifications.tasks.warn_approaching": "every_tick",
    "paradewi.notifications.tasks.send_overdue_digests": "every_tick",
    "paradewi.notifications.tasks.warn_complaints": "every_tick",
    "paradewi.requests.tasks.check_forgotten_uploads_task": "every_tick",
    "paradewi.requests.tasks.purge_expired_uploads_task": "daily",
    "paradewi.requests.tasks.verify_history_task": "daily",
    "paradewi.audit.tasks.purge_access_log_task": "daily",
    "paradewi.accounts.tasks.clear_expired_sessions_task": "daily",
    "paradewi.core.tasks.update_planner_statistics_task": "daily",
}


def test_every_apps_jobs_are_registered_with_their_schedule():
    registered = {job.task.module_path: job.schedule for job in clock.jobs()}
    assert registered == EXPECTED


def test_every_app_with_a_jobs_module_registers_from_it_at_start_up():
    with_jobs = []
    for config in apps.get_app_configs():
        if not config.name.startswith("paradewi."):
            continue
        try:
            importlib.import_module(f"{config.name}.jobs")
        except ModuleNotFoundError:
            continue
        with_jobs.append(config.name)
        own = [job for job in clock.jobs() if job.task.module_path.startswith(config.name + ".")]
        assert own, f"{config.name}.jobs registers nothing"
    assert sorted(with_jobs) == sorted({path.rsplit(".", 2)[0] for path in EXPECTED})


def test_the_jobs_of_every_tick_come_before_the_daily_ones():
    schedules = [job.schedule for job in clock.jobs()]
    assert schedules == sorted(schedules, key=lambda schedule: schedule != "every_tick")


def test_a_tick_enqueues_the_jobs_of_every_tick_each_time_and_the_daily_ones_once_a_day():
    every = [job.name for job in clock.jobs() if job.schedule == "every_tick"]
    daily = [job.name for job in clock.jobs() if job.schedule == "daily"]
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=JAKARTA)
    with time_machine.travel(morning, tick=False):
        assert clock.tick() == every + daily
        assert clock.tick() == every
    with time_machine.travel(morning + timedelta(hours=16), tick=False):  # 23:00, same day
        assert clock.tick() == every
    with time_machine.travel(morning + timedelta(days=1), tick=False):
        assert clock.tick() == every + daily
    assert set(DailyRun.objects.values_list("name", flat=True)) == set(daily)
    assert set(DailyRun.objects.values_list("day", flat=True)) == {date(2026, 12, 3)}


def test_a_task_cannot_be_registered_both_daily_and_at_every_tick():
    sweep = next(job.task for job in clock.jobs() if job.schedule == "every_tick")
    with pytest.raises(ImproperlyConfigured):
        clock.daily(sweep)
    assert clock.every_tick(sweep) is sweep


def test_the_upgrade_carries_the_days_over_from_the_notifications_cursors():
    migration = importlib.import_module("paradewi.notifications.migrations.0003_daily_runs_to_core")
    cursor = apps.get_model("notifications", "Cursor")
    cursor.objects.create(
        name="daily:purge_access_log_task", position=date(2026, 12, 2).toordinal()
    )
    cursor.objects.update_or_create(name="transitions", defaults={"position": 7})
    migration.forward(apps, None)
    assert DailyRun.objects.get(name="purge_access_log_task").day == date(2026, 12, 2)
    assert set(cursor.objects.values_list("name", flat=True)) == {"transitions"}
    migration.backward(apps, None)
    assert cursor.objects.get(name="daily:purge_access_log_task").position == (
        date(2026, 12, 2).toordinal()
    )
