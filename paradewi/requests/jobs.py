"""The periodic jobs of requests, registered with the clock (`core.clock`)."""

from __future__ import annotations

from paradewi.core import clock
from paradewi.requests import tasks

clock.every_tick(tasks.check_forgotten_uploads_task)
clock.daily(tasks.purge_expired_uploads_task)
clock.daily(tasks.verify_history_task)
