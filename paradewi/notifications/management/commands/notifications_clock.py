"""A small clock for `make run` (Procfile line `clock`): a tick of the site's clock
(`core.clock.tick`: the periodic jobs every app registers) every NOTIFICATIONS_CLOCK_SECONDS.
In production use either this process or a cron job / systemd timer running
`notifications_tick`; running both, or several clocks, is harmless. The name dates from when
the clock served notifications only; it stays so that existing units keep working."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from paradewi.core.clock import tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run notifications_tick every NOTIFICATIONS_CLOCK_SECONDS until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=int, default=None, help="Seconds between ticks.")
        parser.add_argument("--ticks", type=int, default=0, help="Stop after this many (0: never).")

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or settings.NOTIFICATIONS_CLOCK_SECONDS
        stop = threading.Event()

        def shutdown(signum: int, frame: FrameType | None) -> None:
            stop.set()

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, shutdown)
            signal.signal(signal.SIGINT, shutdown)
        done = 0
        while not stop.is_set():
            close_old_connections()
            try:
                tick()
            except Exception:  # a database hiccup must not stop the clock
                logger.exception("clock tick failed")
            done += 1
            if options["ticks"] and done >= options["ticks"]:
                break
            stop.wait(interval)
        close_old_connections()
