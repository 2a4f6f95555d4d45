from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "paradewi.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")
