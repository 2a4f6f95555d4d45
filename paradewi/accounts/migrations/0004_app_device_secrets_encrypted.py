"""Move the authenticator apps from django-otp's TOTPDevice (secret in clear) to AppDevice
(secret encrypted): each row is copied, its secret encrypted on the way, then removed."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FIELDS = (
    "user_id",
    "name",
    "confirmed",
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "created_at",
    "last_used_at",
    "key",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def forwards(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("otp_totp", "TOTPDevice")
    new = apps.get_model("accounts", "AppDevice")
    for device in old.objects.order_by("pk").iterator():
        new.objects.create(**{name: getattr(device, name) for name in FIELDS})
    old.objects.all().delete()


def backwards(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("otp_totp", "TOTPDevice")
    new = apps.get_model("accounts", "AppDevice")
    for device in new.objects.order_by("pk").iterator():
        old.objects.create(**{name: getattr(device, name) for name in FIELDS})
    new.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_app_device_encrypted"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
