from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    """Complaints (pengaduan) about a request or the service: filed by residents, handled by
    the Dinas on the working-day clock (UU 25/2009 Pasal 36; docs/complaints.md)."""

    name = "paradewi.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
