"""The clerks' workload: figures per clerk for the Dinas head, a clerk's own for the clerk, and
nothing about a named clerk for anyone else (the leadership viewer included)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from paradewi.documents import services as documents_services
from paradewi.requests import services
from paradewi.requests.selectors.workload import nearest_rank, workload
from paradewi.requests.services import OutputUpload
from paradewi.requests.tests.factories import make_submitted, pdf_file
from paradewi.testing import Client, make_user

WORKLOAD = reverse("reports_workload")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in December 2026 (1 December is a Tuesday), local time."""
    return datetime(2026, 12, day, hour, minute, tzinfo=timezone.get_current_timezone())


def verified(p):
    request = make_submitted(p.desa_a)
    return services.request_verify(actor=p.kecamatan_a, request=request)


def complete(p, clerk, request):
    return documents_services.request_complete(
        actor=clerk, request=request, outputs=[OutputUpload("kk", pdf_file("kk.pdf"))]
    )


@pytest.fixture
def history(personas):
    """The clerk takes three requests and completes two (1 and 3 working hours); returns one.
    Another clerk takes one that the head reassigns to the first clerk."""
    p = personas
    other = make_user("clerk-2", "dinas_clerk", p.clerk.area.code, full_name="Gita Savitri")
    with time_machine.travel(at(1, 9), tick=False) as clock:
        one, two, three, four = verified(p), verified(p), verified(p), verified(p)
        one = services.request_claim(actor=p.clerk, request=one)
        two = services.request_claim(actor=p.clerk, request=two)
        three = services.request_claim(actor=p.clerk, request=three)
        four = services.request_claim(actor=other, request=four)
        clock.move_to(at(1, 10))
        complete(p, p.clerk, one)  # 1 working hour
        clock.move_to(at(1, 12))
        complete(p, p.clerk, two)  # 3 working hours
        services.request_return(actor=p.clerk, request=three, reason="Buram")
        services.request_reassign(actor=p.head, request=four, clerk=p.clerk)
    return {"other": other, "four": four}


def test_the_figures_of_each_clerk(personas, history):
    start, end = at(1, 0), at(31, 0)
    with time_machine.travel(at(2, 9), tick=False):
        loads = {
            load.clerk.username: load
            for load in workload([personas.clerk, history["other"]], start, end)
        }
    clerk = loads["clerk"]
    assert (clerk.held, clerk.taken, clerk.completed, clerk.returned, clerk.rejected) == (
        1,
        4,
        2,
        1,
        0,
    )
    assert sorted(clerk.durations) == [60, 180]
    assert (clerk.median, clerk.p90) == (60, 180)
    other = loads["clerk-2"]
    assert (other.held, other.taken, other.completed) == (0, 1, 0)


def test_a_period_before_the_work_counts_nothing_but_what_is_held_now(personas, history):
    loads = workload([personas.clerk], at(1, 0) - timedelta(days=30), at(1, 0))
    assert (loads[0].taken, loads[0].completed, loads[0].held) == (0, 0, 1)


def test_nearest_rank_percentiles():
    assert nearest_rank([], 0.5) is None
    assert nearest_rank([30, 10, 20], 0.5) == 20
    assert nearest_rank([10, 20, 30, 40], 0.5) == 20
    assert nearest_rank(list(range(1, 11)), 0.9) == 9


def page(client: Client):
    return client.get(WORKLOAD, {"period": "2026-12"})


def test_the_head_sees_every_clerk_and_may_reassign(personas, history):
    client = Client()
    client.force_login(personas.head)
    response = page(client)
    assert response.status_code == 200
    names = {load.clerk.username for load, _held in response.context["rows"]}
    assert {"clerk", "clerk-2", "head"} <= names
    assert reverse("request_reassign", args=[history["four"].pk]) in response.content.decode()


def test_a_clerk_sees_only_their_own_figures(personas, history):
    client = Client()
    client.force_login(history["other"])
    response = page(client)
    assert response.status_code == 200
    assert [load.clerk.username for load, _held in response.context["rows"]] == ["clerk-2"]
    content = response.content.decode()
    assert personas.clerk.get_full_name() not in content
    assert reverse("request_reassign", args=[history["four"].pk]) not in content


@pytest.mark.parametrize("persona", ["viewer", "desa_a", "kecamatan_a", "admin"])
def test_nobody_else_sees_figures_about_a_named_clerk(personas, history, persona):
    client = Client()
    client.force_login(getattr(personas, persona))
    response = page(client)
    assert response.status_code in (403, 404)
    assert personas.clerk.get_full_name().encode() not in response.content


@pytest.mark.parametrize("persona", ["viewer", "desa_a"])
def test_the_reports_tab_is_not_offered_to_others(personas, persona):
    client = Client()
    client.force_login(getattr(personas, persona))
    assert WORKLOAD.encode() not in client.get(reverse("reports_speed")).content
