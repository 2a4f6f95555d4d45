from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from paradewi.demo.services import DEMO_PASSWORD, demo_load, demo_totp_secret
from paradewi.regions.models import Region


class Command(BaseCommand):
    help = "Create the demo accounts (demo mode only; existing accounts are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            accounts = demo_load()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        areas = Region.objects.in_bulk([a.area_code for a, _ in accounts], field_name="code")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account, created in accounts:
            note = "created" if created else "kept"
            area = areas[account.area_code]
            self.stdout.write(
                f"  {account.username:<15} {account.role.label!s:<20} {area.display_name} [{note}]"
            )
        self.stdout.write(
            "Second login step of demo-dinas, demo-kadis and demo-admin: add the key "
            f"{demo_totp_secret()} to any authenticator app, or run "
            "`.venv/bin/python manage.py demo_code` for the current code."
        )
        self.stdout.write(f"Open {settings.SITE_URL}/ and log in.")
        self.stdout.write("")
