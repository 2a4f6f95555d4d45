from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from paradewi.accounts.models import AppDevice, RecoveryCode, RecoveryDevice
from paradewi.accounts.two_factor import recovery_codes_make
from paradewi.testing import PASSWORD, Client, totp_code, totp_device

REQUIRED = ["clerk", "head", "admin"]
OPTIONAL = ["desa_a", "kecamatan_a", "viewer"]
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def code_for(device: AppDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def log_in(client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.parametrize("persona", REQUIRED)
@pytest.mark.parametrize("page", ["home", "account", "request_list", "admin:index"])
def test_a_required_role_reaches_no_page_before_the_second_step(client, personas, persona, page):
    client.force_login_password_only(getattr(personas, persona))
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY + "?next=")


@pytest.mark.parametrize("persona", REQUIRED)
def test_a_required_role_without_an_app_is_sent_to_enrol(client, personas, persona):
    client.force_login_password_only(getattr(personas, persona))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    assert b"<svg" in response.content


@pytest.mark.parametrize("persona", OPTIONAL)
def test_an_optional_role_without_an_app_works_with_the_password_alone(client, personas, persona):
    client.force_login_password_only(getattr(personas, persona))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account")).status_code == 200


def test_login_logout_language_and_health_stay_open_before_the_second_step(client, personas):
    client.force_login_password_only(personas.clerk)
    assert client.get(reverse("healthz")).status_code in (200, 503)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302  # logged out: the login page


def test_an_htmx_request_is_redirected_by_htmx(client, personas):
    client.force_login_password_only(personas.clerk)
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == VERIFY


def test_a_clerk_enrols_with_a_real_code_and_gets_ten_recovery_codes_once(english, personas):
    client = english
    log_in(client, "clerk")
    response = client.get(reverse("request_list"), follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)
    device = AppDevice.objects.get(user=personas.clerk, confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', response.content.decode())
    assert secret is not None
    assert len(secret.group(1).replace(" ", "")) == 32
    assert b"<svg" in response.content  # the QR code, inline

    enrol_url = response.redirect_chain[-1][0]
    assert "That code is not right" in client.post(enrol_url, {"code": "000000"}).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post(
            enrol_url, {"code": code_for(device), "next": reverse("request_list")}
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_codes"))
        page = client.get(response["Location"])
        codes = re.findall(r'<code class="code">([a-z2-7]{8})</code>', page.content.decode())
        assert len(codes) == 10
        assert set(codes) == set(
            RecoveryCode.objects.filter(device__user=personas.clerk).values_list("code", flat=True)
        )
        assert 'href="/requests/' in page.content.decode()  # continue where the user was going
        # Shown once: the page now sends the user to the account page.
        assert client.get(reverse("two_factor_codes"))["Location"] == reverse("account")
        assert client.get(reverse("request_list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_an_enrolled_user_logs_in_with_the_code_and_a_wrong_code_is_refused(english, personas):
    client = english
    device = totp_device(personas.head)
    log_in(client, "head")
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": "123456"})
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        response = client.post(VERIFY, {"code": totp_code(device), "next": "/account/"})
        assert response["Location"] == "/account/"
        assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_are_throttled_even_before_a_right_one(english, personas):
    client = english
    device = totp_device(personas.clerk)
    log_in(client, "clerk")
    client.post(VERIFY, {"code": "111111"})
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_the_same_code_is_not_accepted_twice(english, personas):
    device = totp_device(personas.clerk)
    code = totp_code(device)
    first, second = english, Client()
    second.cookies["django_language"] = "en"
    log_in(first, "clerk")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    log_in(second, "clerk")
    assert "not right" in second.post(VERIFY, {"code": code}).content.decode()


def test_a_recovery_code_works_once(english, personas):
    client = english
    totp_device(personas.clerk)
    code = recovery_codes_make(user=personas.clerk)[0]
    log_in(client, "clerk")
    typed = f"{code[:4].upper()}-{code[4:]}"  # as people copy it from paper
    assert client.post(VERIFY, {"code": typed})["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert RecoveryCode.objects.filter(device__user=personas.clerk).count() == 9

    client.post(reverse("logout"))
    log_in(client, "clerk")
    assert "not right" in client.post(VERIFY, {"code": code}).content.decode()


def test_new_recovery_codes_replace_the_old_ones(english, personas):
    client = english
    old = recovery_codes_make(user=personas.clerk)
    client.force_login(personas.clerk)
    response = client.post(reverse("two_factor_codes_renew"), follow=True)
    new = re.findall(r'<code class="code">([a-z2-7]{8})</code>', response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert RecoveryDevice.objects.filter(user=personas.clerk).count() == 1


def test_an_optional_role_enrols_from_the_account_page_and_then_needs_the_code(english, personas):
    client = english
    client.force_login(personas.desa_a)
    assert ENROL in client.get(reverse("account")).content.decode()
    client.get(ENROL)
    device = AppDevice.objects.get(user=personas.desa_a, confirmed=False)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    client.post(reverse("logout"))
    log_in(client, "desa-a")
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)


def test_an_optional_role_may_turn_it_off_a_required_role_may_not(english, personas):
    client = english
    device = totp_device(personas.desa_a)
    client.force_login_password_only(personas.desa_a)
    assert client.get(reverse("home"))["Location"].startswith(VERIFY)
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        client.post(VERIFY, {"code": totp_code(device)})
        response = client.post(reverse("two_factor_disable"))
        assert response["Location"] == reverse("account")
        assert not AppDevice.objects.filter(user=personas.desa_a).exists()
        assert client.get(reverse("home")).status_code == 200  # this session stays

    client.force_login(personas.head)
    response = client.post(reverse("two_factor_disable"), follow=True)
    assert "requires two-factor" in response.content.decode()
    assert AppDevice.objects.filter(user=personas.head).exists()


def test_the_administrator_resets_a_users_two_factor_and_it_is_logged(english, personas):
    clerk_browser = Client()
    clerk_browser.force_login(personas.clerk)
    recovery_codes_make(user=personas.clerk)
    assert clerk_browser.get(reverse("home")).status_code == 200

    english.force_login(personas.admin)
    response = english.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [personas.clerk.pk]},
        follow=True,
    )
    assert "Two-factor authentication reset for 1 account" in response.content.decode()
    assert not AppDevice.objects.filter(user=personas.clerk).exists()
    assert not RecoveryDevice.objects.filter(user=personas.clerk).exists()
    entry = LogEntry.objects.get(object_id=str(personas.clerk.pk))
    assert entry.user == personas.admin
    assert "reset by admin" in entry.get_change_message()
    # The clerk's session has ended; the next login asks them to enrol again.
    assert clerk_browser.get(reverse("home"))["Location"].startswith(reverse("login"))
    log_in(clerk_browser, "clerk")
    assert clerk_browser.get(reverse("home"), follow=True).redirect_chain[-1][0].startswith(ENROL)


def test_a_user_who_is_not_an_administrator_cannot_reset(client, personas):
    totp_device(personas.clerk)
    client.force_login(personas.head)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [personas.clerk.pk]},
    )
    assert response.status_code == 302  # to the admin login: not staff
    assert AppDevice.objects.filter(user=personas.clerk).exists()
