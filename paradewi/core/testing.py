"""Test helpers: the regency's regions and one persona per role (STYLE habit 9)."""

from __future__ import annotations

from dataclasses import dataclass

from paradewi.accounts.models import Role, User
from paradewi.accounts.services import user_create
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load

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
