"""Office hours for tests written for one plain window a day."""

from __future__ import annotations

from datetime import time

from paradewi.worktime.models import OfficeSchedule, OfficeWindow


def eight_to_four() -> OfficeSchedule:
    """A regency's own hours (Perpres 21/2023 Pasal 5 leaves the details to it): Monday to
    Friday 08.00-16.00, no break, from always. Counts in tests that are about what is
    counted, not about the hours, stay easy to check by hand."""
    schedule = OfficeSchedule.objects.create(name="08.00-16.00")
    OfficeWindow.objects.bulk_create(
        OfficeWindow(schedule=schedule, weekday=day, opens=time(8), closes=time(16))
        for day in range(1, 6)
    )
    return schedule
