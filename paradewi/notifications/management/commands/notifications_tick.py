"""One tick of the site's clock (`core.clock.tick`): enqueue the periodic jobs every app
registers that are due now. Run it from cron or a systemd timer every few minutes (or let
`notifications_clock` do it). Each job is idempotent, so an extra run or two ticks at once do
no harm. The name dates from when the clock served notifications only; it stays so that
existing cron entries keep working."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from paradewi.core.clock import tick


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (every tick, and the daily ones once a day)."

    def handle(self, *args: Any, **options: Any) -> None:
        names = tick()
        if options["verbosity"] > 1:
            self.stdout.write("Enqueued: " + ", ".join(names))
