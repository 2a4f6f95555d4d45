from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The satisfaction survey (IKM, PermenPAN-RB 14/2017) residents answer after hand-over."""

    name = "paradewi.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction survey")
