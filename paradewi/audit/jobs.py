"""The periodic jobs of the access log, registered with the clock (`core.clock`)."""

from __future__ import annotations

from paradewi.audit import tasks
from paradewi.core import clock

clock.daily(tasks.purge_access_log_task)
