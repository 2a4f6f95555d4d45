"""A request row changed behind the workflow's back (by SQL, on a copy of the database) is found:
`verify_history` compares every request's status, holder and due time with its history."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from paradewi.requests import services
from paradewi.requests.history import DUE_KEY, due_text, verify_state
from paradewi.requests.models import ServiceRequest, Transition
from paradewi.requests.tasks import verify_history_task
from paradewi.requests.tests.test_action_views import in_state


@pytest.fixture
def requests_(personas):
    return {
        "done": in_state(personas, "done"),
        "in_process": in_state(personas, "in_process"),
        "returned": in_state(personas, "returned"),
    }


def test_requests_made_through_the_workflow_agree_with_their_history(requests_):
    check = verify_state()
    assert check.consistent
    assert check.requests == 3
    out = StringIO()
    call_command("verify_history", stdout=out)
    assert "Every request agrees with its history: 3 requests." in out.getvalue()


def test_the_submission_records_the_due_time_it_sets(requests_):
    request = requests_["done"]
    submit = Transition.objects.get(request=request, action="submit")
    assert submit.details[DUE_KEY] == due_text(request.due_at)


@pytest.mark.parametrize(
    ("name", "change", "field"),
    [
        ("done", {"status": "handed_over"}, "status"),
        ("returned", {"status": "verified"}, "status"),
        ("in_process", {"holder_id": "head"}, "holder"),
        ("done", {"holder_id": "clerk"}, "holder"),
    ],
)
def test_a_status_or_holder_changed_by_sql_is_named(personas, requests_, name, change, field):
    """Before: the chain covered the history rows only and said "intact"."""
    request = requests_[name]
    if change.get("holder_id") in ("clerk", "head"):
        change = {"holder_id": getattr(personas, change["holder_id"]).pk}
    ServiceRequest.objects.filter(pk=request.pk).update(**change)
    check = verify_state()
    assert not check.consistent
    assert check.request is not None
    assert check.request.pk == request.pk
    assert check.field == field
    with pytest.raises(
        CommandError, match=f"Request {request.number} \\(id {request.pk}\\): {field}"
    ):
        call_command("verify_history", stdout=StringIO())


def test_a_due_time_moved_by_sql_is_named(requests_):
    request = requests_["in_process"]
    ServiceRequest.objects.filter(pk=request.pk).update(due_at=request.due_at + timedelta(days=30))
    check = verify_state()
    assert (check.request.pk, check.field) == (request.pk, "due_at")
    assert check.expected == due_text(request.due_at)


def test_a_resubmission_records_the_extended_due_time(personas, requests_):
    request = requests_["returned"]
    fixed = services.request_submit(actor=personas.desa_a, request=request)
    last = Transition.objects.filter(request=fixed).latest("pk")
    assert last.details[DUE_KEY] == due_text(fixed.due_at)
    assert verify_state().consistent


def test_the_daily_run_fails_loudly(requests_, caplog):
    ServiceRequest.objects.filter(pk=requests_["done"].pk).update(status="handed_over")
    with pytest.raises(CommandError):
        verify_history_task.call()
    assert "verify_history: Request" in caplog.text


def test_the_daily_run_is_registered_with_the_clock():
    from paradewi.core import clock

    assert "paradewi.requests.tasks.verify_history_task" in {
        j.task.module_path for j in clock.jobs()
    }


def test_a_due_time_moved_by_a_late_closure_agrees_with_its_history(requests_):
    """Due times moved by the working calendar (a closure entered after submission) are
    recorded in the history too, so the check follows them."""
    from paradewi.requests.services import due_times_recompute
    from paradewi.worktime.models import Closure
    from paradewi.worktime.services import CalendarChange

    request = requests_["in_process"]
    day = timezone.localdate(request.due_at)
    Closure.objects.create(date=day, name="Banjir")
    moved = due_times_recompute(CalendarChange(first=day, reason="Banjir", actor=None))
    assert moved.moved >= 1
    assert verify_state().consistent
