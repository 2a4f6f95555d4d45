"""Delete the files of uploads whose retention period is over (docs/documents.md, Retention).

The periodic tick runs the same purge once a day in the worker; this command is for running it
by hand, or from cron where no clock runs. `--dry-run` only counts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from paradewi.requests.retention import purge_expired_uploads, purge_plan


class Command(BaseCommand):
    help = (
        "Delete the uploaded files of requests that ended more than UPLOAD_RETENTION_DAYS ago "
        "(rows, hashes, history and issued documents stay)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted, delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.UPLOAD_RETENTION_DAYS
        if options["dry_run"]:
            plan = purge_plan()
            self.stdout.write(
                f"Would delete the files of {plan.uploads} uploads of {plan.requests} requests "
                f"that ended more than {days} days ago."
            )
            return
        purged = purge_expired_uploads()
        self.stdout.write(
            f"Deleted the files of {purged} uploads of requests that ended more than "
            f"{days} days ago."
        )
