"""Password guessing across many usernames from one address, without shutting out the officers
who share that address (a village office, a mobile carrier's NAT): accounts/guessing.py."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from paradewi.accounts.guessing import DEVICE_COOKIE
from paradewi.testing import PASSWORD, Client

LOGIN = reverse("login")
HOME = reverse("home")
GUESSER = "198.51.100.7"
OFFICE = "198.51.100.7"  # the same address: the office and the guesser behind one NAT


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def login(client: Client, username: str, password: str = PASSWORD, address: str = GUESSER, **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def guess_many_usernames(client: Client, count: int, address: str = GUESSER, **extra) -> list[int]:
    """One wrong password on each of `count` usernames (none reaches the per-username lock)."""
    return [
        login(client, f"guess-{n}", "Tebakan123!", address=address, **extra).status_code
        for n in range(count)
    ]


def test_wrong_passwords_on_25_usernames_close_the_address(personas):
    """Before: all 25 got a normal "wrong password" page. Now the limit stops the 21st."""
    client = english()
    statuses = guess_many_usernames(client, 25)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert statuses[limit:] == [429] * (25 - limit)
    refused = login(client, "desa-a")  # even the right password of a real account
    assert refused.status_code == 429
    assert "from your network" in refused.content.decode()
    assert not client.session.get("_auth_user_id")


def test_the_message_is_indonesian_by_default(personas):
    client = Client()
    guess_many_usernames(client, settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    content = login(client, "desa-a").content.decode()
    assert (
        "Terlalu banyak percobaan masuk yang gagal untuk berbagai akun dari jaringan Anda"
        in content
    )


def test_an_officer_who_logged_in_on_this_device_before_still_logs_in(personas):
    """The office's own phones and computers carry the known-device cookie of their accounts."""
    office_phone = english()
    assert login(office_phone, "desa-a", address=OFFICE).status_code == 302
    assert DEVICE_COOKIE in office_phone.cookies
    office_phone.post(reverse("logout"))

    guess_many_usernames(english(), 30)  # the guesser, behind the same address

    assert login(office_phone, "desa-a", address=OFFICE).status_code == 302
    assert office_phone.get(HOME).status_code == 200
    # The cookie names that account only: another account from the same phone waits.
    assert login(english_with(office_phone), "desa-b", address=OFFICE).status_code == 429


def english_with(client: Client) -> Client:
    other = english()
    other.cookies[DEVICE_COOKIE] = client.cookies[DEVICE_COOKIE].value
    return other


def test_a_forged_device_cookie_is_worth_nothing(personas):
    guess_many_usernames(english(), settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    forger = english()
    forger.cookies[DEVICE_COOKIE] = "desa-a"
    assert login(forger, "desa-a").status_code == 429


def test_other_addresses_are_not_affected(personas):
    guess_many_usernames(english(), 25)
    assert login(english(), "desa-a", address="203.0.113.20").status_code == 302


def test_the_right_password_does_not_count(personas):
    client = english()
    for _ in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT + 5):
        assert login(client, "desa-a").status_code == 302
        client.post(reverse("logout"))


def test_behind_a_proxy_the_network_is_counted_too(personas, settings):
    """A guesser spreading over the addresses of one /24 (behind the regency's proxy) is
    stopped by the network's limit; the per-address limit alone would never trip."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_NETWORK_FAILURE_LIMIT = 30
    client = english()
    statuses = []
    for n in range(40):
        address = f"198.51.100.{n % 25 + 1}"
        status = login(
            client, f"guess-{n}", "Tebakan123!", address="10.0.0.2", HTTP_X_FORWARDED_FOR=address
        ).status_code
        statuses.append(status)
    assert 429 in statuses[30:]
    elsewhere = login(english(), "desa-a", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert elsewhere.status_code == 302
