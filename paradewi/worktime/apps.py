from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    """Working time: office hours, public holidays, cuti bersama and local closures."""

    name = "paradewi.worktime"
    label = "worktime"
    verbose_name = _("Working time")

    def ready(self) -> None:
        from paradewi.worktime import receivers  # noqa: F401 - connects the signal receivers
