"""Response headers and the production settings (`manage.py check --deploy`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_protective_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_https_pages_tell_the_browser_to_stay_on_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    # Over plain http the header means nothing and is not sent.
    assert "Strict-Transport-Security" not in client.get("/")


def test_plain_http_is_redirected_except_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/track/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/track/"
    assert client.get("/healthz").status_code in (200, 503)


def test_the_production_settings_pass_the_deployment_check(tmp_path):
    base = Path(settings.BASE_DIR)
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "a-production-like-secret-key-" + "x7Qp2Lm9" * 6,
        "DEBUG": "false",
        "PARADEWI_DEMO": "false",
        "ALLOWED_HOSTS": "paradewi.example.go.id",
        "PARADEWI_VAR_DIR": str(tmp_path),
        "BEHIND_TLS_PROXY": "true",
        "ENCRYPTION_KEYS": os.environ["ENCRYPTION_KEYS"],
        "SEARCH_INDEX_KEY": os.environ["SEARCH_INDEX_KEY"],
    }
    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, str(base / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_server_time_header_is_sent_only_when_switched_on(settings):
    from django.test import Client

    assert "Server-Timing" not in Client().get("/")

    settings.SERVER_TIMING = True
    response = Client().get("/")  # a new client loads the middleware anew
    assert response.status_code == 200
    timings = dict(part.strip().split(";dur=") for part in response["Server-Timing"].split(","))
    assert set(timings) == {"app", "cpu"}
    assert 0 < float(timings["app"]) < 60_000
    assert 0 <= float(timings["cpu"]) < 60_000
