"""What happens after a request's transition has been committed.

`requests.services` calls `transition_committed()` through `transaction.on_commit`, so nothing
is sent for a change that rolled back. Other domain areas (notifications, surveys) are called
from here, explicitly, rather than through signals.
"""

from __future__ import annotations


def transition_committed(transition_id: int) -> None:
    """Called once per committed Transition row (create, submit, return, complete, ...)."""
    return None
