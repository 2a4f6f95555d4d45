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


# --- who sees the parts -------------------------------------------------------------------------


def test_the_public_gets_the_status_only(client):
    """From another address the answer names no database vendor and no worker."""
    response = client.get(reverse("healthz"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert set(response.json()) == {"ok"}
    assert b"vendor" not in response.content


def test_a_call_through_a_proxy_on_this_host_is_the_public(client):
    """nginx on the same host connects from 127.0.0.1 but says whom it forwards."""
    response = client.get(reverse("healthz"), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert set(response.json()) == {"ok"}


def test_a_call_on_this_host_gets_the_parts(client):
    body = client.get(reverse("healthz"), REMOTE_ADDR="::1").json()
    assert set(body) == {"ok", "database", "worker"}


def test_the_monitoring_token_gets_the_parts(client, settings):
    settings.HEALTHZ_TOKEN = "monitor-secret"
    url = reverse("healthz")
    good = client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer monitor-secret")
    assert set(good.json()) == {"ok", "database", "worker"}
    bad = client.get(url, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
    assert set(bad.json()) == {"ok"}


def test_without_a_token_set_no_bearer_opens_the_parts(client, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get(
        reverse("healthz"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer "
    )
    assert set(response.json()) == {"ok"}
