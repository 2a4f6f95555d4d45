"""Delete access-log rows older than the retention period (the daily clock also does it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from paradewi.audit.services import access_log_purge, retention_cutoff, retention_days


class Command(BaseCommand):
    help = "Delete access-log rows older than ACCESS_LOG_RETENTION_DAYS (default 5 years)."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = retention_cutoff()
        deleted = access_log_purge(before=cutoff)
        self.stdout.write(
            f"{deleted} access-log rows older than {retention_days()} days deleted "
            f"(before {cutoff:%Y-%m-%d %H:%M})."
        )
