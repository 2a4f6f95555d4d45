from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.core.cache import cache, caches
from django.utils import translation

from paradewi.testing import Client, Personas, load_mojokerto, make_personas


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: LazySettings, tmp_path: Path) -> Iterator[None]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        "default": {
            "BACKEND": "paradewi.core.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
    }
    cache.clear()
    caches["local"].clear()
    # Code called directly by a test speaks English, so assertions read like the source;
    # requests through the test client get Indonesian by default, as real users do.
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Client:
    """pytest-django's client, whose force_login also passes the two-factor step."""
    return Client()


@pytest.fixture
def regions(db: None) -> None:
    """The regions of Kabupaten Mojokerto (and every provinsi and kabupaten/kota)."""
    load_mojokerto()


@pytest.fixture
def personas(regions: None) -> Personas:
    return make_personas()


@pytest.fixture(scope="session")
def browser():
    """One headless Debian chromium for the whole test session."""
    from paradewi.core.browser import launch

    with launch() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
