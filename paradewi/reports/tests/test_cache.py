"""Dashboard figures kept for a minute (reports.cache): shared by readers of the same area,
role and period, new at once after a refresh, never across roles or areas."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from paradewi.reports.cache import figures_key
from paradewi.reports.periods import Period
from paradewi.reports.scope import scope_for
from paradewi.reports.services import refresh_activity
from paradewi.requests.tests.factories import make_submitted
from paradewi.surveys.tests.factories import answer, handed_over


@pytest.fixture
def p(personas):
    return personas


@pytest.fixture
def rated(p):
    """Six requests of desa A handed over and rated, five of them with a comment."""
    for number in range(6):
        request = handed_over(p, subject_nik=f"35160112059000{number + 10}")
        answer(request, 3 + number % 2, comment=f"Komentar {number}" if number else "")
    refresh_activity()


def month():
    return f"{timezone.localdate():%Y-%m}"


def speed(client, **params):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reports_speed"), {"period": month(), **params})
    assert page.status_code == 200
    return page, len(queries)


def test_a_second_reader_gets_the_same_figures_without_computing_them(p, client, rated):
    client.force_login(p.head)
    first, computed = speed(client)
    again, kept = speed(client)
    assert again.context["report"] == first.context["report"]
    assert again.context["corrections"] == first.context["corrections"]
    # The figures' queries are left out: session, user, menu and refresh time remain.
    assert kept <= computed - 4


def test_live_counts_are_at_most_a_minute_old(p, client, rated):
    client.force_login(p.kecamatan_a)
    before, _ = speed(client)
    open_before = before.context["report"].now.open
    make_submitted(p.desa_a, subject_nik="3516011205900099")
    kept, _ = speed(client)
    assert kept.context["report"].now.open == open_before
    assert "at most a minute before" in kept.content.decode() or "satu menit" in (
        kept.content.decode()
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        later, _ = speed(client)
    assert later.context["report"].now.open == open_before + 1


def test_a_refresh_of_the_figures_shows_at_once(p, client, rated):
    client.force_login(p.head)
    before, _ = speed(client)
    handed = before.context["report"].total.handed_over
    handed_over(p, subject_nik="3516011205900098")
    refresh_activity()
    after, _ = speed(client)
    assert after.context["report"].total.handed_over == handed + 1


def test_figures_kept_for_one_role_are_not_shown_to_another(p, client, rated):
    """The Dinas head reads the residents' comments; the leadership viewer, reading the same
    regency and month right after, must not get them from the head's figures."""
    client.force_login(p.head)
    head = client.get(reverse("reports_ikm"), {"period": month()})
    assert len(head.context["report"].comments) == 5
    client.force_login(p.viewer)
    viewer = client.get(reverse("reports_ikm"), {"period": month()})
    assert viewer.context["report"].comments is None
    assert "Komentar 1" not in viewer.content.decode()


def test_figures_of_one_area_are_not_shown_for_another(p, client, rated):
    client.force_login(p.kecamatan_a)
    village_a, _ = speed(client, area="35.16.01.2001")
    village_b, _ = speed(client, area="35.16.01.2002")
    assert village_a.context["report"].total.handed_over == 6
    assert village_b.context["report"].total.handed_over == 0


def test_the_key_holds_the_language_the_role_the_area_and_the_period(p):
    today = timezone.localdate()
    this_month = Period(key=f"{today:%Y-%m}", first=today.replace(day=1), last=today)
    head, viewer = scope_for(p.head), scope_for(p.viewer)
    with translation.override("id"):
        indonesian = figures_key("ikm", head, this_month, None)
        assert figures_key("ikm", viewer, this_month, None) != indonesian
        assert figures_key("ikm", scope_for(p.head, "35.16.01"), this_month, None) != indonesian
        assert figures_key("speed", head, this_month, None) != indonesian
        assert figures_key("ikm", head, this_month, timezone.now()) != indonesian
        shorter = Period(key=this_month.key, first=this_month.first, last=this_month.first)
        assert figures_key("ikm", head, shorter, None) != indonesian
    with translation.override("en"):
        assert figures_key("ikm", head, this_month, None) != indonesian


def test_no_figures_are_kept_when_turned_off(p, client, rated, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client.force_login(p.kecamatan_a)
    speed(client)  # warms the per-process look-ups (the regency, the holidays)
    before, computed = speed(client)
    make_submitted(p.desa_a, subject_nik="3516011205900099")
    after, again = speed(client)
    assert after.context["report"].now.open == before.context["report"].now.open + 1
    assert again == computed
