from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, the IKM report and exports for the Dinas, the kecamatan and the regent."""

    name = "paradewi.reports"
    label = "reports"
    verbose_name = _("Reports")
