"""Demo data for trying paradewi on one machine. Only in demo mode (PARADEWI_DEMO=true)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Max
from django_otp.oath import totp

from paradewi.accounts.models import AppDevice, Role, User
from paradewi.accounts.services import user_create
from paradewi.accounts.two_factor import APP_DEVICE_NAME, key_for_display, two_factor_required
from paradewi.demo.complaints import demo_complaints_load
from paradewi.demo.requests import demo_requests_load
from paradewi.demo.surveys import demo_surveys_load
from paradewi.notifications.models import Notification
from paradewi.notifications.services import notifications_mark_older_read
from paradewi.regions.models import Region
from paradewi.requests.history import rechain

DEMO_PASSWORD = "paradewi-demo"  # noqa: S105 - published on purpose, demo mode only
# The authenticator key of the demo accounts that need a second login step (Dinas, admin),
# published like the password so anyone can try them: 20 bytes, hex as django-otp stores it.
DEMO_TOTP_KEY = b"paradewi-demo-totp!!".hex()
# Unread notifications each demo user starts with (the newest; the older ones are marked read).
DEMO_UNREAD_KEPT = 3


def demo_totp_secret() -> str:
    """The demo key as authenticator apps take it by hand (base32, groups of four)."""
    return key_for_display(bytes.fromhex(DEMO_TOTP_KEY))


def demo_totp_code() -> str:
    """The code an authenticator app with the demo key shows now (30-second steps)."""
    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY), step=30, digits=6):06d}"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    area_code: str
    phone: str = ""


# Areas are real codes of Kabupaten Mojokerto (35.16).
DEMO_ACCOUNTS = (
    DemoAccount("demo-admin", "Admin Dispendukcapil", Role.ADMIN, "35.16"),
    DemoAccount("demo-dinas", "Siti Rahayu", Role.DINAS_CLERK, "35.16", "081300000001"),
    DemoAccount("demo-kadis", "Bambang Sutrisno", Role.DINAS_HEAD, "35.16", "081300000002"),
    DemoAccount("demo-viewer", "Pimpinan Daerah", Role.VIEWER, "35.16"),
    DemoAccount(
        "demo-kecamatan", "Dewi Lestari", Role.DISTRICT_OPERATOR, "35.16.01", "081300000003"
    ),
    DemoAccount("demo-desa", "Agus Santoso", Role.VILLAGE_OFFICER, "35.16.01.2001", "081300000004"),
    DemoAccount(
        "demo-desa2", "Rina Wulandari", Role.VILLAGE_OFFICER, "35.16.01.2002", "081300000005"
    ),
    DemoAccount(
        "demo-desa3", "Joko Prasetyo", Role.VILLAGE_OFFICER, "35.16.02.2001", "081300000006"
    ),
)


@transaction.atomic
def demo_load() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; existing ones are left as they are.

    Returns each account with whether it was created now.
    """
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("Demo data is only loaded with PARADEWI_DEMO=true.")
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    areas = Region.objects.in_bulk([a.area_code for a in DEMO_ACCOUNTS], field_name="code")
    result = []
    for account in DEMO_ACCOUNTS:
        created = account.username not in existing
        if created:
            user_create(
                username=account.username,
                full_name=account.full_name,
                role=account.role,
                area=areas[account.area_code],
                email=f"{account.username}@example.invalid",
                phone=account.phone,
                password=DEMO_PASSWORD,
            )
        result.append((account, created))
    users = {user.username: user for user in User.objects.filter(username__startswith="demo-")}
    for user in users.values():
        if two_factor_required(user) and not AppDevice.objects.filter(user=user).exists():
            AppDevice.objects.create(
                user=user, name=APP_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
            )
    first_new = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    demo_requests_load(users)
    demo_surveys_load(users)
    demo_complaints_load(users)
    # What the demo's history notified is as an officer who kept up would find it: read, but
    # for the newest few of each user. The notifications are written after the commit (one
    # callback per history row, registered before this one, so they run first).
    transaction.on_commit(
        lambda: notifications_mark_older_read(
            users=list(users.values()), keep=DEMO_UNREAD_KEPT, after_id=first_new
        )
    )
    # The demo back-dates its history to look lived-in; link the rows again afterwards.
    rechain()
    return result
