from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who opened or downloaded a resident's personal data, when and from where."""

    name = "paradewi.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from paradewi.audit import jobs  # noqa: F401 - registers the app's periodic jobs
