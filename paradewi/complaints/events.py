"""What happens after a complaint's step has been committed.

`complaints.services` calls `step_committed()` through `transaction.on_commit`; the apps above
(notifications: the complainant is told of an answer, the managers of a new complaint)
subscribe from their `AppConfig.ready()`, as they do to requests' transitions
(requests/events.py), so this app never imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Subscriber = Callable[[int], None]

_subscribers: list[Subscriber] = []


def subscribe(callback: Subscriber) -> None:
    """Call `callback(event_id)` after every committed ComplaintEvent; registering the same
    callback twice keeps one."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def step_committed(event_id: int) -> None:
    """Each subscriber runs on its own: one that fails is logged and stops no other."""
    for callback in _subscribers:
        try:
            callback(event_id)
        except Exception:  # one subscriber's failure must not silence the others
            logger.exception("Subscriber %r failed on complaint step %s", callback, event_id)
