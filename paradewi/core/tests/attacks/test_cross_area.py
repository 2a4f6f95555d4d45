"""Every view, asked by every role of another area: 404, nothing of the object in the body,
nothing changed in the database.

The objects lie in desa A (Kecamatan Jatirejo). The attackers: the officer of desa B (same
kecamatan), the officer of desa C (Kecamatan Gondang), the operator of Kecamatan Gondang, the
leadership viewer and the administrator (no resident's data for either).
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from django.urls import reverse

from paradewi.core.tests.attacks.conftest import SUBJECT_NAME
from paradewi.core.tests.attacks.registry import (
    ADMIN,
    AREA,
    OWN,
    REPORT,
    ROLE,
    ROUTES,
    kind_of,
    resolver_names,
    url_for,
)
from paradewi.core.tests.attacks.support import body_of, database_state, rolled_back
from paradewi.regions.models import Region
from paradewi.requests.models import ServiceRequest
from paradewi.requests.tests.factories import KK_NUMBER, load_catalogue, person_data
from paradewi.testing import DISTRICT_A, VILLAGE_A, VILLAGE_C

ATTACKERS = ["desa_b", "desa_c", "kecamatan_c", "viewer", "admin"]
AREA_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == AREA)
REPORT_ROUTES = sorted(name for name, route in ROUTES.items() if route.kind == REPORT)
# Answers that say nothing about the object either: the same for every id.
METHOD_NOT_ALLOWED = 405


def test_every_url_is_classified():
    unknown = sorted(name for name in resolver_names() if kind_of(name) is None)
    assert not unknown, f"classify in attacks/registry.py: {unknown}"


def test_the_registry_names_no_url_that_is_gone():
    assert sorted(set(ROUTES) - set(resolver_names())) == []


def test_every_area_address_reaches_its_object_for_its_owner(client, world):
    """The control: the addresses below are right, so their 404s come from the area check."""
    wrong = []
    for name in AREA_ROUTES:
        route = ROUTES[name]
        owner = route.owner
        assert owner is not None
        client.force_login(getattr(world.p, owner))
        method = "get" if "get" in route.methods else "post"
        response = rolled_back(getattr(client, method), url_for(name, world), route.data)
        if response.status_code in (404, 403):
            wrong.append(f"{method.upper()} {name} as {owner}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


def test_every_area_view_is_404_for_every_role_of_another_area(client, world):
    """One world, every attacker in turn (building the world is the slow part)."""
    for attacker in ATTACKERS:  # logging in first adds the administrator's authenticator
        client.force_login(getattr(world.p, attacker))
    before = database_state()
    secrets = world.secrets()
    failures = []
    for attacker in ATTACKERS:
        client.force_login(getattr(world.p, attacker))
        for name in AREA_ROUTES:
            route = ROUTES[name]
            url = url_for(name, world)
            for method in ("get", "post"):
                if attacker in route.insiders:  # what they may do is undone
                    response = rolled_back(getattr(client, method), url, route.data)
                    allowed = {200, 302}
                else:
                    response = getattr(client, method)(url, route.data)
                    allowed = {route.refusal}
                if method not in route.methods:
                    allowed.add(METHOD_NOT_ALLOWED)
                said = f"{attacker}: {method.upper()} {name}"
                if response.status_code not in allowed:
                    failures.append(f"{said}: {response.status_code}")
                body = body_of(response)
                failures += [f"{said} shows {secret!r}" for secret in secrets if secret in body]
    assert not failures, "\n".join(failures)
    assert database_state() == before


def test_reports_of_another_area_are_404(client, world):
    failures = []
    for attacker, foreign in (
        ("desa_b", VILLAGE_A),
        ("desa_c", DISTRICT_A),
        ("kecamatan_c", DISTRICT_A),
    ):
        client.force_login(getattr(world.p, attacker))
        for name in REPORT_ROUTES:
            response = client.get(reverse(name), {"area": foreign})
            if response.status_code != 404:
                failures.append(f"{attacker}: {name}?area={foreign}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_the_admin_site_is_closed_to_every_role_but_the_administrator(client, personas):
    for persona in ("desa_a", "kecamatan_a", "clerk", "head", "viewer"):
        client.force_login(getattr(personas, persona))
        for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
            response = client.get(url)
            assert response.status_code in (302, 404), f"{persona}: {url}"
            assert personas.desa_b.full_name not in body_of(response)


def test_the_registry_knows_the_admin_site_as_one_kind():
    assert {kind_of(name) for name in resolver_names() if name.startswith("admin:")} == {ADMIN}


def test_lists_and_searches_of_another_area_show_nothing_of_it(client, world):
    """Worklists, searches by name, NIK, KK and number, notifications, home, reports, the
    access log: pages without an object in their address list only the reader's own area."""
    pages = [
        reverse(name)
        for name, route in ROUTES.items()
        if route.kind in (OWN, ROLE, REPORT) and not route.at and "get" in route.methods
    ]
    finished = world.finished
    searches = [finished.subject_nik, KK_NUMBER, SUBJECT_NAME, finished.number]
    pages += [f"{reverse('request_list')}?q={quote(term)}" for term in searches]
    pages += [f"{reverse('request_list')}?q={quote(term)}&tab=all" for term in searches]
    pages += [f"{reverse('request_list')}?status=handed_over&tab=all"]
    # A search box shows what was searched: only the rest (and the request's link) must not be.
    link = reverse("request_detail", args=[finished.pk])
    failures = []
    for attacker in ATTACKERS:
        client.force_login(getattr(world.p, attacker))
        for url in pages:
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{attacker}: {url}: {response.status_code}")
            body = body_of(response)
            said = f"{attacker}: {url}"
            hidden = [s for s in world.secrets() if quote(s) not in url] + [f'"{link}"']
            failures += [f"{said} shows {secret!r}" for secret in hidden if secret in body]
    assert not failures, "\n".join(failures)
    # The control: in its own village the same search finds the request.
    client.force_login(world.p.desa_a)
    found = client.get(f"{reverse('request_list')}?q={quote(SUBJECT_NAME)}&tab=all")
    assert f'"{link}"' in body_of(found)


def test_an_operator_cannot_start_a_request_for_a_village_of_another_kecamatan(client, personas):
    load_catalogue()
    client.force_login(personas.kecamatan_c)
    client.cookies["django_language"] = "en"
    data = {
        **person_data(),
        "subject_birth_date": "1990-05-12",
        "changes": ["add_member"],
        "village": Region.objects.get(code=VILLAGE_A).pk,
        "idempotency_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("request_create", args=["kk-perubahan"]), data)
    assert response.status_code == 200
    assert "Choose a village of your kecamatan." in body_of(response)
    assert not ServiceRequest.objects.exists()
    # The control: a village of its own kecamatan is taken.
    data["village"] = Region.objects.get(code=VILLAGE_C).pk
    assert client.post(reverse("request_create", args=["kk-perubahan"]), data).status_code == 302


def test_marking_an_announcement_for_others_read_answers_as_for_a_missing_one(client, world):
    client.force_login(world.p.desa_c)  # the announcement is for Kecamatan A
    foreign = client.post(reverse("announcement_read", args=[world.announcement.pk]))
    missing = client.post(reverse("announcement_read", args=[world.announcement.pk + 1000]))
    assert (foreign.status_code, foreign["Location"]) == (missing.status_code, missing["Location"])
