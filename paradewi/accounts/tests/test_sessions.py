from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from paradewi.testing import PASSWORD, Client

HOME = reverse("home")


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def sent_to_login(response, path: str = HOME) -> bool:
    return bool(
        response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={path}"
    )


def test_a_session_ends_after_thirty_minutes_without_activity(client, personas, clock):
    client.force_login(personas.desa_a)
    assert client.get(HOME).status_code == 200
    clock.shift(timedelta(minutes=29))
    assert client.get(HOME).status_code == 200
    clock.shift(timedelta(minutes=31))
    assert sent_to_login(client.get(reverse("request_list")), reverse("request_list"))


def test_activity_keeps_the_session_alive(client, personas, clock):
    client.force_login(personas.clerk)
    for _ in range(10):
        clock.shift(timedelta(minutes=20))
        assert client.get(HOME).status_code == 200


def test_the_session_row_is_written_at_most_once_a_minute(client, personas, clock):
    client.force_login(personas.desa_a)
    key = client.session.session_key
    clock.shift(timedelta(seconds=30))
    client.get(HOME)
    first = Session.objects.get(session_key=key).expire_date
    clock.shift(timedelta(seconds=20))
    client.get(HOME)
    assert Session.objects.get(session_key=key).expire_date == first
    clock.shift(timedelta(seconds=20))
    client.get(HOME)
    assert Session.objects.get(session_key=key).expire_date > first


def test_the_inactivity_timeout_is_a_setting(client, personas, clock, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60
    client.force_login(personas.desa_a)
    clock.shift(timedelta(minutes=11))
    assert sent_to_login(client.get(HOME))


def test_however_active_a_session_ends_twelve_hours_after_login(client, personas, clock):
    client.cookies["django_language"] = "en"
    client.force_login(personas.desa_a)
    for _ in range(35):  # a request every 20 minutes: 11 h 40 min
        clock.shift(timedelta(minutes=20))
        assert client.get(HOME).status_code == 200
    clock.shift(timedelta(minutes=20))  # 12 h since the login
    response = client.get(HOME)
    assert sent_to_login(response)
    page = client.get(response["Location"]).content.decode()
    assert "sessions end 12 hours after logging in" in page
    assert client.get(HOME).status_code == 302


def test_log_out_everywhere_ends_the_other_sessions_but_not_this_one(client, personas):
    phone, office = client, Client()
    phone.force_login(personas.desa_a)
    office.force_login(personas.desa_a)
    assert office.get(HOME).status_code == 200

    response = phone.post(reverse("logout_everywhere"))
    assert response["Location"] == reverse("account")
    assert phone.get(HOME).status_code == 200
    assert sent_to_login(office.get(HOME))


def test_log_out_everywhere_keeps_the_second_step_of_this_session(client, personas):
    client.force_login(personas.head)
    client.post(reverse("logout_everywhere"))
    assert client.get(HOME).status_code == 200


def test_a_password_change_ends_the_other_sessions(client, personas):
    phone, office = client, Client()
    phone.force_login(personas.desa_a)
    office.force_login(personas.desa_a)
    new = "kopi-tubruk-pagi-hari"
    response = phone.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert phone.get(HOME).status_code == 200
    assert sent_to_login(office.get(HOME))


def test_a_password_reset_ends_every_session(client, personas, mailoutbox):
    office = Client()
    office.force_login(personas.admin)
    client.post(reverse("password_reset"), {"email": "admin@example.org"})
    link = mailoutbox[0].body.split("http://testserver", 1)[1].split()[0]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "kopi-tubruk-pagi-hari"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert sent_to_login(office.get(HOME))
