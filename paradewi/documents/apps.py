from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """PDFs the system makes (pre-filled official forms), their PAdES signature, and the public
    verification of issued documents."""

    name = "paradewi.documents"
    verbose_name = _("Documents")
