"""Two-factor authentication: an authenticator app (TOTP) plus ten one-time recovery codes.

Required for the roles in policy.TWO_FACTOR_ROLES, optional for the others; once a
user of any role has enrolled, every later login asks for a code. Devices are django-otp's:
one AppDevice (the app) and one RecoveryDevice (the recovery codes) per user, both with their
secrets encrypted at rest (accounts/models.py). django-otp throttles both: each wrong code
doubles the wait before the device accepts another.
"""

from __future__ import annotations

import base64
import logging
import re
import secrets

import segno
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device

from paradewi.accounts.models import AppDevice, RecoveryCode, RecoveryDevice, User
from paradewi.accounts.policy import TWO_FACTOR_ROLES

logger = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6  # django-otp's default for new app devices
# Set at login for users who must still enter a code (see two_factor_login_started).
PENDING_SESSION_KEY = "two_factor_pending"
# Recovery codes waiting to be shown once, on the page after they were made.
CODES_SESSION_KEY = "two_factor_new_codes"
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"


def two_factor_required(user: User) -> bool:
    """The role must use two-factor authentication (whether or not it has enrolled yet)."""
    return user.role in TWO_FACTOR_ROLES


def app_device(user: User, *, confirmed: bool = True) -> AppDevice | None:
    device: AppDevice | None = (
        AppDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()
    )
    return device


def recovery_device(user: User) -> RecoveryDevice | None:
    device: RecoveryDevice | None = (
        RecoveryDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    )
    return device


def is_enrolled(user: User) -> bool:
    return app_device(user) is not None


def recovery_codes_left(user: User) -> int:
    count: int = RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def is_verified(request: HttpRequest) -> bool:
    """The session passed the second step (django-otp's middleware set the device)."""
    return getattr(request.user, "otp_device", None) is not None


def two_factor_login_started(request: HttpRequest, user: User) -> None:
    """After the password: remember that this session still owes a code, if it does.

    Required roles always owe one (the middleware knows them by role, so nothing is stored);
    other roles only once they have enrolled, which costs a query at login and none later.
    """
    if not two_factor_required(user) and is_enrolled(user):
        request.session[PENDING_SESSION_KEY] = True


def two_factor_pending(request: HttpRequest, user: User) -> bool:
    return two_factor_required(user) or bool(request.session.get(PENDING_SESSION_KEY))


def enrolment_device(user: User) -> AppDevice:
    """The unconfirmed app device being enrolled: the same secret until it is confirmed."""
    device = app_device(user, confirmed=False)
    if device is None:
        device = AppDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def key_for_display(key: bytes) -> str:
    """A key as authenticator apps take it by hand: base32, in groups of four."""
    secret = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def secret_for_display(device: AppDevice) -> str:
    """The device's secret as authenticator apps take it by hand."""
    return key_for_display(device.bin_key)


def qr_svg(device: AppDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (nothing is fetched from elsewhere)."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, border=2, title=_("QR code for the authenticator app"))
    return svg


def normalize_code(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, recovery codes in lower case."""
    return re.sub(r"[\s-]+", "", code).lower()


def enrolment_confirm(*, request: HttpRequest, user: User, device: AppDevice, code: str) -> bool:
    """Confirm the app with a code it shows; on success make fresh recovery codes.

    The session counts as verified from then on. Returns False for a wrong code (throttled by
    django-otp like any other attempt).
    """
    with transaction.atomic():
        locked = AppDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if locked.confirmed or not locked.verify_token(normalize_code(code)):
            return False
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        # Any other app device left over from an abandoned enrolment goes.
        AppDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        codes = recovery_codes_make(user=user)
    _session_verified(request, locked)
    request.session[CODES_SESSION_KEY] = codes
    logger.info("User %s enrolled an authenticator app", user.username)
    return True


def new_recovery_code() -> str:
    """Eight characters of base32 (40 random bits), in lower case: django-otp's format."""
    return base64.b32encode(secrets.token_bytes(5)).decode("ascii").lower()


def recovery_codes_make(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; returns them to show once."""
    with transaction.atomic():
        RecoveryDevice.objects.filter(user=user).delete()
        device = RecoveryDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code=code) for code in codes)
    return codes


def code_verify(*, request: HttpRequest, user: User, code: str) -> Device | None:
    """Check a code from the app, or else a recovery code (which is then used up).

    On success the session is verified; returns the device that accepted the code.
    """
    token = normalize_code(code)
    if not token:
        return None
    verified: Device | None = None
    with transaction.atomic():
        if token.isdigit() and len(token) == TOTP_DIGITS:
            device: Device | None = (
                AppDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
            )
        else:
            device = RecoveryDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.verify_token(token):
            verified = device
    if verified is not None:
        _session_verified(request, verified)
        if isinstance(verified, RecoveryDevice):
            logger.info("User %s logged in with a recovery code", user.username)
    return verified


def wait_seconds(user: User) -> int:
    """Seconds before the user's devices accept another code after wrong ones (0: now)."""
    longest = 0.0
    for device in devices_for_user(user, confirmed=None):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            longest = max(longest, (data["locked_until"] - timezone.now()).total_seconds())
    return int(longest + 0.999)


def _session_verified(request: HttpRequest, device: Device) -> None:
    # A new session key for the now fully authenticated session (as login() does).
    request.session.cycle_key()
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


@transaction.atomic
def two_factor_remove(*, user: User, by: User | None, reason: str) -> int:
    """Delete all the user's devices and end their sessions; logged (admin history, log).

    `by` is the administrator doing it (None: the user themselves). The next login asks a
    required role to enrol again. Returns the number of devices removed.
    """
    removed = 0
    for model in (AppDevice, RecoveryDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    if by is not None:
        LogEntry.objects.log_actions(
            by.pk,
            [user],
            CHANGE,
            change_message=reason,
        )
    logger.info(
        "Two-factor authentication of %s removed by %s: %s",
        user.username,
        by.username if by else "the user",
        reason,
    )
    return removed


def session_forget_device(request: HttpRequest) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
