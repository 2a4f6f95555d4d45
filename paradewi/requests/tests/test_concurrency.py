"""Two people acting on the same request at once: exactly one wins (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections

from paradewi.requests import services
from paradewi.requests.errors import StaleRequestError
from paradewi.requests.history import verify_chain
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.tests.factories import make_draft, make_submitted, upload_all
from paradewi.testing import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks between threads need PostgreSQL (the test SQLite database is in memory)",
    ),
]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same moment, each in its own thread with its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_clerks_claiming_the_same_request_exactly_one_wins(personas):
    other = make_user("clerk-2", "dinas_clerk", "35.16")
    submitted = make_submitted(personas.desa_a)
    request = services.request_verify(actor=personas.kecamatan_a, request=submitted)
    for _round in range(5):
        copies = [ServiceRequest.objects.get(pk=request.pk) for _ in range(2)]
        results = run_together(
            [
                partial(services.request_claim, actor=personas.clerk, request=copies[0]),
                partial(services.request_claim, actor=other, request=copies[1]),
            ]
        )
        winners = [r for r in results if isinstance(r, ServiceRequest)]
        losers = [r for r in results if isinstance(r, StaleRequestError)]
        assert len(winners) == 1, results
        assert len(losers) == 1, results
        request.refresh_from_db()
        assert request.status == Status.IN_PROCESS
        assert request.holder_id == winners[0].holder_id
        request = services.request_release(actor=personas.head, request=request)
    claims = Transition.objects.filter(request=request, action="claim").count()
    assert claims == 5


def test_fifty_parallel_submissions_get_fifty_distinct_numbers(personas):
    drafts = []
    for _ in range(50):
        draft = make_draft(personas.desa_a)
        upload_all(personas.desa_a, draft)
        drafts.append(draft)
    results = run_together(
        [partial(services.request_submit, actor=personas.desa_a, request=draft) for draft in drafts]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    numbers = {r.number for r in results}
    assert len(numbers) == 50
    serials = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert serials == list(range(1, 51))  # unique and without gaps


def test_two_officers_submitting_the_same_draft_submit_it_once(personas):
    draft = make_draft(personas.desa_a)
    upload_all(personas.desa_a, draft)
    copies = [ServiceRequest.objects.get(pk=draft.pk) for _ in range(2)]
    results = run_together(
        [partial(services.request_submit, actor=personas.desa_a, request=c) for c in copies]
    )
    assert sum(isinstance(r, ServiceRequest) for r in results) == 1
    assert sum(isinstance(r, StaleRequestError) for r in results) == 1
    assert Transition.objects.filter(request=draft, action="submit").count() == 1


def test_the_history_chain_stays_whole_when_many_requests_move_at_once(personas):
    """Transitions of different requests written at the same moment queue up on the chain's
    head: ids and chain order agree, and the chain verifies."""
    requests = [make_submitted(personas.desa_a) for _ in range(6)]
    results = run_together(
        [
            partial(services.request_verify, actor=personas.kecamatan_a, request=request)
            for request in requests
        ]
    )
    assert all(isinstance(result, ServiceRequest) for result in results)
    check = verify_chain()
    assert check.intact
    assert check.rows == Transition.objects.count()
