from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from paradewi.regions.codes import code_within


class Region(models.Model):
    """One administrative area of Indonesia, identified by its dotted Kemendagri code.

    All provinsi and kabupaten/kota of the country are loaded (so that a NIK's region part can be
    checked), plus the kecamatan and desa/kelurahan of the deployed regency. The code is the
    natural key; the path from the code also answers "is this area inside that one" with a prefix.
    """

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency/city")
        DISTRICT = "kecamatan", _("Kecamatan")
        VILLAGE = "desa", _("Village")

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # A region that vanished from a newer edition of the data stays (users and requests point
    # at it) but is no longer offered for new accounts.
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name as people say it: "Desa Tawangrejo", "Kecamatan Jatirejo"."""
        if self.level in (self.Level.DISTRICT, self.Level.VILLAGE):
            return f"{self.get_kind_display()} {self.name}"
        return self.name

    def contains(self, other: Region) -> bool:
        """True when `other` is this region or lies inside it."""
        return code_within(other.code, self.code)
