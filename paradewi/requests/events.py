"""What happens after a request's transition has been committed.

`requests.services` calls `transition_committed()` through `transaction.on_commit`, so nothing
is sent for a change that rolled back. The apps above `requests` that react to a transition
(notifications) subscribe a callback from their `AppConfig.ready()`: `requests` never imports
them (docs/architecture.md, "Layers"), and the list of what reacts is in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Subscriber = Callable[[int], None]

_subscribers: list[Subscriber] = []
# Practice requests' transitions reach only these (the training scenario), never the
# notifications: a practice request never tells a resident or an officer anything.
_practice_subscribers: list[Subscriber] = []


def subscribe(callback: Subscriber) -> None:
    """Call `callback(transition_id)` after every committed transition. Registering the same
    callback twice (a second `ready()` in tests) keeps one."""
    if callback not in _subscribers:
        _subscribers.append(callback)


def subscribers() -> tuple[Subscriber, ...]:
    return tuple(_subscribers)


def transition_committed(transition_id: int) -> None:
    """Called once per committed Transition row (create, submit, return, complete, ...).

    Each subscriber runs on its own: one that fails is logged and does not keep the others
    from running. Should a call fail or never run (a process killed right after the commit),
    the notifications sweep catches up on the history row later.
    """
    for callback in _subscribers:
        try:
            callback(transition_id)
        except Exception:  # one subscriber's failure must not silence the others
            logger.exception("Subscriber %r failed on transition %s", callback, transition_id)


def subscribe_practice(callback: Subscriber) -> None:
    """Call `callback(transition_id)` after every committed transition of a practice request."""
    if callback not in _practice_subscribers:
        _practice_subscribers.append(callback)


def practice_transition_committed(transition_id: int) -> None:
    """Called once per committed history row of a practice request (instead of
    `transition_committed`)."""
    for callback in _practice_subscribers:
        try:
            callback(transition_id)
        except Exception:  # the next step of a practice must not break the officer's action
            logger.exception(
                "Practice subscriber %r failed on transition %s", callback, transition_id
            )
