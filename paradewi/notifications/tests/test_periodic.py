"""Periodic jobs: approaching-target warnings, the daily overdue digest, the catch-up sweep, and
the commands that run them."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from paradewi.notifications import services
from paradewi.notifications.models import Cursor, Event, Notification, Outbox
from paradewi.notifications.tasks import sweep
from paradewi.requests.models import ServiceRequest, Status, Transition
from paradewi.requests.tests.factories import make_submitted
from paradewi.testing import make_user

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Wednesday that is no public holiday.
WEDNESDAY_9 = datetime(2026, 12, 2, 9, 0, tzinfo=JAKARTA)


@pytest.fixture
def p(people):
    return people


@pytest.fixture
def run(committed):
    """Call a job and deliver what it queued (delivery is enqueued after commit)."""

    def call(job):
        with committed():
            return job()

    return call


def at(request: ServiceRequest, status: str, due: datetime, **fields) -> ServiceRequest:
    ServiceRequest.objects.filter(pk=request.pk).update(status=status, due_at=due, **fields)
    request.refresh_from_db()
    return request


def warned(event: str = Event.APPROACHING) -> set[tuple[str, str, str]]:
    return set(
        Notification.objects.filter(event=event).values_list(
            "user__username", "request__number", "event"
        )
    )


# --- approaching the target time ----------------------------------------------------------------


def test_it_warns_whoever_holds_a_request_close_to_its_target(p, run):
    at_kecamatan = at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(hours=1))
    in_queue = at(make_submitted(p.desa_b), Status.VERIFIED, WEDNESDAY_9 + timedelta(minutes=90))
    held = at(
        make_submitted(p.desa_c),
        Status.IN_PROCESS,
        WEDNESDAY_9 + timedelta(minutes=110),
        holder=p.clerk,
    )
    at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(hours=3))  # later
    at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 - timedelta(hours=1))  # overdue
    at(make_submitted(p.desa_a), Status.RETURNED, WEDNESDAY_9 + timedelta(hours=1))  # paused
    with time_machine.travel(WEDNESDAY_9, tick=False):
        assert run(services.approaching_warn) == 3
    assert warned() == {
        ("kecamatan-a", at_kecamatan.number, "approaching"),
        ("head", in_queue.number, "approaching"),
        ("clerk", held.number, "approaching"),
    }
    emails = {message.to[0]: message for message in mail.outbox}
    assert set(emails) == {"kecamatan-a@example.org", "head@example.org", "clerk@example.org"}
    assert "sisa 1 jam" in emails["kecamatan-a@example.org"].body


def test_it_warns_once_per_request_and_due_time(p, run):
    request = at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(hours=1))
    with time_machine.travel(WEDNESDAY_9, tick=False) as clock:
        run(services.approaching_warn)
        clock.shift(timedelta(minutes=10))
        assert run(services.approaching_warn) == 0
        # Returned and resubmitted: a new due time, a new warning.
        at(request, Status.SUBMITTED, WEDNESDAY_9 + timedelta(minutes=100))
        assert run(services.approaching_warn) == 1
    assert Notification.objects.filter(event=Event.APPROACHING).count() == 2
    assert len(mail.outbox) == 2


def test_the_working_time_left_counts_office_hours_only(p, run):
    # Due Thursday 08:30, seen Wednesday 15:30: 30 minutes today and 60 tomorrow are left
    # (Perpres 21/2023 hours: 07.30-16.00 with a break 12.00-13.00).
    at(make_submitted(p.desa_a), Status.SUBMITTED, datetime(2026, 12, 3, 8, 30, tzinfo=JAKARTA))
    with time_machine.travel(datetime(2026, 12, 2, 15, 30, tzinfo=JAKARTA), tick=False):
        assert run(services.approaching_warn) == 1
    assert "sisa 1 jam 30 menit" in mail.outbox[0].body


def test_no_warnings_are_sent_outside_office_hours(p, run):
    at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(hours=24))
    with time_machine.travel(datetime(2026, 12, 2, 20, 0, tzinfo=JAKARTA), tick=False):
        assert run(services.approaching_warn) == 0
    with time_machine.travel(datetime(2026, 12, 5, 10, 0, tzinfo=JAKARTA), tick=False):  # Sat
        assert run(services.approaching_warn) == 0


# --- the daily overdue digest -------------------------------------------------------------------


@pytest.fixture
def overdue(p):
    """Overdue requests in Kecamatan Jatirejo (A) and Gondang (C), and some that are not."""
    yesterday = WEDNESDAY_9 - timedelta(days=1)
    return {
        "a1": at(make_submitted(p.desa_a), Status.SUBMITTED, yesterday),
        "a2": at(make_submitted(p.desa_b), Status.IN_PROCESS, yesterday, holder=p.clerk),
        "c1": at(make_submitted(p.desa_c), Status.VERIFIED, yesterday - timedelta(hours=3)),
        "a_not_yet": at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(1)),
        "a_done": at(make_submitted(p.desa_a), Status.DONE, yesterday),
        "a_returned": at(make_submitted(p.desa_b), Status.RETURNED, yesterday),
    }


def digest_of(username):
    [message] = [m for m in mail.outbox if m.to == [f"{username}@example.org"]]
    return str(message.body)


def numbers_in(text, requests):
    return {key for key, request in requests.items() if request.number in text}


def test_the_digest_lists_exactly_the_overdue_requests_of_each_recipient_s_area(p, overdue, run):
    with time_machine.travel(WEDNESDAY_9, tick=False):
        assert run(services.overdue_digests_send) == 3
    assert numbers_in(digest_of("kecamatan-a"), overdue) == {"a1", "a2"}
    assert numbers_in(digest_of("kecamatan-c"), overdue) == {"c1"}
    assert numbers_in(digest_of("head"), overdue) == {"a1", "a2", "c1"}
    assert {m.to[0] for m in mail.outbox} == {
        "kecamatan-a@example.org",
        "kecamatan-c@example.org",
        "head@example.org",
    }
    head = digest_of("head")
    # The most overdue first, with where each waits.
    assert head.index(overdue["c1"].number) < head.index(overdue["a1"].number)
    assert "antre di Dinas" in head
    assert "terlambat 1 hari kerja" in head
    counts = dict(
        Notification.objects.filter(event=Event.OVERDUE_DIGEST).values_list(
            "user__username", "params__count"
        )
    )
    assert counts == {"kecamatan-a": 2, "kecamatan-c": 1, "head": 3}


def test_the_digest_goes_out_once_a_working_day(p, overdue, run):
    with time_machine.travel(WEDNESDAY_9, tick=False) as clock:
        run(services.overdue_digests_send)
        clock.shift(timedelta(hours=2))
        assert run(services.overdue_digests_send) == 0
        clock.shift(timedelta(days=1))  # Thursday
        assert run(services.overdue_digests_send) == 3
    assert len(mail.outbox) == 6


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 2, 6, 30, tzinfo=JAKARTA),  # before the digest hours
        datetime(2026, 12, 2, 17, 0, tzinfo=JAKARTA),  # after
        datetime(2026, 12, 6, 9, 0, tzinfo=JAKARTA),  # Sunday
        datetime(2026, 12, 25, 9, 0, tzinfo=JAKARTA),  # Christmas
    ],
)
def test_no_digest_outside_the_digest_hours_of_a_working_day(p, overdue, moment, run):
    with time_machine.travel(moment, tick=False):
        assert run(services.overdue_digests_send) == 0


def test_nobody_gets_an_empty_digest(p, run):
    at(make_submitted(p.desa_a), Status.SUBMITTED, WEDNESDAY_9 + timedelta(days=1))
    with time_machine.travel(WEDNESDAY_9, tick=False):
        assert run(services.overdue_digests_send) == 0
    assert mail.outbox == []


def test_a_long_digest_is_cut_with_the_count_of_the_rest(p, overdue, settings, run):
    settings.NOTIFICATIONS_DIGEST_MAX_ITEMS = 2
    with time_machine.travel(WEDNESDAY_9, tick=False):
        run(services.overdue_digests_send)
    head = digest_of("head")
    assert "3 permohonan" in head
    assert "dan 1 permohonan lainnya" in head
    assert len(numbers_in(head, overdue)) == 2


# --- catching up on lost after-commit hooks -----------------------------------------------------


def test_the_sweep_catches_up_on_history_rows_whose_hook_never_ran(p, gateway):
    Cursor.objects.update_or_create(name="transitions", defaults={"position": 0})
    # Plain `db` tests never run after-commit hooks: as if the process died after each commit.
    request = make_submitted(p.desa_a)
    assert Notification.objects.count() == 0
    with time_machine.travel(WEDNESDAY_9 + timedelta(days=400)):
        assert sweep.enqueue().return_value["caught_up"] == 2  # create, submit
        assert sweep.enqueue().return_value["caught_up"] == 0
    assert set(Notification.objects.values_list("user__username", "event")) == {
        ("kecamatan-a", "submitted")
    }
    assert Outbox.objects.get().status == "sent"
    cursor = Cursor.objects.get(name="transitions")
    assert cursor.position == Transition.objects.filter(request=request).latest("pk").pk


def test_the_catch_up_waits_for_rows_still_in_their_hook(p):
    Cursor.objects.update_or_create(name="transitions", defaults={"position": 0})
    make_submitted(p.desa_a)
    assert services.transitions_catch_up() == 0


def test_a_new_cursor_starts_at_the_newest_row_and_announces_no_old_history(p):
    Cursor.objects.all().delete()
    make_submitted(p.desa_a)
    with time_machine.travel(WEDNESDAY_9 + timedelta(days=400)):
        assert services.transitions_catch_up() == 0
        assert services.transitions_catch_up() == 0
    assert Notification.objects.count() == 0


# --- the commands -------------------------------------------------------------------------------


def test_the_tick_command_enqueues_the_three_jobs(p, overdue):
    with time_machine.travel(WEDNESDAY_9, tick=False):
        call_command("notifications_tick", verbosity=2)
    assert Notification.objects.filter(event=Event.OVERDUE_DIGEST).count() == 3


@pytest.fixture
def keep_connection(monkeypatch):
    # The clock closes stale connections between ticks; the test's transaction must stay.
    monkeypatch.setattr(
        "paradewi.notifications.management.commands.notifications_clock.close_old_connections",
        lambda: None,
    )


def test_the_clock_command_ticks_and_stops(p, overdue, keep_connection):
    with time_machine.travel(WEDNESDAY_9, tick=False):
        call_command("notifications_clock", ticks=1, interval=10)
    assert Notification.objects.filter(event=Event.OVERDUE_DIGEST).count() == 3


def test_the_clock_keeps_going_when_a_tick_fails(p, monkeypatch, keep_connection):
    calls = []

    def failing_tick():
        calls.append(1)
        raise RuntimeError("database is locked")

    monkeypatch.setattr(
        "paradewi.notifications.management.commands.notifications_clock.tick", failing_tick
    )
    call_command("notifications_clock", ticks=2, interval=1)
    assert len(calls) == 2


def test_overdue_digest_recipients_are_only_active_accounts(p, overdue, run):
    gone = make_user("kecamatan-c-2", "district_operator", "35.16.02", email="c2@example.org")
    gone.is_active = False
    gone.save()
    with time_machine.travel(WEDNESDAY_9, tick=False):
        run(services.overdue_digests_send)
    assert "c2@example.org" not in {m.to[0] for m in mail.outbox}
