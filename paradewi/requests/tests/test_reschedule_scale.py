"""How due-time recomputation behaves at scale: rows read and written, and the time."""

from __future__ import annotations

import os
import time as clock
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paradewi.requests.history import verify_chain
from paradewi.requests.models import ServiceRequest, Transition
from paradewi.requests.services import due_times_recompute
from paradewi.requests.tests.factories import make_submitted
from paradewi.worktime.models import Closure
from paradewi.worktime.services import CalendarChange

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _many_running(personas, count: int) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=WIB), tick=False):
        model = make_submitted(personas.desa_a)
    fields = {
        f.attname: getattr(model, f.attname)
        for f in ServiceRequest._meta.concrete_fields
        if not f.primary_key and not f.generated
    }
    rows = []
    for n in range(count):
        extra = timedelta(minutes=n % 3000)
        rows.append(
            ServiceRequest(
                **{
                    **fields,
                    "number": f"X-{n}",
                    "idempotency_key": uuid.uuid4(),
                    "submitted_at": model.submitted_at + extra,
                    "due_at": model.due_at + extra,
                }
            )
        )
    made = ServiceRequest.objects.bulk_create(rows, batch_size=2000)
    Transition.objects.bulk_create(
        [
            Transition(
                request_id=r.pk,
                action="submit",
                from_status="draft",
                to_status="submitted",
                created_at=r.submitted_at,
                chain_hash="",
            )
            for r in made
        ],
        batch_size=2000,
    )
    from paradewi.requests.history import rechain

    rechain()


@pytest.mark.parametrize("count", [int(os.environ.get("RESCHEDULE_COUNT", "2000"))])
def test_the_admin_page_answers_at_once_whatever_the_number_of_running_requests(
    personas, client, settings, count, django_capture_on_commit_callbacks
):
    """The page that enters a closure only enqueues the recomputation (the worker moves the
    due times): its time does not grow with the running requests."""
    from django.urls import reverse

    _many_running(personas, count)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(personas.admin)
    started = clock.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:worktime_closure_add"),
            {"date": "2026-11-25", "name": "Banjir", "opened": ""},
        )
    seconds = clock.perf_counter() - started
    assert response.status_code == 302
    print(f"\nRESCHEDULE admin page requests={count + 1} seconds={seconds:.2f}")
    assert not Transition.objects.filter(action="reschedule").exists()
    assert seconds < 5


@pytest.mark.parametrize("count", [int(os.environ.get("RESCHEDULE_COUNT", "2000"))])
def test_recomputing_the_due_times_of_many_running_requests(personas, count):
    _many_running(personas, count)
    # A closure on the day most of them are due.
    Closure.objects.create(date=date(2026, 11, 25), name="Banjir")
    with CaptureQueriesContext(connection) as queries:
        started = clock.perf_counter()
        if os.environ.get("RESCHEDULE_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            result = profile.runcall(
                due_times_recompute, CalendarChange(date(2026, 11, 25), "Banjir")
            )
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        else:
            result = due_times_recompute(CalendarChange(date(2026, 11, 25), "Banjir"))
        seconds = clock.perf_counter() - started
    print(
        f"\nRESCHEDULE {connection.vendor} requests={count + 1} examined={result.examined} "
        f"moved={result.moved} queries={len(queries)} seconds={seconds:.2f}"
    )
    assert verify_chain().intact
    # Nothing changed since: a second run reads, writes nothing.
    started = clock.perf_counter()
    again = due_times_recompute(CalendarChange(date(2026, 11, 25), "Banjir"))
    print(f"RESCHEDULE again moved={again.moved} seconds={clock.perf_counter() - started:.2f}")
    assert again.moved == 0
