from __future__ import annotations

import hmac
from binascii import unhexlify
from collections.abc import Iterator
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from paradewi.core.fields import EncryptedTextField
from paradewi.core.validators import validate_phone
from paradewi.regions.codes import code_within
from paradewi.regions.models import Region


class Role(models.TextChoices):
    VILLAGE_OFFICER = "village_officer", _("Village officer")
    DISTRICT_OPERATOR = "district_operator", _("Kecamatan operator")
    DINAS_CLERK = "dinas_clerk", _("Dinas clerk")
    DINAS_HEAD = "dinas_head", _("Dinas head")
    VIEWER = "viewer", _("Leadership viewer")
    ADMIN = "admin", _("Administrator")


# The level of area each role is bound to (docs/design.md, "People and roles").
ROLE_AREA_LEVEL: dict[str, str] = {
    Role.VILLAGE_OFFICER: Region.Level.VILLAGE,
    Role.DISTRICT_OPERATOR: Region.Level.DISTRICT,
    Role.DINAS_CLERK: Region.Level.REGENCY,
    Role.DINAS_HEAD: Region.Level.REGENCY,
    Role.VIEWER: Region.Level.REGENCY,
    Role.ADMIN: Region.Level.REGENCY,
}


class PortalUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        """`createsuperuser` makes an administrator of the deployed regency."""
        extra.setdefault("role", Role.ADMIN)
        if "area" not in extra and "area_id" not in extra:
            extra["area"] = Region.objects.filter(code=settings.REGENCY_CODE).first()
        return super().create_superuser(username, email, password, **extra)


# django-otp ships no type information, so the plugin does not see AppDevice's link to User.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    """A person who logs in: one role, one area (a village, a kecamatan or the regency)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    area = models.ForeignKey(
        Region,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        help_text=_("A village for village officers, a kecamatan for operators, else the regency."),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=16, blank=True, validators=[validate_phone])
    # Part of every session's authentication hash: raising it ends all the user's sessions at
    # once ("log out everywhere"), as changing the password does.
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    objects: ClassVar[PortalUserManager] = PortalUserManager()

    # Training mode ("Latihan") for this page: not a column. The training switch keeps it in
    # the session and its middleware sets it on the logged-in user of every request; the
    # request reads and the workflow table follow it (practice requests only while it is on,
    # real ones only while it is off: docs/training.md).
    in_training: bool = False

    REQUIRED_FIELDS: ClassVar[list[str]] = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["role", "area"])]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, with the session generation mixed in."""
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=fallback_secret)

    def _session_auth_hash(self, *, secret: str | bytes | None) -> str:
        return salted_hmac(
            "paradewi.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def clean(self) -> None:
        super().clean()
        if self.role and self.area_id is None:
            raise ValidationError({"area": _("Every user needs an area.")})
        if self.role and self.area is not None:
            validate_role_area(self.role, self.area)


def validate_role_area(role: str, area: Region) -> None:
    """The area must be of the role's level and lie inside the deployed regency."""
    expected = ROLE_AREA_LEVEL[role]
    if area.level != expected:
        raise ValidationError(
            {
                "area": _("A %(role)s must be bound to a %(level)s, not to %(area)s.")
                % {
                    "role": Role(role).label,
                    "level": Region.Level(expected).label.lower(),
                    "area": area.display_name,
                }
            }
        )
    regency = settings.REGENCY_CODE
    if not code_within(area.code, regency):
        raise ValidationError(
            {
                "area": _("%(area)s is not in the regency this system serves (%(code)s).")
                % {"area": area.display_name, "code": regency}
            }
        )
    if not area.is_active:
        raise ValidationError({"area": _("%(area)s is no longer active.") % {"area": area}})


def _new_app_key() -> str:
    return str(random_hex(20))


class AppDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """The authenticator app of a user (TOTP, RFC 6238), with its secret encrypted at rest.

    django-otp's TOTPDevice keeps the secret in clear, so a copy of the database or a backup
    would let anyone make a user's codes. This device is the same TOTP (the verification,
    throttling and the otpauth:// address are django-otp's own code) with `key` an
    EncryptedTextField: AES-256-GCM with ENCRYPTION_KEYS, like NIK and KK, rotated by
    `rotate_keys`.
    """

    key = EncryptedTextField(_("secret"), max_length=80, default=_new_app_key)
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(default=30)
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(default=0)
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        default=1
    )
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(default=0)
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    # django-otp's TOTP device logic, reused as it is (it reads only the fields above).
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings


class RecoveryDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]
    """The one-time recovery codes of a user, with each code encrypted at rest.

    django-otp's StaticDevice keeps its codes (StaticToken) in clear, so a copy of the database
    or a backup would hand out a second factor for every user. This device is the same
    (throttled like django-otp's, each code used once) with its codes in RecoveryCode, an
    EncryptedTextField: AES-256-GCM under ENCRYPTION_KEYS, as AppDevice's secret and the NIKs,
    re-encrypted by `rotate_keys`. A keyed hash would serve as well for checking; encryption
    keeps the codes under the one set of keys that rotation already handles (a code is only
    40 random bits, so an unkeyed hash of it would be no protection).
    """

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: str) -> bool:
        """Accept one of the codes and use it up (django-otp's StaticDevice, on ciphertexts:
        the codes are decrypted and compared in constant time, never searched by value)."""
        allowed, _data = self.verify_is_allowed()
        if not allowed:
            return False
        match = next(
            (
                code
                for code in self.codes.all()
                if hmac.compare_digest(code.code.encode(), str(token).encode())
            ),
            None,
        )
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code of a RecoveryDevice (deleted once used)."""

    device = models.ForeignKey(RecoveryDevice, on_delete=models.CASCADE, related_name="codes")
    code = EncryptedTextField(_("code"), max_length=16)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id}: ********"
