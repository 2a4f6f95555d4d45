"""Any change to closures, re-opened days or office hours, from whatever path (the admin, a
shell, a data migration), is a calendar change: `services.calendar_changed` tells the
subscribers (running requests' due times, the reports' months)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from paradewi.worktime.models import Closure, OfficeSchedule, OfficeWindow
from paradewi.worktime.services import calendar_changed


def _earliest(*days: date | None) -> date | None:
    """The earliest of the days; None (every day) when one is open-ended."""
    if any(day is None for day in days):
        return None
    return min(day for day in days if day is not None)


@receiver(pre_save, sender=Closure)
@receiver(pre_save, sender=OfficeSchedule)
def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    """The day before the change: moving a closure or a schedule changes both days."""
    field = "date" if sender is Closure else "starts"
    instance._previous_first = (
        sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
        if instance.pk
        else getattr(instance, field)
    )


@receiver(post_save, sender=Closure)
@receiver(post_delete, sender=Closure)
def _closure_changed(instance: Closure, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_first", instance.date) or instance.date
    calendar_changed(
        min(previous, instance.date), str(instance), getattr(instance, "changed_by", None)
    )


@receiver(post_save, sender=OfficeSchedule)
@receiver(post_delete, sender=OfficeSchedule)
def _schedule_changed(instance: OfficeSchedule, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_first", instance.starts)
    calendar_changed(
        _earliest(previous, instance.starts),
        str(instance),
        getattr(instance, "changed_by", None),
    )


@receiver(post_save, sender=OfficeWindow)
@receiver(post_delete, sender=OfficeWindow)
def _window_changed(instance: OfficeWindow, **kwargs: Any) -> None:
    schedule = OfficeSchedule.objects.filter(pk=instance.schedule_id).first()
    if schedule is None:  # deleted with its schedule: the schedule's change covers it
        return
    calendar_changed(schedule.starts, str(schedule), getattr(instance, "changed_by", None))
