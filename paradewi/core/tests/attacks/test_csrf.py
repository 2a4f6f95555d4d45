"""Cross-site request forgery: every view that accepts POST (the registry says which) refuses
a post without the CSRF token with 403 and changes nothing; with the token the same post
gets through to the view (the control that the 403 is the token check)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from paradewi.core.tests.attacks.registry import ROUTES, resolver_names, url_for
from paradewi.core.tests.attacks.support import database_state, rolled_back
from paradewi.testing import Client

STATE_CHANGING = sorted(name for name, route in ROUTES.items() if "post" in route.methods)


def forging_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def token_of(client: Client) -> str:
    """The token a page of the site gives the browser (in its cookie and its forms)."""
    for page in ("login", "account"):
        client.get(reverse(page))
        if settings.CSRF_COOKIE_NAME in client.cookies:
            break
    return client.cookies[settings.CSRF_COOKIE_NAME].value


def test_every_state_changing_view_refuses_a_post_without_the_token(world):
    clients = {
        name: forging_client(getattr(world.p, ROUTES[name].owner or "", None))
        for name in STATE_CHANGING
    }
    before = database_state()
    failures = []
    for name in STATE_CHANGING:
        response = clients[name].post(url_for(name, world), ROUTES[name].data)
        if response.status_code != 403:
            failures.append(f"{name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert database_state() == before


def test_with_the_token_the_same_posts_reach_the_view(world):
    failures = []
    for name in STATE_CHANGING:
        route = ROUTES[name]
        client = forging_client(getattr(world.p, route.owner or "", None))
        data = {**route.data, "csrfmiddlewaretoken": token_of(client)}
        response = rolled_back(client.post, url_for(name, world), data)
        if response.status_code == 403:
            failures.append(name)
    assert not failures, "\n".join(failures)


def test_a_token_in_the_header_works_too_for_htmx(world):
    client = forging_client(world.p.desa_a)
    token = token_of(client)
    url = reverse("notification_mark_all_read")
    assert client.post(url, HTTP_X_CSRFTOKEN="forged" + token[6:]).status_code == 403
    assert client.post(url, HTTP_X_CSRFTOKEN=token).status_code == 302


def test_a_token_of_another_session_is_refused(world):
    victim = forging_client(world.p.desa_a)
    attacker = forging_client(world.p.desa_b)
    stolen = token_of(attacker)
    url = url_for("request_cancel", world)
    before = database_state()
    response = victim.post(url, {"reason": "Batal", "csrfmiddlewaretoken": stolen})
    assert response.status_code == 403
    assert database_state() == before


def test_the_admin_site_refuses_posts_without_the_token(personas):
    client = forging_client(personas.admin)
    adds = sorted(name for name in resolver_names() if name.endswith("_add"))
    assert adds, "the admin site has add pages"
    before = database_state()
    failures = []
    for name in adds:
        response = client.post(reverse(name), {"username": "x", "name": "x"})
        if response.status_code != 403:
            failures.append(f"{name}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert database_state() == before
