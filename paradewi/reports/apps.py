from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, the IKM report and exports for the Dinas, the kecamatan and the regent."""

    name = "paradewi.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from paradewi.reports.services import calendar_refresh, mark_stale
        from paradewi.surveys.services import subscribe_answered
        from paradewi.worktime.services import subscribe_calendar_changed

        # A survey answer shows on the dashboards within minutes, not at the next refresh.
        subscribe_answered(mark_stale)
        # Working time changed: the months from the change are recomputed.
        subscribe_calendar_changed(calendar_refresh)
