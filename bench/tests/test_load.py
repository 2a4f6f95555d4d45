"""The locustfile against pytest-django's live server for a few seconds: the personas log in
(the Dinas ones with their authenticator code), work, and the summary has its shape. No
thresholds: timings are what `make bench` is for."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.cache import cache, caches
from django.db import connection
from pytest_django.live_server_helper import LiveServer

from bench.dataset import Params, generate
from bench.load.fixture import prepare
from bench.load.network import loopback
from paradewi.requests.models import Upload

# Not imported here: locust patches the standard library (gevent) when imported.
pytestmark = [
    pytest.mark.load,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(importlib.util.find_spec("locust") is None, reason="needs .[bench]"),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _served(settings: LazySettings, tmp_path: Path) -> None:
    settings.ROOT_URLCONF = "bench.tests.floor_urls"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": tmp_path / "media"}
    settings.STORAGES = {
        "default": default,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "b"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bl"},
    }
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()
    caches["local"].clear()


def run_locust(base_url: str, fixture: Path, out: Path, users: int) -> dict[str, Any]:
    environ = {
        **os.environ,
        "BENCH_LOAD_FIXTURE": str(fixture),
        "BENCH_LOAD_OUT": str(out),
        "BENCH_STEADY_SECONDS": "4",
        "BENCH_THINK_SCALE": "0.01",
        "BENCH_ONE_OF_EACH": "1",
    }
    subprocess.run(  # noqa: S603 - a fixed command
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            "60s",
            "--host",
            base_url,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env=environ,
        check=True,
        capture_output=True,
        timeout=120,
    )
    summary: dict[str, Any] = json.loads(out.read_text())
    return summary


def test_the_personas_work_through_the_site_and_the_summary_has_every_endpoint(
    live_server: LiveServer, tmp_path: Path
) -> None:
    if connection.vendor == "sqlite" and getattr(connection, "is_in_memory_db", bool)():
        # The live server's threads share an in-memory SQLite database, whose table locks
        # refuse concurrent writers ("database table is locked"); `make bench` serves a file.
        pytest.skip("needs PostgreSQL (DATABASE_URL) or a file SQLite test database")
    generate(Params(requests=300, years=0.5, seed=7, end=date(2026, 3, 2)), out=lambda _: None)
    fixture = tmp_path / "fixture.json"
    prepare(fixture, dinas_users=1)
    # One person of each role and the two probes.
    base_url = live_server.url.replace("localhost", "127.0.0.1")
    summary = run_locust(base_url, fixture, tmp_path / "summary.json", users=7)

    assert summary["errors"] == 0, summary["failures"]
    names = {entry["name"]: entry for entry in summary["endpoints"]}
    assert names["probe: GET /bench/floor/"]["count"] > 0
    assert "probe: GET /requests/" not in names  # the worklist is the officers' own
    # The signed-in floor answered (a Dinas clerk, second factor done). The live server runs
    # without Server-Timing (its middleware was loaded before these settings): no ratios here.
    assert names["probe: GET /bench/floor/signed-in/"]["count"] > 0
    # Request pages were followed by their thumbnails, drawn from real files.
    assert names["GET thumbnail"]["count"] > 0
    # Uploads were real photos or scans, each kind under its own name (the officer files a
    # request first: while the others arrive, or after).
    walked = set(names) | {entry["name"] for entry in summary["ramp"]["endpoints"]}
    assert any(name.startswith("POST /requests/[id]/uploads/[code]/ (") for name in walked)
    for entry in summary["endpoints"]:
        assert set(entry) >= {"count", "errors", "p50_ms", "p95_ms", "p99_ms", "rps"}
    ramp = {entry["name"]: entry["count"] for entry in summary["ramp"]["endpoints"]}
    assert ramp["POST /login/"] >= 4  # officer, operator, clerk, leadership, before measuring
    assert ramp["POST /account/two-factor/"] >= 1  # the Dinas clerk's authenticator code
    # Every upload the load reported is a row of its request.
    for pk, code, _sha in summary["uploaded"]:
        assert Upload.objects.filter(request_id=pk, requirement_code=code).exists()


def test_the_load_test_refuses_any_host_but_the_loopback() -> None:
    assert loopback("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    with pytest.raises(SystemExit, match=r"only talks to 127\.0\.0\.1"):
        loopback("http://localhost:8000")
    with pytest.raises(SystemExit, match=r"only talks to 127\.0\.0\.1"):
        loopback("http://example.org")


def test_the_floor_view_is_not_routed_unless_bench_floor_view_is_on() -> None:
    from django.urls import Resolver404, resolve

    assert os.environ.get("BENCH_FLOOR_VIEW", "") == ""
    with pytest.raises(Resolver404):
        resolve("/bench/floor/", urlconf="paradewi.urls")
