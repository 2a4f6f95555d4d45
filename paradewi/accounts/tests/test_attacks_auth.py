"""Attacks on logging in: session fixation, password guessing, code guessing, reset flooding.

Each test states one attack and what stops it. Lockout basics (the limit, the cool-off, the
administrator's unlock) are in test_lockout.py; the second step itself in test_two_factor.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from paradewi.accounts.models import AppDevice
from paradewi.accounts.two_factor import recovery_codes_make, two_factor_remove
from paradewi.testing import PASSWORD, Client, totp_code, totp_device

LOGIN = reverse("login")
LOGOUT = reverse("logout")
HOME = reverse("home")
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")
COOKIE = settings.SESSION_COOKIE_NAME
WIDE = "\uff44\uff45\uff53\uff41"  # "desa" in full-width letters, as some keyboards type


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def session_key(client: Client) -> str:
    return client.cookies[COOKIE].value


def with_session(key: str) -> Client:
    """Another browser carrying a given session cookie (stolen, planted or replayed)."""
    client = english()
    client.cookies[COOKIE] = key
    return client


def password_login(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


def anonymous(client: Client) -> bool:
    response = client.get(HOME)
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def anonymous_session() -> tuple[Client, str]:
    """A visitor's session before logging in (as an attacker could plant it)."""
    client = english()
    session = client.session
    session["seen_login_page"] = True
    session.save()
    return client, session.session_key


# --- session fixation ---------------------------------------------------------------------------


def test_the_session_key_changes_at_login(personas):
    client, before = anonymous_session()
    assert password_login(client, "desa-a").status_code == 302
    assert session_key(client) != before
    assert not Session.objects.filter(session_key=before).exists()
    assert logged_in(client)


def test_a_session_id_planted_before_login_is_useless_after_it(personas):
    attacker, planted = anonymous_session()
    victim = with_session(planted)
    assert password_login(victim, "desa-a").status_code == 302
    assert logged_in(victim)
    assert session_key(victim) != planted
    assert anonymous(attacker)
    assert anonymous(with_session(planted))


def test_the_session_key_changes_again_at_the_second_step(personas, clock):
    device = totp_device(personas.clerk)
    client, planted = anonymous_session()
    password_login(client, "clerk")
    after_password = session_key(client)
    assert after_password != planted
    clock.shift(timedelta(seconds=30))
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302
    after_code = session_key(client)
    assert after_code != after_password
    assert logged_in(client)
    # Whoever learned the key between the two steps holds nothing.
    assert not Session.objects.filter(session_key=after_password).exists()
    assert anonymous(with_session(after_password))
    assert anonymous(with_session(planted))


def test_the_session_key_changes_when_the_app_is_enrolled(personas):
    client = english()
    password_login(client, "head")
    assert client.get(HOME)["Location"].startswith(VERIFY)
    client.get(ENROL)
    device = AppDevice.objects.get(user=personas.head, confirmed=False)
    before = session_key(client)
    assert client.post(ENROL, {"code": totp_code(device)}).status_code == 302
    assert session_key(client) != before
    assert anonymous(with_session(before))


def test_a_session_that_owes_the_code_reaches_no_page(personas):
    totp_device(personas.head)
    client = english()
    password_login(client, "head")
    stolen = with_session(session_key(client))
    for name in ("home", "request_list", "account", "admin:index"):
        assert stolen.get(reverse(name))["Location"].startswith(VERIFY)


def test_logging_out_ends_the_session_on_the_server(personas):
    client = english()
    password_login(client, "desa-a")
    key = session_key(client)
    copy = with_session(key)
    assert logged_in(copy)
    assert client.post(LOGOUT).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert anonymous(copy)
    assert anonymous(client)


def test_log_out_everywhere_ends_every_other_session_and_its_copies(personas):
    office, phone = english(), english()
    password_login(office, "desa-a")
    password_login(phone, "desa-a")
    office_copy = with_session(session_key(office))
    assert logged_in(office_copy)

    phone.post(reverse("logout_everywhere"))
    assert logged_in(phone)
    assert anonymous(office)
    assert anonymous(office_copy)


def test_an_administrator_removing_two_factor_ends_the_users_sessions(personas):
    client = Client()
    client.force_login(personas.clerk)
    assert logged_in(client)
    two_factor_remove(user=personas.clerk, by=personas.admin, reason="Phone lost")
    assert anonymous(client)


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(personas):
    client = english()
    response = password_login(client, "desa-a")
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


# --- password guessing --------------------------------------------------------------------------


def fail(client: Client, times: int, username: str = "desa-a", **extra) -> None:
    for _ in range(times):
        assert password_login(client, username, "wrong-password", **extra).status_code in (200, 429)


