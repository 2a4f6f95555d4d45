"""Rows of core: only what the clock keeps between ticks."""

from __future__ import annotations

from django.db import models


class DailyRun(models.Model):
    """The last local day a daily job of the clock was enqueued (`core.clock`).

    One row per job, moved forward by a compare-and-swap, so that exactly one tick a day
    enqueues the job however many clocks run.
    """

    name = models.CharField(max_length=100, primary_key=True)
    day = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.day}"
