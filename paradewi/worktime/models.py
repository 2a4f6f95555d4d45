from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Closure(models.Model):
    """A day the offices are closed besides weekends and national holidays.

    National public holidays and the government's cuti bersama come from the `holidays`
    library; the administrator enters the rest (a regional holiday, a local closure, a cuti
    bersama announced after the library's release).
    """

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("reason"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("office closure")
        verbose_name_plural = _("office closures")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
