from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who opened or downloaded a resident's personal data, when and from where."""

    name = "paradewi.audit"
    label = "audit"
    verbose_name = _("Access log")
