"""Enqueue the periodic notification jobs once: run it from cron or a systemd timer every few
minutes (or let `notifications_clock` do it). Each job is idempotent, so an extra run or two
ticks at once do no harm."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from paradewi.notifications.services import tick


class Command(BaseCommand):
    help = "Enqueue the outbox sweep, approaching-target warnings and the daily overdue digest."

    def handle(self, *args: Any, **options: Any) -> None:
        names = tick()
        if options["verbosity"] > 1:
            self.stdout.write("Enqueued: " + ", ".join(names))
