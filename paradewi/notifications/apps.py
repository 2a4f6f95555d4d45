from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Telling residents and officers what happened: in-app, e-mail, WhatsApp/SMS, announcements."""

    name = "paradewi.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from paradewi.complaints import events as complaint_events
        from paradewi.notifications import jobs  # noqa: F401 - registers the app's periodic jobs
        from paradewi.notifications.services import transition_notify
        from paradewi.notifications.services.complaints import complaint_notify
        from paradewi.requests import events

        # Every committed transition tells whom it concerns.
        events.subscribe(transition_notify)
        # Every committed complaint step tells whom it concerns (docs/complaints.md).
        complaint_events.subscribe(complaint_notify)
