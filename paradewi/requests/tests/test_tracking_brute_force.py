"""Guessing the PIN of a registration number on the public tracking page is stopped.

The basics (five wrong PINs lock the number, twenty lock the address, the lock ends) are in
test_tracking.py; here are the ways an attacker would try to get around them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from paradewi.requests import tracking
from paradewi.requests.tests.factories import make_submitted

LOCKED_NUMBER_ID = "Terlalu banyak percobaan yang salah untuk nomor ini"
LOCKED_NUMBER = "Too many wrong attempts for this number"
LOCKED_ADDRESS = "Too many wrong attempts from this connection"


@pytest.fixture
def request_(personas):
    return make_submitted(personas.desa_a)


@pytest.fixture
def resident():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def track(client, number: str, pin: str, **meta):
    meta.setdefault("REMOTE_ADDR", "192.0.2.10")
    return client.post(reverse("track"), {"number": number, "pin": pin}, **meta)


def wrong(pin: str, offset: int = 1) -> str:
    return f"{(int(pin) + offset) % 10**6:06d}"


def test_guessing_from_many_addresses_still_locks_the_number(resident, request_):
    for guess in range(tracking.NUMBER_LIMIT):
        response = track(
            resident, request_.number, wrong(request_.pin, guess + 1), REMOTE_ADDR=f"10.0.0.{guess}"
        )
        assert response.status_code == 200
    refused = track(resident, request_.number, request_.pin, REMOTE_ADDR="10.0.0.200")
    assert refused.status_code == 429
    assert LOCKED_NUMBER in refused.content.decode()
    assert "status" not in refused.context


def test_the_lock_message_is_indonesian_and_the_right_pin_shows_nothing(request_):
    visitor = Client()  # the site's default language
    for guess in range(tracking.NUMBER_LIMIT):
        track(visitor, request_.number, wrong(request_.pin, guess + 1))
    refused = track(visitor, request_.number, request_.pin)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert LOCKED_NUMBER_ID in page
    assert "15 menit" in page
    assert 'name="pin"' in page  # still the form, to try again later
    assert "status" not in refused.context


def test_a_forged_forwarded_header_does_not_escape_the_address_lock(resident, request_, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for serial in range(tracking.IP_LIMIT):
        track(
            resident,
            f"3516012001-2611-{9000 + serial}",
            "123456",
            REMOTE_ADDR="198.51.100.40",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{serial}",
        )
    refused = track(
        resident,
        request_.number,
        request_.pin,
        REMOTE_ADDR="198.51.100.40",
        HTTP_X_FORWARDED_FOR="203.0.113.250",
    )
    assert refused.status_code == 429
    assert LOCKED_ADDRESS in refused.content.decode()


def test_behind_a_proxy_forged_entries_do_not_escape_and_other_clients_are_free(
    resident, request_, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    for serial in range(tracking.IP_LIMIT):
        track(
            resident,
            f"3516012001-2611-{9000 + serial}",
            "123456",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.1.{serial}.1, 203.0.113.7",
        )
    refused = track(
        resident,
        request_.number,
        request_.pin,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.99.99.99, 203.0.113.7",
    )
    assert refused.status_code == 429
    # The proxy's address is not what is locked: another resident behind it is served.
    served = track(
        resident,
        request_.number,
        request_.pin,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert served.status_code == 200


def test_a_forged_forwarded_header_does_not_escape_the_number_lock(resident, request_, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for guess in range(tracking.NUMBER_LIMIT):
        track(
            resident,
            request_.number,
            wrong(request_.pin, guess + 1),
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{guess}",
        )
    refused = track(
        resident,
        request_.number,
        request_.pin,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert refused.status_code == 429


def test_spaces_in_the_pin_or_number_do_not_make_new_guesses(resident, request_):
    spaced_number = request_.number.replace("-", " ")
    for guess in range(tracking.NUMBER_LIMIT):
        pin = wrong(request_.pin, guess + 1)
        track(resident, spaced_number if guess % 2 else request_.number, f"{pin[:3]} {pin[3:]}")
    assert track(resident, spaced_number, request_.pin).status_code == 429


def test_a_botnet_gets_a_handful_of_guesses_per_quarter_hour(resident, request_):
    """Two hours of guessing from a new address every time: every guess after the first five
    of a quarter hour is refused unchecked, so a million PINs would take years."""
    start = timezone.now()
    checked = 0
    address = 0
    with time_machine.travel(start, tick=False) as clock:
        for _minute in range(0, 120, 5):
            for _attempt in range(5):
                address += 1
                response = track(
                    resident,
                    request_.number,
                    wrong(request_.pin, address),
                    REMOTE_ADDR=f"10.{address // 250}.{address % 250}.1",
                )
                checked += response.status_code == 200
            clock.shift(timedelta(minutes=5))
    assert address == 120
    assert checked <= tracking.NUMBER_LIMIT * (120 // 15 + 1)
    days_for_half = 10**6 / 2 / (checked * 12)  # checked guesses in two hours, 12 per day
    assert days_for_half > 365


def test_the_qr_token_is_no_way_to_test_pins(resident, request_):
    # Tokens need the server's secret key; even with it, one made for another PIN fails.
    number = request_.number
    for guess in range(3):
        forged = tracking._signer(wrong(request_.pin, guess + 1)).sign(number)
        assert resident.get(reverse("track_token", args=[forged])).status_code == 404
    assert resident.get(reverse("track_token", args=[f"{number}:forged"])).status_code == 404
