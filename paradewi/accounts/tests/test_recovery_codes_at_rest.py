"""The recovery codes are encrypted at rest, as the authenticator apps' secrets are: a copy of
the database or a dump alone gives no second factor."""

from __future__ import annotations

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from paradewi.accounts.models import RecoveryCode, RecoveryDevice
from paradewi.accounts.two_factor import recovery_codes_left, recovery_codes_make
from paradewi.requests.tests.test_raw_database import every_value_in_the_database
from paradewi.testing import PASSWORD, Client, totp_device

pytestmark = pytest.mark.django_db


def test_no_table_holds_a_recovery_code_in_clear(personas):
    """Before: django-otp's StaticToken kept every code in clear."""
    codes = recovery_codes_make(user=personas.clerk)
    assert len(codes) == 10
    values = every_value_in_the_database()
    assert [code for code in codes if any(code in value for value in values)] == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM accounts_recoverycode")
        assert all(value.startswith("pde1.") for (value,) in cursor.fetchall())


def test_a_dump_holds_tokens_not_codes(personas):
    codes = recovery_codes_make(user=personas.clerk)
    out = StringIO()
    call_command("dumpdata", "accounts.recoverycode", "otp_static", stdout=out)
    assert [code for code in codes if code in out.getvalue()] == []
    assert '"code": "pde1.' in out.getvalue()


def test_a_code_logs_in_once(personas):
    totp_device(personas.clerk)
    code = recovery_codes_make(user=personas.clerk)[3]
    client = Client()
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    response = client.post(reverse("two_factor_verify"), {"code": code.upper()})
    assert response.status_code == 302
    assert recovery_codes_left(personas.clerk) == 9
    device = RecoveryDevice.objects.get(user=personas.clerk)
    assert device.throttling_failure_count == 0
    assert device.last_used_at is not None
    assert not device.verify_token(code)


def test_wrong_codes_are_throttled(personas):
    codes = recovery_codes_make(user=personas.clerk)
    device = RecoveryDevice.objects.get(user=personas.clerk)
    assert not device.verify_token("zzzzzzzz")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Right away, even the right code waits for the throttle.
    assert not device.verify_token(codes[0])
    assert RecoveryCode.objects.filter(device=device).count() == 10


def test_the_migration_moves_clear_codes_into_encrypted_ones(personas):
    old = StaticDevice.objects.create(user=personas.head, name="recovery codes", confirmed=True)
    old.token_set.create(token="k3p9x2m7")
    old.token_set.create(token="q4w5e6r7")
    migration = importlib.import_module(
        "paradewi.accounts.migrations.0005_recovery_codes_encrypted"
    )
    migration.forwards(apps, None)
    assert not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    moved = RecoveryDevice.objects.get(user=personas.head)
    assert moved.confirmed
    assert sorted(moved.codes.values_list("code", flat=True)) == ["k3p9x2m7", "q4w5e6r7"]
    values = every_value_in_the_database()
    assert not any("k3p9x2m7" in value for value in values)
    assert moved.verify_token("q4w5e6r7")
