"""The periodic jobs of notifications, registered with the clock (`core.clock`): at every
tick the outbox sweep (with the catch-up of history rows), the approaching-target warnings,
the overdue digests and the complaints' due-soon and overdue warnings (each decides for
itself whether anything is due now)."""

from __future__ import annotations

from paradewi.core import clock
from paradewi.notifications import tasks

clock.every_tick(tasks.sweep)
clock.every_tick(tasks.warn_approaching)
clock.every_tick(tasks.send_overdue_digests)
clock.every_tick(tasks.warn_complaints)
