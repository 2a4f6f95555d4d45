"""Writes for notifications: who is told what, on which channel, and announcements.

One module per job: `transitions` (the fan-out of a committed workflow transition and its
catch-up), `digests` (approaching-target warnings and the daily overdue digest),
`user_actions` (an officer's own notifications, announcements, residents' opt-out),
`templates` (the default message texts), all writing their rows through `batch`.

Every decision to tell someone is written as rows (in-app Notification, Outbox) under a unique
`dedupe_key`, so handling the same event twice (the after-commit hook and the catch-up sweep,
or two ticks of the clock) writes nothing twice. Outbox rows are delivered by one background
task each, enqueued after the rows commit (`delivery.schedule`).

Privacy: messages carry the registration number, the service, the village, links and the
reporter's first name, never a NIK, a KK number, a full name or a phone number; officers'
free text (reasons) is scrubbed of long digit runs.
"""

from __future__ import annotations

from paradewi.notifications.services.batch import resident_phone
from paradewi.notifications.services.digests import approaching_warn, overdue_digests_send
from paradewi.notifications.services.templates import templates_seed
from paradewi.notifications.services.transitions import (
    CATCH_UP_BATCH,
    CATCH_UP_GRACE,
    TRANSITIONS_CURSOR,
    transition_notify,
    transitions_catch_up,
)
from paradewi.notifications.services.user_actions import (
    announcement_mark_read,
    announcement_publish,
    message_for_stop_link,
    notification_for_user,
    notification_open,
    notifications_mark_all_read,
    notifications_mark_older_read,
    opt_in,
    opt_out,
    preference_set,
)

__all__ = [
    "CATCH_UP_BATCH",
    "CATCH_UP_GRACE",
    "TRANSITIONS_CURSOR",
    "announcement_mark_read",
    "announcement_publish",
    "approaching_warn",
    "message_for_stop_link",
    "notification_for_user",
    "notification_open",
    "notifications_mark_all_read",
    "notifications_mark_older_read",
    "opt_in",
    "opt_out",
    "overdue_digests_send",
    "preference_set",
    "resident_phone",
    "templates_seed",
    "transition_notify",
    "transitions_catch_up",
]
