from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Population-document requests (permohonan) and their workflow."""

    name = "paradewi.requests"
    label = "requests"
    verbose_name = _("Requests")
