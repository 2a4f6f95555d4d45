from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who opened or downloaded a resident's personal data, when and from where."""

    name = "paradewi.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from paradewi.audit import jobs  # noqa: F401 - registers the app's periodic jobs
        from paradewi.audit.selectors import may_read_access_log
        from paradewi.audit.services import access_record
        from paradewi.requests import access_log

        # The views of requests and documents log through this (requests.access_log).
        access_log.register(recorder=access_record, may_read=may_read_access_log)
