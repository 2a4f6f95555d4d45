"""Templates ask `can.<permission>`; each role's pages show exactly the links they showed when
templates compared roles to strings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

import paradewi
from paradewi.accounts.context_processors import can
from paradewi.accounts.policy import PERMISSIONS

PERSONAS = ["desa_a", "kecamatan_a", "clerk", "head", "viewer", "admin"]

# persona -> the links of the main menu it has (every other one is absent).
MENU = {
    "request_list": {"desa_a", "kecamatan_a", "clerk", "head"},
    "reports_speed": {"desa_a", "kecamatan_a", "clerk", "head", "viewer"},
    "announcement_list": {"head"},
    "audit_user_list": {"head"},
}


def menu_of(content: bytes) -> str:
    page = content.decode()
    start = page.index('<nav aria-label="')
    return page[start : page.index("</nav>", start)]


def permissions_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return can(request)["can"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_role_has_the_menu_links_it_had(client, personas, persona):
    client.force_login(getattr(personas, persona))
    menu = menu_of(client.get(reverse("home")).content)
    for name, holders in MENU.items():
        assert (f'href="{reverse(name)}"' in menu) == (persona in holders), name


@pytest.mark.parametrize("persona", ["desa_a", "kecamatan_a", "clerk", "head"])
def test_only_the_village_and_the_kecamatan_see_new_request_on_their_list(
    client, personas, persona
):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("request_list")).content.decode()
    assert (f'href="{reverse("request_new")}"' in page) == (persona in {"desa_a", "kecamatan_a"})


@pytest.mark.parametrize(("persona", "told"), [("desa_a", False), ("kecamatan_a", True)])
def test_only_the_kecamatan_is_told_it_chooses_the_village(client, personas, persona, told):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("request_new"), headers={"accept-language": "en"}).content
    assert (b"You choose the resident's village on the next page." in page) is told


@pytest.mark.parametrize(("persona", "shown"), [("head", True), ("admin", True), ("viewer", False)])
def test_villages_without_an_officer_are_listed_for_those_who_manage_accounts(
    client, personas, persona, shown
):
    client.force_login(getattr(personas, persona))
    page = client.get(reverse("home"), headers={"accept-language": "en"}).content.decode()
    # A count and a link to the list (a regency has hundreds of villages).
    assert (reverse("villages_without_officer") in page) is shown


@pytest.mark.parametrize("persona", PERSONAS)
def test_can_answers_every_permission_as_the_policy_does(personas, persona):
    user = getattr(personas, persona)
    permissions = permissions_for(user)
    for name, roles in PERMISSIONS.items():
        assert getattr(permissions, name) is (user.role in roles), name


def test_an_anonymous_visitor_can_nothing(db):
    permissions = permissions_for(AnonymousUser())
    assert not any(getattr(permissions, name) for name in PERMISSIONS)


def test_an_inactive_account_can_nothing(personas):
    personas.head.is_active = False
    permissions = permissions_for(personas.head)
    assert not any(getattr(permissions, name) for name in PERMISSIONS)


def test_it_asks_the_database_nothing(personas, django_assert_num_queries):
    with django_assert_num_queries(0):
        permissions = permissions_for(personas.desa_a)
        assert permissions.create_requests
        assert not permissions.administer


def test_an_unknown_permission_is_missing_like_any_unknown_variable(personas):
    with pytest.raises(AttributeError):
        permissions_for(personas.head).do_anything  # noqa: B018


def test_every_permission_a_template_asks_is_in_the_policy():
    asked = set()
    for template in Path(paradewi.__file__).parent.rglob("*.html"):
        asked |= set(re.findall(r"\bcan\.(\w+)", template.read_text()))
    assert asked
    assert asked <= set(PERMISSIONS)


def test_no_template_compares_the_role_to_a_string():
    for template in Path(paradewi.__file__).parent.rglob("*.html"):
        assert "user.role" not in template.read_text(), template
