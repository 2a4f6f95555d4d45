"""Background tasks (django-tasks): one per outbox row, and the periodic jobs.

Every task is safe to run twice or concurrently: delivery claims its row with a
compare-and-swap, and the periodic jobs create rows under unique keys.
"""

from __future__ import annotations

from django_tasks import task

from paradewi.notifications import delivery, services


@task()
def deliver_message(message_id: str) -> str:
    """Send one outbox row (enqueued when the row is committed, and again for each retry)."""
    return delivery.deliver(message_id)


@task()
def sweep() -> dict[str, int]:
    """Re-queue messages whose sender died, enqueue lost ones, and catch up on history rows
    whose after-commit hook never ran (a process killed right after a commit)."""
    result = delivery.sweep()
    result["caught_up"] = services.transitions_catch_up()
    return result


@task()
def warn_approaching() -> int:
    """Tell holders about requests close to their service-level target."""
    return services.approaching_warn()


@task()
def warn_complaints() -> int:
    """Tell whoever answers a complaint that it is due within a working day, or overdue."""
    from paradewi.notifications.services.complaints import complaints_warn

    return complaints_warn()


@task()
def send_overdue_digests() -> int:
    """Once a working day: overdue requests to the Dinas head and each kecamatan operator."""
    return services.overdue_digests_send()
