"""Test helpers: the regency's regions and one persona per role (STYLE habit 9)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.test import Client as DjangoClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp

from paradewi.accounts.models import AppDevice, Role, User
from paradewi.accounts.services import user_create, user_sync_staff
from paradewi.accounts.two_factor import two_factor_required
from paradewi.core.validators import normalize_phone
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


PERSONAS: dict[str, dict[str, str]] = {
    "desa_a": {
        "username": "desa-a",
        "role": Role.VILLAGE_OFFICER,
        "area": VILLAGE_A,
        "full_name": "Ahmad Fauzi",
        "phone": "081234567801",
    },
    "desa_b": {
        "username": "desa-b",
        "role": Role.VILLAGE_OFFICER,
        "area": VILLAGE_B,
        "full_name": "Budi Hartono",
        "phone": "081234567802",
    },
    "desa_c": {
        "username": "desa-c",
        "role": Role.VILLAGE_OFFICER,
        "area": VILLAGE_C,
        "full_name": "Citra Kirana",
        "phone": "081234567803",
    },
    "kecamatan_a": {
        "username": "kecamatan-a",
        "role": Role.DISTRICT_OPERATOR,
        "area": DISTRICT_A,
        "full_name": "Dian Permata",
    },
    "kecamatan_c": {
        "username": "kecamatan-c",
        "role": Role.DISTRICT_OPERATOR,
        "area": DISTRICT_C,
        "full_name": "Eko Wibowo",
    },
    "clerk": {
        "username": "clerk",
        "role": Role.DINAS_CLERK,
        "area": REGENCY,
        "full_name": "Fitri Handayani",
    },
    "head": {
        "username": "head",
        "role": Role.DINAS_HEAD,
        "area": REGENCY,
        "full_name": "Gunawan Saputra",
    },
    "viewer": {
        "username": "viewer",
        "role": Role.VIEWER,
        "area": REGENCY,
        "full_name": "Hendra Kusuma",
    },
    "admin": {
        "username": "admin",
        "role": Role.ADMIN,
        "area": REGENCY,
        "full_name": "Indah Purnama",
        "email": "admin@example.org",
    },
}


def make_personas() -> Personas:
    """The personas, as `user_create` makes accounts, in one INSERT.

    Most tests start with them, so they skip `user_create`'s checks (a dozen queries each),
    which these accounts pass; the checks have their own tests, through `make_user`.
    """
    areas = Region.objects.in_bulk({p["area"] for p in PERSONAS.values()}, field_name="code")
    users = []
    for persona in PERSONAS.values():
        user = User(
            username=persona["username"],
            full_name=persona["full_name"],
            role=persona["role"],
            area=areas[persona["area"]],
            email=persona.get("email", ""),
            phone=normalize_phone(persona["phone"]) if "phone" in persona else "",
        )
        user_sync_staff(user)
        user.set_password(PASSWORD)
        users.append(user)
    User.objects.bulk_create(users)
    return Personas(**dict(zip(PERSONAS, users, strict=True)))


def totp_device(user: User) -> AppDevice:
    """The user's confirmed authenticator app, added if they have none."""
    device: AppDevice | None = AppDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AppDevice.objects.create(user=user, name="test phone", confirmed=True)
    return device


def totp_code(device: AppDevice) -> str:
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
    device = AppDevice.objects.get(user=user, confirmed=not enrolling)
    page.locator("main input[name=code]").fill(totp_code(device))
    page.locator("main form button[type=submit]").click()
    if enrolling:
        page.wait_for_url(re.compile(r"/account/two-factor/codes/"))
        page.locator("main a.button").click()
