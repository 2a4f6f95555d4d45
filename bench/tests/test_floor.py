"""The load test's floors: the bare view, and the signed-in one the ratios are taken to (the
same middleware, session, user and second factor as every page, one query, one line)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paradewi.testing import Client, Personas

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.tests.floor_urls")]


def test_the_bare_floor_answers_anyone() -> None:
    response = Client().get("/bench/floor/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_the_signed_in_floor_sends_a_visitor_to_log_in(personas: Personas) -> None:
    response = Client().get("/bench/floor/signed-in/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_signed_in_floor_asks_a_dinas_clerk_for_the_second_factor_first(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login_password_only(personas.clerk)
    response = client.get("/bench/floor/signed-in/")
    assert response.status_code == 302
    assert "/account/two-factor/" in response["Location"]


def test_the_signed_in_floor_is_one_query_and_one_line_past_the_session(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.clerk)
    client.get("/bench/floor/signed-in/")  # warm: the same queries every time after this
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/floor/signed-in/")
    assert response.status_code == 200
    assert response.content.decode().strip().startswith(f"<p>{personas.clerk.username} ")
    floor = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "accounts_user"."last_login"')
    ]
    assert len(floor) == 1
    # The session, the user, the authenticator device: what every signed-in page pays.
    assert len(queries.captured_queries) <= 4, [q["sql"] for q in queries.captured_queries]
