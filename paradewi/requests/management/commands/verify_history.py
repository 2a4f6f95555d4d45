from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from paradewi.requests.history import verify_chain


class Command(BaseCommand):
    help = "Check the hash chain of the request history; name the first row that breaks it."

    def handle(self, *args: Any, **options: Any) -> None:
        check = verify_chain()
        if check.broken is not None:
            row = check.broken
            raise CommandError(
                f"History chain broken at row {row.pk} (request {row.request_id}, "
                f"{row.action}, {row.created_at.isoformat()}), after {check.rows} intact rows."
            )
        if check.truncated:
            raise CommandError(
                f"History chain intact for {check.rows} rows, but rows were removed from its end."
            )
        self.stdout.write(f"History chain intact: {check.rows} rows.")
