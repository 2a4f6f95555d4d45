from __future__ import annotations

import pytest
from django.urls import reverse

from paradewi.testing import VILLAGE_A


def test_the_front_page_is_public_and_indonesian_by_default(client, regions):
    response = client.get(reverse("index"))
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert b"Masuk" in response.content  # "Log in"
    assert b"Kabupaten Mojokerto" in response.content


def test_english_is_available(client, regions):
    response = client.get(reverse("index"), headers={"accept-language": "en"})
    assert response["Content-Language"] == "en"
    assert b"Log in" in response.content


def test_the_language_switch_works_without_javascript(client, regions):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert b"Log in" in client.get(reverse("index")).content


def test_a_logged_in_officer_is_taken_from_the_front_page_to_the_home_page(client, personas):
    client.force_login(personas.desa_a)
    response = client.get(reverse("index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_home_page_needs_a_login(client, regions):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_village_officer_sees_their_village_and_the_services(client, personas):
    client.force_login(personas.desa_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Desa Tawangrejo" in response.content
    assert b"Rejosari" not in response.content


def test_the_kecamatan_operator_sees_its_villages_and_those_without_an_officer(client, personas):
    client.force_login(personas.kecamatan_a)
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert "Kecamatan Jatirejo" in content
    villages = response.context["villages"]
    assert len(villages) == 19
    missing = {village.code for village in response.context["missing"]}
    assert VILLAGE_A not in missing
    assert len(missing) == 17  # 19 villages, two with an officer (desa-a, desa-b)
    assert "Gondang" not in content


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_the_regency_roles_see_a_count_of_villages_without_an_officer_and_a_link(
    client, personas, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["village_count"] == 304
    assert response.context["missing_count"] == 301
    content = response.content.decode()
    assert reverse("villages_without_officer") in content
    # Not the 301 villages one under the other.
    assert content.count('href="/areas/35.16.') <= 18


@pytest.mark.parametrize("persona", ["head", "admin"])
def test_the_dinas_head_and_the_administrator_see_the_kecamatan_and_the_accounts(
    client, personas, persona
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("home"))
    assert len(response.context["districts"]) == 18
    assert response.context["accounts"]


def test_the_viewer_sees_the_service_figures_not_the_accounts(client, personas):
    client.force_login(personas.viewer)
    response = client.get(reverse("home"), headers={"accept-language": "en"})
    glance = response.context["glance"]
    assert glance.month.day == 1
    assert "accounts" not in response.context
    content = response.content.decode()
    for text in ("completed on time", "open now", "overdue now", "satisfaction index (IKM)"):
        assert text in content
    assert reverse("reports_speed") in content


@pytest.mark.parametrize(
    ("persona", "status", "count"),
    [("head", 200, 301), ("admin", 200, 301), ("kecamatan_a", 200, 17)],
)
def test_the_villages_without_an_officer_are_listed_per_kecamatan(
    client, personas, persona, status, count
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("villages_without_officer"))
    assert response.status_code == status
    districts = response.context["districts"]
    assert sum(len(villages) for _district, villages in districts) == count
    codes = [village.code for _district, villages in districts for village in villages]
    assert VILLAGE_A not in codes


@pytest.mark.parametrize("persona", ["desa_a", "clerk", "viewer"])
def test_the_list_of_villages_without_an_officer_is_not_for_the_others(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("villages_without_officer")).status_code == 404


def test_the_viewer_home_page_names_no_officer(client, personas):
    client.force_login(personas.viewer)
    content = client.get(reverse("home")).content.decode()
    for user in personas.all().values():
        assert user.full_name not in content.replace(personas.viewer.full_name, "")


@pytest.mark.parametrize(
    "persona",
    ["desa_a", "kecamatan_a", "clerk", "head", "viewer", "admin"],
)
def test_every_home_page_runs_a_bounded_number_of_queries(
    client, personas, persona, django_assert_max_num_queries
):
    client.force_login(getattr(personas, persona))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


def test_password_change_page_and_logout(client, personas):
    client.force_login(personas.desa_a)
    assert client.get(reverse("password_change")).status_code == 200
    assert client.get(reverse("account")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
