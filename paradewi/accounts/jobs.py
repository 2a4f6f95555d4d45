"""The periodic jobs of accounts, registered with the clock (`core.clock`)."""

from __future__ import annotations

from paradewi.accounts import tasks
from paradewi.core import clock

clock.daily(tasks.clear_expired_sessions_task)
