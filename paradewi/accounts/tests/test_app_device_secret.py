"""The authenticator apps' secrets are encrypted at rest (in the database, dumps and backups),
as NIK and KK are: a copy of the database alone cannot make a user's codes."""

from __future__ import annotations

import importlib
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from paradewi.accounts.models import AppDevice
from paradewi.testing import PASSWORD, Client, totp_code, totp_device


def stored_key(device: AppDevice) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM accounts_appdevice WHERE id = %s", [device.pk])
        value: str = cursor.fetchone()[0]
    return value


def test_the_secret_is_a_token_in_the_database(personas):
    """Before: django-otp's TOTPDevice kept the 40 hex digits in clear."""
    device = totp_device(personas.clerk)
    assert len(device.key) == 40
    column = stored_key(device)
    assert column.startswith("pde1.")
    assert device.key not in column


def test_a_dump_holds_the_token_not_the_secret(personas):
    device = totp_device(personas.clerk)
    out = StringIO()
    call_command("dumpdata", "accounts.appdevice", stdout=out)
    assert device.key not in out.getvalue()
    assert '"key": "pde1.' in out.getvalue()


def test_the_app_s_codes_still_log_in(personas):
    device = totp_device(personas.clerk)
    client = Client()
    client.post(reverse("login"), {"username": "clerk", "password": PASSWORD})
    response = client.post(reverse("two_factor_verify"), {"code": totp_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.last_t > 0


def test_the_migration_moves_clear_secrets_into_encrypted_devices(personas):
    old = TOTPDevice.objects.create(user=personas.head, name="authenticator", confirmed=True)
    migration = importlib.import_module(
        "paradewi.accounts.migrations.0004_app_device_secrets_encrypted"
    )
    migration.forwards(apps, None)
    assert not TOTPDevice.objects.exists()
    moved = AppDevice.objects.get(user=personas.head)
    assert moved.key == old.key
    assert moved.confirmed
    assert old.key not in stored_key(moved)
