"""The rule of docs/design.md, "People and roles": each user sees only their area; anything
else is a 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from paradewi.accounts.access import may_see_personal_data, visible_users
from paradewi.testing import DISTRICT_A, DISTRICT_C, REGENCY, VILLAGE_A, VILLAGE_B, VILLAGE_C

AREAS = [VILLAGE_A, VILLAGE_B, VILLAGE_C, DISTRICT_A, DISTRICT_C, REGENCY]

# persona -> the area pages it may open; every other one answers 404.
VISIBLE = {
    "desa_a": {VILLAGE_A},
    "desa_b": {VILLAGE_B},
    "desa_c": {VILLAGE_C},
    "kecamatan_a": {DISTRICT_A, VILLAGE_A, VILLAGE_B},
    "kecamatan_c": {DISTRICT_C, VILLAGE_C},
    "clerk": set(AREAS),
    "head": set(AREAS),
    "viewer": set(AREAS),
    "admin": set(AREAS),
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
@pytest.mark.parametrize("code", AREAS)
def test_each_role_opens_exactly_the_areas_inside_its_own(client, personas, persona, code):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("area_detail", args=[code]))
    assert response.status_code == (200 if code in VISIBLE[persona] else 404)


def test_a_404_for_another_village_says_nothing_about_it(client, personas):
    client.force_login(personas.desa_a)
    response = client.get(reverse("area_detail", args=[VILLAGE_B]))
    assert response.status_code == 404
    assert b"Rejosari" not in response.content
    assert b"desa-b" not in response.content.lower()


def test_an_unknown_area_answers_like_a_forbidden_one(client, personas):
    client.force_login(personas.desa_a)
    assert client.get(reverse("area_detail", args=["35.16.99.9999"])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, personas):
    response = client.get(reverse("area_detail", args=[VILLAGE_A]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_inactive_account_sees_nothing(client, personas):
    personas.head.is_active = False
    personas.head.save()
    client.force_login(personas.head)
    response = client.get(reverse("area_detail", args=[VILLAGE_A]))
    assert response.status_code in (302, 404)


def test_the_kecamatan_operator_sees_its_officers_phone_numbers(client, personas):
    client.force_login(personas.kecamatan_a)
    response = client.get(reverse("area_detail", args=[VILLAGE_A]))
    assert personas.desa_a.phone.encode() in response.content


def test_the_leadership_viewer_sees_no_personal_data(client, personas):
    client.force_login(personas.viewer)
    response = client.get(reverse("area_detail", args=[VILLAGE_A]))
    assert response.status_code == 200
    assert personas.desa_a.phone.encode() not in response.content
    assert personas.desa_a.full_name.encode() not in response.content
    assert not may_see_personal_data(personas.viewer)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("desa_a", {"desa_a"}),
        ("kecamatan_a", {"kecamatan_a", "desa_a", "desa_b"}),
        ("kecamatan_c", {"kecamatan_c", "desa_c"}),
        ("clerk", {"clerk"}),
        ("viewer", {"viewer"}),
        ("head", set(VISIBLE)),
        ("admin", set(VISIBLE)),
    ],
)
def test_each_role_lists_only_the_accounts_it_needs(personas, persona, expected):
    by_username = {user.username: name for name, user in personas.all().items()}
    visible = {
        by_username[u]
        for u in visible_users(getattr(personas, persona)).values_list("username", flat=True)
    }
    assert visible == expected


@pytest.mark.parametrize("persona", sorted(set(VISIBLE) - {"admin"}))
def test_only_the_administrator_enters_the_admin_site(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_administrator_manages_accounts_in_the_admin_site(client, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
