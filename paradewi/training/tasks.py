"""Background tasks of training mode (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paradewi.training import services


@task()
def play_scenario_task(request_id: int) -> str:
    """The kecamatan's and the Dinas's steps on a submitted practice request (a scenario)."""
    return services.scenario_play(request_id)
