from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from paradewi.reports.services import refresh_activity


class Command(BaseCommand):
    help = (
        "Bring the report figures (monthly activity per village and service) up to date. "
        "--rebuild recomputes every month: needed after closures or office hours change."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="recompute every month")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = refresh_activity(rebuild=options["rebuild"])
        seconds = time.perf_counter() - started
        self.stdout.write(f"{rows} rows of monthly activity written in {seconds:.1f} s.")
