from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from paradewi.accounts.models import Role, User
from paradewi.accounts.services import user_create
from paradewi.regions.models import Region
from paradewi.regions.services import regions_load
from paradewi.testing import DISTRICT_A, REGENCY, VILLAGE_A


def create(role: str, code: str, **extra: str) -> User:
    return user_create(
        username=extra.pop("username", "someone"),
        full_name="Some One",
        role=role,
        area=Region.objects.get(code=code),
        **extra,
    )


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.VILLAGE_OFFICER, VILLAGE_A),
        (Role.DISTRICT_OPERATOR, DISTRICT_A),
        (Role.DINAS_CLERK, REGENCY),
        (Role.DINAS_HEAD, REGENCY),
        (Role.VIEWER, REGENCY),
        (Role.ADMIN, REGENCY),
    ],
)
def test_it_binds_each_role_to_an_area_of_its_level(regions, role, code):
    user = create(role, code)
    assert user.area is not None
    assert user.area.code == code
    assert user.is_staff is (role == Role.ADMIN)


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.VILLAGE_OFFICER, DISTRICT_A),
        (Role.VILLAGE_OFFICER, REGENCY),
        (Role.DISTRICT_OPERATOR, VILLAGE_A),
        (Role.DINAS_CLERK, DISTRICT_A),
        (Role.ADMIN, VILLAGE_A),
    ],
)
def test_it_refuses_an_area_of_the_wrong_level(regions, role, code):
    with pytest.raises(ValidationError) as error:
        create(role, code)
    assert "area" in error.value.message_dict
    assert not User.objects.exists()


def test_it_refuses_an_area_outside_the_deployed_regency(regions):
    regions_load(regency_code="35.78")
    with pytest.raises(ValidationError, match="not in the regency"):
        create(Role.VILLAGE_OFFICER, "35.78.01.1001")
    with pytest.raises(ValidationError, match="not in the regency"):
        create(Role.DINAS_CLERK, "35.78")


def test_it_refuses_an_inactive_village(regions):
    Region.objects.filter(code=VILLAGE_A).update(is_active=False)
    with pytest.raises(ValidationError, match="no longer active"):
        create(Role.VILLAGE_OFFICER, VILLAGE_A)


def test_it_normalises_the_phone_and_refuses_a_bad_one(regions):
    user = create(Role.VILLAGE_OFFICER, VILLAGE_A, phone="0812-3456-7890")
    assert user.phone == "+6281234567890"
    with pytest.raises(ValidationError):
        create(Role.VILLAGE_OFFICER, VILLAGE_A, username="other", phone="12345")


def test_an_account_without_a_password_cannot_log_in_until_one_is_set(regions, client):
    user = create(Role.VILLAGE_OFFICER, VILLAGE_A)
    assert not user.has_usable_password()


def test_createsuperuser_makes_an_administrator_of_the_regency(regions):
    call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    user = User.objects.get(username="root")
    assert user.role == Role.ADMIN
    assert user.area is not None
    assert user.area.code == REGENCY
