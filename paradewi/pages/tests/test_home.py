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


@pytest.mark.parametrize("persona", ["head", "viewer", "admin"])
def test_the_regency_roles_see_the_regency_overview(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["districts"]) == 18
    assert response.context["village_count"] == 304
    assert len(response.context["missing"]) == 301


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
