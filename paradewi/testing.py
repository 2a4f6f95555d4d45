"""Test helpers: the regency's regions and one persona per role (STYLE habit 9)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.test import Client as DjangoClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from paradewi.accounts.models import Role, User
from paradewi.accounts.services import user_create
from paradewi.accounts.two_factor import two_factor_required
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load

if TYPE_CHECKING:
    from playwright.sync_api import Page

PASSWORD = "test-password-123"

# Real Mojokerto codes: two villages of Jatirejo, one of Gondang.
VILLAGE_A = "35.16.01.2001"  # Tawangrejo, Kecamatan Jatirejo
VILLAGE_B = "35.16.01.2002"  # Rejosari, Kecamatan Jatirejo
VILLAGE_C = "35.16.02.2001"  # a village of Kecamatan Gondang
DISTRICT_A = "35.16.01"  # Jatirejo
DISTRICT_C = "35.16.02"  # Gondang
REGENCY = "35.16"


def load_mojokerto() -> None:
    regions_load(regency_code=REGENCY)


def make_user(username: str, role: str, area_code: str, **extra: str) -> User:
    return user_create(
        username=username,
        full_name=extra.pop("full_name", username.replace("-", " ").title()),
        role=role,
        area=Region.objects.get(code=area_code),
        password=PASSWORD,
        **extra,
    )


@dataclass
class Personas:
    """Everyone a permission rule can be stated about, in one line each."""

    desa_a: User
    desa_b: User
    desa_c: User
    kecamatan_a: User
    kecamatan_c: User
    clerk: User
    head: User
    viewer: User
    admin: User

    def all(self) -> dict[str, User]:
        return dict(vars(self))


def make_personas() -> Personas:
    return Personas(
        desa_a=make_user(
            "desa-a", Role.VILLAGE_OFFICER, VILLAGE_A, full_name="Ahmad Fauzi", phone="081234567801"
        ),
        desa_b=make_user(
            "desa-b",
            Role.VILLAGE_OFFICER,
            VILLAGE_B,
            full_name="Budi Hartono",
            phone="081234567802",
        ),
        desa_c=make_user(
            "desa-c",
            Role.VILLAGE_OFFICER,
            VILLAGE_C,
            full_name="Citra Kirana",
            phone="081234567803",
        ),
        kecamatan_a=make_user(
            "kecamatan-a", Role.DISTRICT_OPERATOR, DISTRICT_A, full_name="Dian Permata"
        ),
        kecamatan_c=make_user(
            "kecamatan-c", Role.DISTRICT_OPERATOR, DISTRICT_C, full_name="Eko Wibowo"
        ),
        clerk=make_user("clerk", Role.DINAS_CLERK, REGENCY, full_name="Fitri Handayani"),
        head=make_user("head", Role.DINAS_HEAD, REGENCY, full_name="Gunawan Saputra"),
        viewer=make_user("viewer", Role.VIEWER, REGENCY, full_name="Hendra Kusuma"),
        admin=make_user(
            "admin", Role.ADMIN, REGENCY, full_name="Indah Purnama", email="admin@example.org"
        ),
    )


def totp_device(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, added if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current one, or the next if that was used already."""
    while True:
        now_t = int((time.time() - device.t0) // device.step) + device.drift
        target = max(now_t, device.last_t + 1)
        if target <= now_t + device.tolerance:
            return f"{hotp(device.bin_key, target, device.digits):0{device.digits}d}"
        time.sleep(1)


class Client(DjangoClient):
    """The test client; force_login also passes the second login step where the role needs it.

    force_login already skips the password; skipping the code too keeps tests of other
    features about those features. Tests of the second step use force_login_password_only.
    """

    def force_login(self, user: Any, backend: str | None = None) -> None:
        super().force_login(user, backend)
        if isinstance(user, User) and two_factor_required(user):
            self.two_factor_verified(user)

    def force_login_password_only(self, user: User) -> None:
        super().force_login(user)

    def two_factor_verified(self, user: User) -> None:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()


def pass_two_factor(page: Page, username: str) -> None:
    """In a browser, after submitting the password: the code page, or enrolment first.

    Reads the secret from the database as the user's phone would from the QR code.
    """
    page.wait_for_url(re.compile(r"/(home/|account/two-factor/)"))
    if "/account/two-factor/" not in page.url:
        return
    user = User.objects.get(username=username)
    enrolling = "/enrol/" in page.url
    device = TOTPDevice.objects.get(user=user, confirmed=not enrolling)
    page.locator("main input[name=code]").fill(totp_code(device))
    page.locator("main form button[type=submit]").click()
    if enrolling:
        page.wait_for_url(re.compile(r"/account/two-factor/codes/"))
        page.locator("main a.button").click()