def test_after_the_limit_even_the_right_password_gets_the_indonesian_lock_message(personas):
    client = Client()  # Indonesian, as officers use it
    fail(client, settings.AXES_FAILURE_LIMIT)
    response = password_login(client, "desa-a")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal untuk akun ini" in content
    assert "15 menit" in content
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_header_does_not_escape_the_lock_without_a_proxy(personas, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = english()
    for number in range(settings.AXES_FAILURE_LIMIT):
        password_login(
            client,
            "desa-a",
            "wrong-password",
            REMOTE_ADDR="198.51.100.20",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = password_login(
        client, "desa-a", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.250"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.20"}


def test_behind_a_proxy_forged_entries_left_of_the_proxys_do_not_escape_the_lock(
    personas, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client = english()
    for number in range(settings.AXES_FAILURE_LIMIT):
        password_login(
            client,
            "desa-a",
            "wrong-password",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7",
        )
    response = password_login(
        client, "desa-a", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7"
    )
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # The proxy's own address is not locked: other offices behind it still log in.
    other = english()
    assert (
        password_login(
            other, "desa-a", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"
        ).status_code
        == 302
    )


def test_spaces_and_wide_letters_in_the_username_count_for_the_same_account(personas):
    client = english()
    for username in ("desa-a", " desa-a", "desa-a ", WIDE + "-\uff41", "desa-a"):
        password_login(client, username, "wrong-password")
    assert password_login(client, "desa-a").status_code == 429
    assert password_login(client, " " + WIDE + "-a ").status_code == 429


def test_guessing_passwords_of_many_accounts_locks_each_one(personas):
    client = english()
    for username in ("desa-a", "desa-b", "kecamatan-a"):
        fail(client, settings.AXES_FAILURE_LIMIT, username)
        assert password_login(client, username).status_code == 429


# --- code guessing (second step) ----------------------------------------------------------------


def test_each_wrong_code_doubles_the_wait_before_the_next_guess(personas, clock):
    device = totp_device(personas.clerk)
    client = english()
    password_login(client, "clerk")
    waits = []
    for _ in range(10):
        response = client.post(VERIFY, {"code": "000000"})
        assert "not right" in response.content.decode()
        device.refresh_from_db()
        waits.append(device.throttling_failure_count)
        clock.shift(timedelta(seconds=2 ** (device.throttling_failure_count - 1)))
    assert waits == list(range(1, 11))
    # The eleventh wrong code makes the next guess wait 1024 seconds, the twentieth six days.
    response = client.post(VERIFY, {"code": "111111"})
    assert "not right" in response.content.decode()
    refused = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes. Wait 1024 seconds" in refused.content.decode()
    assert client.get(HOME).status_code == 302


def test_the_code_wait_survives_logging_in_again(personas, clock):
    device = totp_device(personas.clerk)
    client = english()
    password_login(client, "clerk")
    client.post(VERIFY, {"code": "000000"})
    client.post(VERIFY, {"code": "000000"})  # refused unchecked while the first wait runs
    client.post(LOGOUT)
    fresh = english()
    password_login(fresh, "clerk")
    assert (
        "Too many wrong codes" in fresh.post(VERIFY, {"code": totp_code(device)}).content.decode()
    )
    assert fresh.get(HOME).status_code == 302


def test_wrong_recovery_codes_are_throttled_too(personas, clock):
    totp_device(personas.clerk)
    codes = recovery_codes_make(user=personas.clerk)
    client = english()
    password_login(client, "clerk")
    assert "not right" in client.post(VERIFY, {"code": "abcd2345"}).content.decode()
    refused = client.post(VERIFY, {"code": codes[0]})
    assert "Too many wrong codes" in refused.content.decode()
    assert client.get(HOME).status_code == 302
    clock.shift(timedelta(seconds=2))
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302


def test_a_wrong_recovery_code_also_delays_app_codes(personas):
    device = totp_device(personas.clerk)
    recovery_codes_make(user=personas.clerk)
    client = english()
    password_login(client, "clerk")
    client.post(VERIFY, {"code": "abcd2345"})
    refused = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes" in refused.content.decode()


def test_the_throttle_factors_are_set(settings):
    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1
    assert settings.OTP_STATIC_THROTTLE_FACTOR >= 1


# --- password reset flooding --------------------------------------------------------------------


def test_reset_requests_cannot_escape_the_limit_with_a_forged_forwarded_header(
    personas, settings, mailoutbox
):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    client = english()
    for number in range(3):
        client.post(
            reverse("password_reset"),
            {"email": f"x{number}@example.org"},
            REMOTE_ADDR="198.51.100.30",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    response = client.post(
        reverse("password_reset"),
        {"email": "admin@example.org"},
        REMOTE_ADDR="198.51.100.30",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert "Too many reset requests" in response.content.decode()
    assert mailoutbox == []


def test_flooding_one_address_with_reset_mails_sends_at_most_the_limit(
    personas, settings, mailoutbox
):
    client = english()
    for number in range(10):
        response = client.post(
            reverse("password_reset"),
            {"email": "admin@example.org"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
        assert response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_EMAIL
