"""What happens after a request's transition has been committed.

`requests.services` calls `transition_committed()` through `transaction.on_commit`, so nothing
is sent for a change that rolled back. Other domain areas (notifications, surveys) are called
from here, explicitly, rather than through signals.
"""

from __future__ import annotations


def transition_committed(transition_id: int) -> None:
    """Called once per committed Transition row (create, submit, return, complete, ...).

    Notifications decide who is told and write their outbox rows; delivery happens in
    background tasks. Should this call fail or never run (a process killed right after the
    commit), the notifications sweep catches up on the history row later.
    """
    # Imported here: notifications reads requests (and surveys), which import this module.
    from paradewi.notifications.services import transition_notify

    transition_notify(transition_id)
