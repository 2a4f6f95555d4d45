from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsConfig(AppConfig):
    """Population-document requests (permohonan) and their workflow."""

    name = "paradewi.requests"
    label = "requests"
    verbose_name = _("Requests")

    def ready(self) -> None:
        from paradewi.requests import jobs  # noqa: F401 - registers the app's periodic jobs
