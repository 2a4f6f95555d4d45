"""The page-weight script against a live server: the shape of its report, not the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import LazySettings
from django_otp.oath import hotp
from pytest_django.live_server_helper import LiveServer

from bench import pageweight
from paradewi.accounts.models import Role
from paradewi.core.browser import chromium_or_skip
from paradewi.demo.services import DEMO_PASSWORD, DEMO_TOTP_KEY
from paradewi.requests.tests.factories import make_draft
from paradewi.testing import PASSWORD, VILLAGE_A, load_mojokerto, make_user


@pytest.fixture
def _plain_settings(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pw"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pwl"},
    }


def test_the_script_knows_the_published_demo_password_and_key() -> None:
    assert pageweight.DEMO_PASSWORD == DEMO_PASSWORD
    assert pageweight.DEMO_TOTP_KEY.hex() == DEMO_TOTP_KEY


def test_its_codes_are_the_ones_the_server_accepts() -> None:
    key = bytes.fromhex(DEMO_TOTP_KEY)
    moment = 1_790_000_000.0
    expected = hotp(key, int(moment // 30), digits=6)  # TOTP is HOTP of the 30-second step
    assert pageweight.totp(key, moment) == f"{expected:06d}"


@pytest.mark.browser
@pytest.mark.usefixtures("_plain_settings")
def test_a_village_officers_pages_are_weighed_cold_and_warm(
    live_server: LiveServer, transactional_db: None, tmp_path: Path
) -> None:
    chromium_or_skip()
    load_mojokerto()
    officer = make_user("demo-desa", Role.VILLAGE_OFFICER, VILLAGE_A)
    make_draft(officer)
    out = tmp_path / "weight.json"
    code = pageweight.main(
        [
            "--base-url",
            live_server.url,
            "--roles",
            "village_officer",
            "--pages",
            "home,edit page",
            "--password",
            PASSWORD,
            "--network",
            "none",
            "--cpu",
            "1",
            "--json",
            str(out),
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    assert report["limits"] == {"cold_bytes": 100_000, "warm_bytes": 20_000}
    assert report["network"]["profile"] == "none"
    assert [(p["role"], p["page"]) for p in report["pages"]] == [
        ("village_officer", "home"),
        ("village_officer", "edit page"),
    ]
    for page in report["pages"]:
        assert page["url"].startswith(live_server.url)
        assert page["officer"] is True
        assert isinstance(page["passed"], bool)
        for load in ("cold", "warm"):
            assert page[load]["status"] == 200
            assert page[load]["bytes"] > 0
            assert page[load]["requests"] >= 1
            assert page[load]["by_type"]["Document"] > 0
            assert page[load]["load_ms"] > 0
        # The style sheet and the script come over the network once, then from the cache.
        assert page["cold"]["requests"] > page["warm"]["requests"]
    assert report["pages"][1]["url"].endswith("/edit/")
