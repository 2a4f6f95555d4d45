from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from paradewi.demo.services import demo_totp_code


class Command(BaseCommand):
    help = "Print the current second-step code of the demo Dinas and admin accounts (demo only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo codes exist only with PARADEWI_DEMO=true.")
        self.stdout.write(demo_totp_code())
