"""The periodic jobs of core, registered with the clock (`core.clock`)."""

from __future__ import annotations

from paradewi.core import clock, tasks

clock.daily(tasks.update_planner_statistics_task)
