"""The apps above requests react to a transition through the subscribers they register, after
the commit only."""

from __future__ import annotations

import pytest
from django.db import transaction

from paradewi.notifications.services import transition_notify
from paradewi.reports.services import mark_stale
from paradewi.requests import events, services
from paradewi.requests.models import Transition
from paradewi.requests.tests.factories import make_submitted
from paradewi.surveys import services as surveys


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def seen(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(events, "_subscribers", [calls.append])
    return calls


def test_the_notifications_subscribe_to_every_committed_transition():
    assert transition_notify in events.subscribers()


def test_the_reports_subscribe_to_every_survey_answer():
    assert mark_stale in surveys._answered_subscribers


def test_a_subscriber_is_called_after_the_commit_with_the_transition(
    p, seen, django_capture_on_commit_callbacks
):
    request = make_submitted(p.desa_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_verify(actor=p.kecamatan_a, request=request)
        assert seen == []
    assert seen == [Transition.objects.filter(request=request).latest("pk").pk]


def _submit_then_fail(actor):
    with transaction.atomic():
        make_submitted(actor)
        raise RuntimeError


def test_a_transition_rolled_back_calls_no_subscriber(p, seen, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _submit_then_fail(p.desa_a)
    assert callbacks == []
    assert seen == []


def test_a_failing_subscriber_does_not_keep_the_others_from_running(monkeypatch, caplog):
    calls: list[int] = []

    def broken(transition_id: int) -> None:
        raise ValueError(transition_id)

    monkeypatch.setattr(events, "_subscribers", [broken, calls.append])
    events.transition_committed(7)
    assert calls == [7]
    assert "failed on transition 7" in caplog.text


def test_subscribing_twice_keeps_one(monkeypatch):
    monkeypatch.setattr(events, "_subscribers", [])
    events.subscribe(transition_notify)
    events.subscribe(transition_notify)
    assert events.subscribers() == (transition_notify,)
