"""A calendar change moves the due times of running requests, with history (Perpres 21/2023
working days and hours; closures and re-opened days entered by the administrator)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from paradewi.documents import services as documents_services
from paradewi.reports.models import MonthlyActivity
from paradewi.reports.services import refresh_activity
from paradewi.requests import services
from paradewi.requests.history import verify_chain
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.services import OutputUpload, due_times_recompute
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.requests.workflow import Action
from paradewi.worktime.models import Closure, OfficeSchedule, ScheduleKind
from paradewi.worktime.services import (
    CalendarChange,
    add_working_minutes,
    target_minutes,
    working_minutes_between,
)

WIB = ZoneInfo("Asia/Jakarta")
pytestmark = pytest.mark.django_db


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@pytest.fixture
def p(personas):
    return personas


def submitted(p, moment: datetime, **kwargs) -> ServiceRequest:
    with time_machine.travel(moment, tick=False):
        return make_submitted(p.desa_a, **kwargs)


def fresh_due(request: ServiceRequest) -> datetime:
    """The due time a request submitted at that moment gets from the calendar as it is."""
    target = request.definition["target"]
    return add_working_minutes(
        request.submitted_at, target_minutes(target["amount"], target["unit"])
    )


def test_a_closure_entered_after_submission_moves_the_due_time(
    p, django_capture_on_commit_callbacks
):
    """A flood closes the office on a day the request was waiting through (entered after it
    was submitted): the request gets the day back. Perpres 21/2023 Pasal 3-4 (working days
    and hours); the closure is the regency's own decision."""
    request = submitted(p, at(2026, 11, 23, 9))
    before = request.due_at
    flood = before.astimezone(WIB).date()
    if before.astimezone(WIB).time() <= time(7, 30):
        flood -= timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(date=flood, name="Banjir")
    request.refresh_from_db()
    assert request.due_at > before
    assert request.due_at == fresh_due(request)
    # The same time of day on the next working day (the closed day's hours are given back).
    assert request.due_at == before + timedelta(days=1)
    row = Transition.objects.get(request=request, action=Action.RESCHEDULE)
    assert (row.from_status, row.to_status) == (request.status, request.status)
    assert row.details == {"due_from": before.isoformat(), "due_to": request.due_at.isoformat()}
    assert "Banjir" in row.reason
    assert verify_chain().intact


def test_a_re_opened_day_brings_the_due_time_back(p, django_capture_on_commit_callbacks):
    """A cuti bersama cancelled by the government (as in 2020 and 2021) is a working day
    again for the requests running through it."""
    # Tuesday 17 March 2026: cuti bersama 18, 20, 23 and 24 March lie ahead.
    request = submitted(p, at(2026, 3, 17, 9))
    before = request.due_at
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(date=date(2026, 3, 18), name="Cuti bersama batal", opened=True)
    request.refresh_from_db()
    assert request.due_at < before
    assert request.due_at == fresh_due(request)
    assert verify_chain().intact


def test_new_office_hours_move_running_requests_and_leave_others(
    p, django_capture_on_commit_callbacks
):
    """Ramadan hours entered for a range (Perpres 21/2023 Pasal 4 ayat (2), (4)): shorter
    days, later due times. Finished requests and requests due before the range keep theirs."""
    running = submitted(p, at(2027, 2, 1, 9))
    finished = submitted(p, at(2027, 2, 1, 9), subject_nik="3516011205900011")
    finished = services.request_verify(actor=p.kecamatan_a, request=finished)
    finished = services.request_claim(actor=p.clerk, request=finished)
    finished = documents_services.request_complete(
        actor=p.clerk, request=finished, outputs=[OutputUpload("kk", pdf_file())]
    )
    early = submitted(p, at(2026, 11, 2, 9), subject_nik="3516011205900012")
    due_before = {r.pk: r.due_at for r in (running, finished, early)}
    with django_capture_on_commit_callbacks(execute=True):
        OfficeSchedule.objects.create(
            name="Ramadan 1448 H",
            kind=ScheduleKind.RAMADAN,
            starts=date(2027, 2, 1),
            ends=date(2027, 3, 9),
        )
    for request in (running, finished, early):
        request.refresh_from_db()
    assert running.due_at > due_before[running.pk]
    assert running.due_at == fresh_due(running)
    assert finished.due_at == due_before[finished.pk]
    assert early.due_at == due_before[early.pk]
    assert Transition.objects.filter(action=Action.RESCHEDULE).count() == 1
    assert verify_chain().intact


