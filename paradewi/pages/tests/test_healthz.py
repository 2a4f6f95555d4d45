from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from paradewi.pages.services import HEARTBEAT_PATH

# The worker closes its database connection when done, as a real one does: needs real
# transactions rather than the test-wrapping one.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    """Use the real database queue (the suite runs tasks inline by default)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_it_reports_the_database_and_a_worker_that_runs_tasks(client, db_tasks):
    first = client.get(reverse("healthz"))
    assert first.status_code == 200
    assert first.json()["database"] == {"ok": True, "vendor": first.json()["database"]["vendor"]}
    assert first.json()["worker"]["ok"] is False  # no worker has run the heartbeat yet
    assert DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH, status="READY").count() == 1

    run_worker()
    body = client.get(reverse("healthz")).json()
    assert body["worker"]["ok"] is True
    assert body["ok"] is True


def test_it_enqueues_at_most_one_heartbeat_at_a_time(client, db_tasks):
    for _ in range(3):
        client.get(reverse("healthz"))
    assert DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH).count() == 1


def test_it_reports_the_worker_down_when_no_heartbeat_ran_lately(client, db_tasks, settings):
    client.get(reverse("healthz"))
    run_worker()
    later = timezone.now() + timedelta(seconds=settings.WORKER_HEARTBEAT_TIMEOUT + 5)
    with time_machine.travel(later):
        body = client.get(reverse("healthz")).json()
    assert body["worker"]["ok"] is False
    assert body["ok"] is False
