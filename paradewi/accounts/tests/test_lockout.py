from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from paradewi.accounts.network import client_ip
from paradewi.testing import PASSWORD

IP_A = "10.1.1.1"
IP_B = "10.2.2.2"


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def attempt(client, username: str, password: str, ip: str = IP_A):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, times: int, username: str = "desa-a", ip: str = IP_A):
    for _ in range(times):
        response = attempt(client, username, "wrong-password", ip)
    return response


def test_the_fifth_wrong_password_locks_the_account_from_that_address(english, personas):
    assert fail(english, 4).status_code == 200
    response = fail(english, 1)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed log-in attempts" in content
    assert "Try again in 15 minutes" in content
    assert 'name="password"' in content  # still the login page, not a bare error
    # Even the right password is refused now.
    assert attempt(english, "desa-a", PASSWORD).status_code == 429


def test_a_locked_out_user_sees_the_indonesian_login_page_with_the_message(
    client, personas, settings
):
    settings.AXES_FAILURE_LIMIT = 1
    response = attempt(client, "desa-a", "wrong-password")
    assert response.status_code == 429
    content = response.content.decode()
    assert 'role="alert" id="locked-out"' in content
    assert "Nama pengguna" in content
    assert 'value="desa-a"' in content


def test_the_lock_holds_only_for_that_username_and_address(english, personas):
    fail(english, 5)
    assert attempt(english, "desa-a", PASSWORD, ip=IP_A).status_code == 429
    assert attempt(english, "desa-a", PASSWORD, ip=IP_B).status_code == 302
    english.post(reverse("logout"))
    assert attempt(english, "desa-b", PASSWORD, ip=IP_A).status_code == 302


def test_the_lock_ends_after_the_cool_off_time(english, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(english, 5)
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert attempt(english, "desa-a", PASSWORD).status_code == 302


def test_an_attempt_during_the_lock_starts_the_cool_off_again(english, personas):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(english, 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt(english, "desa-a", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert attempt(english, "desa-a", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=32), tick=False):
        assert attempt(english, "desa-a", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(english, personas):
    fail(english, 4)
    assert attempt(english, "desa-a", PASSWORD).status_code == 302
    english.post(reverse("logout"))
    assert fail(english, 4).status_code == 200
    assert attempt(english, "desa-a", PASSWORD).status_code == 302


def test_the_limit_and_cool_off_are_settings(english, personas, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    response = fail(english, 2)
    assert response.status_code == 429
    assert "Try again in 30 minutes" in response.content.decode()


def test_the_administrator_unlocks_an_account_by_deleting_the_lockout(english, personas):
    fail(english, 5)
    lock = AccessAttempt.objects.get(username="desa-a")
    assert lock.ip_address == IP_A

    admin = english.__class__()
    admin.force_login(personas.admin)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin.post(
        reverse("admin:axes_accessattempt_delete", args=[lock.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert attempt(english, "desa-a", PASSWORD).status_code == 302


def test_the_client_address_is_the_one_the_trusted_proxy_saw(settings):
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "127.0.0.1"  # forwarded headers are ignored without a proxy
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"  # not the forged leftmost entry
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_behind_a_proxy_the_lock_follows_the_client_not_the_proxy(english, personas, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        english.post(
            reverse("login"),
            {"username": "desa-a", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    other = english.post(
        reverse("login"),
        {"username": "desa-a", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert other.status_code == 302