def test_a_returned_request_keeps_its_paused_time(p):
    """The clock stops while the village fixes a returned request; a recomputed due time
    adds the same pause as the resubmission did."""
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        request = make_submitted(p.desa_a)
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        request = services.request_return(actor=p.kecamatan_a, request=request, reason="Buram")
    with time_machine.travel(at(2026, 11, 24, 14), tick=False):
        request = services.request_submit(actor=p.desa_a, request=request)
    assert request.status == Status.SUBMITTED
    # Nothing changed in the calendar: nothing moves, no history row.
    result = due_times_recompute(CalendarChange(None, "check"))
    assert (result.examined, result.moved) == (1, 0)
    Closure.objects.create(date=request.due_at.astimezone(WIB).date(), name="SIAK padam")
    before = request.due_at
    result = due_times_recompute(CalendarChange(None, "SIAK padam"))
    assert result.moved == 1
    request.refresh_from_db()
    assert working_minutes_between(before, request.due_at) > 0
    assert verify_chain().intact


def test_the_reports_count_on_time_by_the_calendar_as_it_stands(p):
    """A completion is on time when its clock is within the target, by the calendar as it
    stands: a closure entered later turns a late completion into one on time once its
    month is recomputed (which the calendar change asks for)."""
    request = submitted(p, at(2026, 11, 23, 9))
    late = request.due_at + timedelta(hours=2)
    with time_machine.travel(late, tick=False):
        request = services.request_verify(actor=p.kecamatan_a, request=request)
        request = services.request_claim(actor=p.clerk, request=request)
        documents_services.request_complete(
            actor=p.clerk, request=request, outputs=[OutputUpload("kk", pdf_file())]
        )
        refresh_activity()
    assert MonthlyActivity.objects.get().completed_on_time == 0
    with time_machine.travel(late + timedelta(days=1), tick=False):
        Closure.objects.create(date=date(2026, 11, 24), name="Banjir")
        refresh_activity(from_month=date(2026, 11, 24))
    assert MonthlyActivity.objects.get().completed_on_time == 1


def test_the_administrator_enters_a_closure_in_the_admin_and_is_named_in_the_history(
    client, p, django_capture_on_commit_callbacks
):
    """The administrator keeps the calendar (Django admin); the history row names who."""
    request = submitted(p, at(2026, 11, 23, 9))
    client.force_login(p.admin)
    day = request.due_at.astimezone(WIB).date()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:worktime_closure_add"),
            {"date": day.isoformat(), "name": "Banjir", "opened": ""},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = Transition.objects.get(request=request, action=Action.RESCHEDULE)
    assert row.actor == p.admin
    assert verify_chain().intact
    schedule_page = client.get(reverse("admin:worktime_officeschedule_add"))
    assert schedule_page.status_code == 200


def test_the_admin_page_only_schedules_the_recomputation_for_the_worker(
    client, p, settings, django_capture_on_commit_callbacks
):
    """Perpres 21/2023 (the working-day clock) makes a closure move running requests' due
    times; with 20,000 of them that takes some 40 seconds, so the administrator's page only
    enqueues the task, says so, and answers at once. The worker's task moves the due times
    with their RESCHEDULE history (naming the administrator), and running it again (a retry)
    moves nothing: it is idempotent."""
    from django_tasks import task_backends
    from django_tasks.backends.dummy import DummyBackend

    from paradewi.requests.tasks import reschedule_due_times_task

    request = submitted(p, at(2026, 11, 23, 9))
    before = request.due_at
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(p.admin)
    client.cookies["django_language"] = "en"
    day = before.astimezone(WIB).date()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:worktime_closure_add"),
            {"date": day.isoformat(), "name": "Banjir", "opened": ""},
            follow=True,
        )
    assert response.status_code == 200
    assert "recomputed in the background" in response.content.decode()
    from django.utils import translation

    from paradewi.worktime.admin import RECOMPUTE_SCHEDULED

    with translation.override("id"):  # the administrator's default language
        assert str(RECOMPUTE_SCHEDULED).startswith("Kalender berubah: batas waktu")
    request.refresh_from_db()
    assert request.due_at == before  # not in the page: in the worker
    assert not Transition.objects.filter(action=Action.RESCHEDULE).exists()
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    [queued] = [r for r in backend.results if r.task.name == "reschedule_due_times_task"]
    assert queued.kwargs == {
        "first": day.isoformat(),
        "reason": f"{day.isoformat()} Banjir",
        "actor_id": p.admin.pk,
    }

    result = reschedule_due_times_task.call(**queued.kwargs)
    assert result == {"examined": 1, "moved": 1}
    request.refresh_from_db()
    assert request.due_at == fresh_due(request) > before
    row = Transition.objects.get(request=request, action=Action.RESCHEDULE)
    assert row.actor == p.admin
    assert reschedule_due_times_task.call(**queued.kwargs) == {"examined": 1, "moved": 0}
    assert Transition.objects.filter(action=Action.RESCHEDULE).count() == 1
    assert verify_chain().intact


@pytest.mark.parametrize("persona", ["clerk", "head", "desa_a", "kecamatan_a"])
def test_only_the_administrator_keeps_the_calendar(client, p, persona):
    client.force_login(getattr(p, persona))
    response = client.get(reverse("admin:worktime_closure_changelist"))
    assert response.status_code in (302, 403)
